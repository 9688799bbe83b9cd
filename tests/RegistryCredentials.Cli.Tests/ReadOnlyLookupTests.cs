using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using RegistryCredentials.Cli.Tests.Support;
using RegistryCredentials.Sqlite.Tests;

namespace RegistryCredentials.Cli.Tests;

/// <summary>
/// The lookups open the SQLite store read-only (<c>SqliteRegistryStoreOptions.ReadOnly</c>): a <c>get</c> on a current store
/// changes no byte of the database and no entry or revision; a store of an older schema, which a read-only store refuses, is
/// answered by the full composition, which migrates the file. Both through regcred (<c>helper get</c>) and through
/// regcred-lookup (<c>docker-credential-regcred get</c>, the kubelet plugin), which hands such a store to regcred.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class ReadOnlyLookupTests
{
    private const string EntryColumns = "account, scope, name, type, username, email, verify_tls, insecure_http, ca_certificates, is_active, "
        + "created_on, updated_on, version, protected_secret";

    /// <summary>Every entry as stored (account, scope, version, user, ciphertext), one per line.</summary>
    private const string EntriesSnapshot = "SELECT group_concat(account || '|' || scope || '|' || version || '|' || username "
        + "|| '|' || hex(protected_secret), char(10)) FROM registry_entries";

    private const string KubeletRequest = "{\"apiVersion\":\"credentialprovider.kubelet.k8s.io/v1\",\"kind\":\"CredentialProviderRequest\",\"image\":\"{0}\"}";

    private static LookupInstall _install = null!;
    private Sandbox _sandbox = null!;
    private string _secret = null!;

    /// <summary>How a lookup is started.</summary>
    public enum Runner
    {
        /// <summary><c>regcred helper get</c> (regcred.dll).</summary>
        RegcredHelperGet,

        /// <summary><c>docker-credential-regcred get</c>: regcred-lookup started under the helper's name.</summary>
        LookupHelperGet,

        /// <summary><c>regcred-lookup kubelet-credential-provider</c>.</summary>
        LookupKubelet,
    }

    [OneTimeSetUp]
    public static void InstallBoth() => _install = LookupInstall.Create();

    [OneTimeTearDown]
    public static void Uninstall() => _install.Dispose();

    [SetUp]
    public async Task CreateStore()
    {
        _sandbox = new Sandbox();
        _secret = "ro-secret-" + Guid.NewGuid().ToString("N");
        var add = await _sandbox.RunWithPasswordAsync(_secret, "registry", "add", "reg.example.com", "--username", "ci", "--validate=false");
        Assert.That(add.ExitCode, Is.Zero, add.ToString());
    }

    [TearDown]
    public void TearDown()
    {
        SqliteConnection.ClearAllPools();
        _sandbox.Dispose();
    }

    [TestCase(Runner.RegcredHelperGet)]
    [TestCase(Runner.LookupHelperGet)]
    [TestCase(Runner.LookupKubelet)]
    public async Task A_get_on_a_current_store_changes_no_byte_of_the_database(Runner runner)
    {
        var files = _sandbox.Files();
        Assert.That(files, Does.Not.Contain(_sandbox.Store + "-wal"), "regcred's write checkpointed its log into the file when it closed");
        var hash = Sha256(_sandbox.Store);
        var entries = Scalar(EntriesSnapshot);
        var revision = Scalar("SELECT revision FROM registry_revision");
        var keys = Scalar("SELECT group_concat(key_id) FROM registry_secret_keys");

        for (var i = 0; i < 2; i++)
        {
            var run = await GetAsync(runner);
            AssertAnswered(runner, run);
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Sha256(_sandbox.Store), Is.EqualTo(hash), "the database file is byte for byte as before");
            Assert.That(Scalar(EntriesSnapshot), Is.EqualTo(entries));
            Assert.That(Scalar("SELECT revision FROM registry_revision"), Is.EqualTo(revision));
            Assert.That(Scalar("SELECT group_concat(key_id) FROM registry_secret_keys"), Is.EqualTo(keys));

            // SQLite itself creates an empty log and the shared-memory index beside a WAL-mode database that a read-only
            // connection opens, and (read-only) leaves them on close: nothing else appears, and no byte is logged.
            var created = _sandbox.Files().Except(files).ToList();
            Assert.That(created, Is.SubsetOf(new[] { _sandbox.Store + "-wal", _sandbox.Store + "-shm" }), "no other file created");
            Assert.That(created.Where(f => f.EndsWith("-wal", StringComparison.Ordinal)).Select(f => new FileInfo(f).Length), Is.All.Zero);
        }

        // The file stays a writable store for regcred (the leftover empty log and index are SQLite's own).
        var add = await _sandbox.RunWithPasswordAsync(
            "pw-" + Guid.NewGuid().ToString("N"), "registry", "add", "quay.io", "--username", "q", "--validate=false");
        Assert.That(add.ExitCode, Is.Zero, add.ToString());
        Assert.That(Scalar("SELECT count(*) FROM registry_entries"), Is.EqualTo("2"));
    }

    [TestCase(Runner.RegcredHelperGet)]
    [TestCase(Runner.LookupHelperGet)]
    [TestCase(Runner.LookupKubelet)]
    public async Task A_get_on_a_store_of_an_older_schema_is_answered_and_the_file_is_migrated(Runner runner)
    {
        var latest = Scalar("SELECT max(version) FROM registry_schema");
        RewriteAsSchemaVersion2();
        Assert.That(Scalar("SELECT max(version) FROM registry_schema"), Is.EqualTo("2"));
        var entries = Scalar(EntriesSnapshot);

        var run = await GetAsync(runner);

        AssertAnswered(runner, run);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Scalar("SELECT max(version) FROM registry_schema"), Is.EqualTo(latest), "the full composition migrated the file");
            Assert.That(Scalar(EntriesSnapshot), Is.EqualTo(entries), "no entry changed");
            Assert.That(run.Stderr, Is.Empty, run.ToString());
        }

        // Now current: the next lookup is answered read-only, and changes no byte.
        var hash = Sha256(_sandbox.Store);
        AssertAnswered(runner, await GetAsync(runner));
        Assert.That(Sha256(_sandbox.Store), Is.EqualTo(hash));
    }

    /// <summary>
    /// Replaces the store regcred wrote with a schema version 2 file holding the same entry and key id: what regcred of that
    /// version left on disk, with a secret under the sandbox's key.
    /// </summary>
    private void RewriteAsSchemaVersion2()
    {
        string insertEntry;
        string insertKey;
        using (var current = Open(SqliteOpenMode.ReadOnly))
        {
            using var entry = current.CreateCommand();
            entry.CommandText = $"SELECT {EntryColumns} FROM registry_entries";
            using (var reader = entry.ExecuteReader())
            {
                Assert.That(reader.Read(), Is.True);
                var values = Enumerable.Range(0, reader.FieldCount).Select(i => Literal(reader.GetValue(i)));
                insertEntry = $"INSERT INTO registry_entries ({EntryColumns}) VALUES ({string.Join(", ", values)});";
                Assert.That(reader.Read(), Is.False, "one entry");
            }

            using var key = current.CreateCommand();
            key.CommandText = "SELECT key_id, added_on FROM registry_secret_keys";
            using var keys = key.ExecuteReader();
            Assert.That(keys.Read(), Is.True, "regcred recorded its key id");
            insertKey = $"INSERT INTO registry_secret_keys (key_id, added_on) VALUES ({Literal(keys.GetValue(0))}, {Literal(keys.GetValue(1))});";
        }

        SqliteConnection.ClearAllPools();
        foreach (var file in new[] { _sandbox.Store, _sandbox.Store + "-wal", _sandbox.Store + "-shm" })
        {
            File.Delete(file);
        }

        using var old = Open(SqliteOpenMode.ReadWriteCreate);
        using var command = old.CreateCommand();
        command.CommandText = ShippedSchemas.Version2 + insertEntry + insertKey;
        command.ExecuteNonQuery();
    }

    private async Task<ToolRun> GetAsync(Runner runner) => runner switch
    {
        Runner.RegcredHelperGet => await _sandbox.RunAsync(["helper", "get"], "reg.example.com\n"),
        Runner.LookupHelperGet => await _sandbox.RunExecutableAsync(_install.Helper, ["get"], ProcessRunner.Utf8("reg.example.com\n")),
        _ => await _sandbox.RunExecutableAsync(
            _install.Lookup,
            ["kubelet-credential-provider"],
            ProcessRunner.Utf8(KubeletRequest.Replace("{0}", "reg.example.com/team/app:1", StringComparison.Ordinal))),
    };

    private void AssertAnswered(Runner runner, ToolRun run)
    {
        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        if (runner == Runner.LookupKubelet)
        {
            using var response = JsonDocument.Parse(run.Stdout);
            var auth = response.RootElement.GetProperty("auth").GetProperty("reg.example.com");
            Assert.That((auth.GetProperty("username").GetString(), auth.GetProperty("password").GetString()), Is.EqualTo(("ci", _secret)));
        }
        else
        {
            Assert.That(run.Stdout, Is.EqualTo($"{{\"ServerURL\":\"reg.example.com\",\"Username\":\"ci\",\"Secret\":\"{_secret}\"}}\n"));
        }
    }

    private SqliteConnection Open(SqliteOpenMode mode)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = _sandbox.Store, Mode = mode, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    /// <summary>One value read on a read-only connection, closed afterwards.</summary>
    private string Scalar(string sql)
    {
        using var connection = Open(SqliteOpenMode.ReadOnly);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToString(command.ExecuteScalar(), CultureInfo.InvariantCulture) ?? string.Empty;
    }

    private static string Literal(object value) => value switch
    {
        DBNull => "NULL",
        long n => n.ToString(CultureInfo.InvariantCulture),
        byte[] bytes => $"X'{Convert.ToHexString(bytes)}'",
        string s => $"'{s.Replace("'", "''", StringComparison.Ordinal)}'",
        _ => throw new AssertionException($"unexpected column value {value.GetType()}"),
    };

    private static string Sha256(string path) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));
}
