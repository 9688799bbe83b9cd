using System.Globalization;
using Microsoft.Data.Sqlite;
using RegistryCredentials.Sqlite;

namespace RegistryCredentials.Benchmarks;

/// <summary>Temp databases for the SQLite benchmarks, filled in one transaction (adding 100,000 entries one by one would take minutes).</summary>
internal static class SqliteBenchmarkData
{
    public static readonly DateTimeOffset Created = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static string NewPath() =>
        Path.Combine(Path.GetTempPath(), "rc-sqlite-bench", Guid.NewGuid().ToString("N"), "registries.db");

    public static string Scope(int i) => $"reg{i % 100}.example.com/team{i}";

    public static RegistryRecord Record(string scope, string username = "user") => new(
        new RegistryEntry
        {
            Account = RegistryAccounts.Default,
            Scope = RegistryScope.Parse(scope),
            Name = scope,
            Type = RegistryType.DockerV2,
            Username = username,
            Email = "ops@example.com",
            CreatedOn = Created,
            UpdatedOn = Created,
        },
        new byte[60]);

    /// <summary>Creates the schema through a store, then inserts <paramref name="count"/> entries with one transaction.</summary>
    public static async Task FillAsync(string path, int count)
    {
        await using (var store = new SqliteRegistryStore(new SqliteRegistryStoreOptions { Path = path }))
        {
            await store.InitializeAsync();
        }

        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        using var transaction = connection.BeginTransaction();
        using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = """
            INSERT INTO registry_entries (account, scope, name, type, username, email, verify_tls, insecure_http, ca_certificates,
                is_active, created_on, updated_on, version, protected_secret)
            VALUES ('default', $scope, $scope, 'docker_v2', 'user', 'ops@example.com', 1, 0, NULL, 1, $created, $created, 1, zeroblob(60))
            """;
        var scope = insert.Parameters.Add("$scope", SqliteType.Text);
        insert.Parameters.AddWithValue("$created", Created.ToString("O", CultureInfo.InvariantCulture));
        for (var i = 0; i < count; i++)
        {
            scope.Value = Scope(i);
            insert.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    public static void Delete(string path)
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
    }
}
