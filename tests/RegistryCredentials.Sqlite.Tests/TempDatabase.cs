using System.Security.Cryptography;
using Microsoft.Data.Sqlite;

namespace RegistryCredentials.Sqlite.Tests;

/// <summary>A fresh folder under the temp folder with a database path in it; deleted afterwards.</summary>
internal sealed class TempDatabase : IDisposable
{
    public TempDatabase(string name = "registries.db")
    {
        Folder = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "rc-sqlite-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Folder);
        Path = System.IO.Path.Combine(Folder, name);
    }

    public string Folder { get; }

    public string Path { get; }

    public SqliteRegistryStore Open(Action<SqliteRegistryStoreOptions>? configure = null)
    {
        var options = new SqliteRegistryStoreOptions { Path = Path, ChangePollInterval = TimeSpan.FromMilliseconds(100) };
        configure?.Invoke(options);
        return new SqliteRegistryStore(options);
    }

    public static string Sha256(string path) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));

    /// <summary>The database file and its write-ahead log, as bytes (what an attacker with the disk would see).</summary>
    public byte[] AllBytes()
    {
        var bytes = new List<byte>(File.ReadAllBytes(Path));
        if (File.Exists(Path + "-wal"))
        {
            bytes.AddRange(File.ReadAllBytes(Path + "-wal"));
        }

        return [.. bytes];
    }

    /// <summary>Runs SQL on the file with a plain connection (no store), closed afterwards.</summary>
    public void RawExecute(string sql)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public string RawScalar(string sql)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Pooling = false,
            Mode = SqliteOpenMode.ReadOnly,
        }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToString(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
