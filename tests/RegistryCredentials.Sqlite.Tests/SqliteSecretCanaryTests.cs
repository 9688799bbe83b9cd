using System.Text;
using Microsoft.Extensions.DependencyInjection;

namespace RegistryCredentials.Sqlite.Tests;

/// <summary>
/// What reaches the disk: the protected secret bytes exactly as given (the store never transforms or sees secrets),
/// the entry's fields, and nothing else; a password given to the manager appears nowhere in the files.
/// </summary>
[TestFixture]
public sealed class SqliteSecretCanaryTests
{
    private TempDatabase _db = null!;

    [SetUp]
    public void CreateFolder() => _db = new TempDatabase();

    [TearDown]
    public void DeleteFolder() => _db.Dispose();

    [Test]
    public async Task ProtectedBytesRoundTripExactlyAndOnlyTheEntrysFieldsAreInClear()
    {
        var marker = Encoding.ASCII.GetBytes("PROTECTED-" + Guid.NewGuid().ToString("N"));
        byte[] secret = [0, 255, .. marker, 0, 1, 2];
        var record = new RegistryRecord(
            new RegistryEntry
            {
                Account = "tenant-7",
                Scope = RegistryScope.Parse("canary.example.com/team"),
                Name = "Canary",
                Type = RegistryType.DockerV2,
                Username = "canary-user",
                CreatedOn = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero),
                UpdatedOn = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero),
            },
            secret);
        await using (var store = _db.Open())
        {
            await store.AddAsync(record);
        }

        await using (var store = _db.Open())
        {
            var read = await store.GetAsync("tenant-7", record.Entry.Scope);
            Assert.That(read!.ProtectedSecret.ToArray(), Is.EqualTo(secret));
        }

        var file = _db.AllBytes();
        Assert.That(Contains(file, [.. secret]), Is.True, "the protected bytes are stored as given, in one piece");
        Assert.That(Contains(file, Encoding.UTF8.GetBytes("canary-user")), Is.True);

        // Every text value in the file is one the test gave, or schema text: list them from SQLite itself.
        var values = _db.RawScalar(
            "SELECT group_concat(v, '|') FROM (SELECT account AS v FROM registry_entries UNION ALL SELECT scope FROM registry_entries " +
            "UNION ALL SELECT name FROM registry_entries UNION ALL SELECT type FROM registry_entries UNION ALL SELECT username FROM registry_entries " +
            "UNION ALL SELECT typeof(email) FROM registry_entries UNION ALL SELECT typeof(ca_certificates) FROM registry_entries)");
        Assert.That(values, Is.EqualTo("tenant-7|canary.example.com/team|Canary|docker_v2|canary-user|null|null"));
        Assert.That(
            _db.RawScalar("SELECT count(*) FROM sqlite_schema WHERE type = 'table'"),
            Is.EqualTo("4"),
            "no table beyond entries, revision, schema and secret key ids");
    }

    [Test]
    public async Task APasswordGivenToTheManagerAppearsNowhereInTheFiles()
    {
        var password = "hunter2-" + Guid.NewGuid().ToString("N");
        var key = AesGcmSecretProtector.GenerateKey();
        var services = new ServiceCollection();
        services.AddRegistryCredentials().UseSqliteStore(_db.Path).UseSecretProtection(o => o.Key = key);
        string keyId;
        await using (var provider = services.BuildServiceProvider())
        {
            var manager = provider.GetRequiredService<IRegistryManager>();
            await manager.AddAsync(new RegistryAddRequest { Scope = "canary.example.com", Username = "canary-user", Password = password, Validate = false });
            await manager.UpdateAsync(new RegistryUpdateRequest { Scope = "canary.example.com", Password = password + "-2", Validate = false });
            keyId = provider.GetRequiredService<ISecretProtector>().CurrentKeyId!;

            // Read while the log is still there too.
            var files = _db.AllBytes();
            AssertAbsent(files, password);
            AssertAbsent(files, key);
        }

        AssertAbsent(_db.AllBytes(), password);
        AssertAbsent(_db.AllBytes(), key);
        Assert.That(Contains(_db.AllBytes(), Convert.FromBase64String(key)), Is.False, "the key's bytes");
        Assert.That(_db.RawScalar("SELECT group_concat(key_id) FROM registry_secret_keys"), Is.EqualTo(keyId), "only the key's id (a fingerprint) is stored");
    }

    private static void AssertAbsent(byte[] files, string password)
    {
        Assert.That(Contains(files, Encoding.UTF8.GetBytes(password)), Is.False, "password in clear (UTF-8)");
        Assert.That(Contains(files, Encoding.Unicode.GetBytes(password)), Is.False, "password in clear (UTF-16)");
        Assert.That(Contains(files, Encoding.ASCII.GetBytes(Convert.ToBase64String(Encoding.UTF8.GetBytes(password)))), Is.False, "password in base64");
        Assert.That(Contains(files, Encoding.UTF8.GetBytes(password[..12])), Is.False, "part of the password in clear");
    }

    private static bool Contains(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle) >= 0;
}
