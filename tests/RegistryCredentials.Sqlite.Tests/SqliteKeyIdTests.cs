using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using RegistryCredentials.Sqlite.Internal;

namespace RegistryCredentials.Sqlite.Tests;

/// <summary>
/// One key per store on real SQLite files (issue 12, section 4): a database of schema version 1 (written before key ids were
/// recorded) is migrated and then holds to the key its secrets are under; a file written with key A refuses key B.
/// </summary>
[TestFixture]
public sealed class SqliteKeyIdTests : SqliteNodeTests
{
    private ServiceProvider Node(string key)
    {
        var services = new ServiceCollection();
        services.AddRegistryCredentials().UseSqliteStore(Db.Path).UseSecretProtection(o =>
        {
            o.Key = key;
            o.KeyEnvironmentVariable = null;
            o.CreateKeyFile = false;
        });
        var provider = services.BuildServiceProvider();
        Nodes.Add(provider);
        return provider;
    }

    /// <summary>A database as schema version 1 wrote it: entries whose secrets are under <paramref name="key"/>, no key ids.</summary>
    private async Task<Dictionary<string, string>> CreateVersion1DatabaseAsync(string key)
    {
        Db.RawExecute(ShippedSchemas.Version1);
        var protector = Protector(key);
        var passwords = new Dictionary<string, string>();
        foreach (var scope in new[] { "x.example.com", "y.example.com" })
        {
            passwords[scope] = "pw-" + Guid.NewGuid().ToString("N");
            var bytes = await protector.ProtectAsync(passwords[scope], RegistryAccounts.Default, RegistryScope.Parse(scope));
            Db.RawExecute(
                "INSERT INTO registry_entries (account, scope, name, type, username, email, verify_tls, "
                + "insecure_http, ca_certificates, is_active, created_on, updated_on, version, protected_secret) " +
                $"VALUES ('default', '{scope}', '{scope}', 'docker_v2', 'u', NULL, 1, 0, NULL, 1, "
                + $"'2026-01-01T00:00:00.0000000+00:00', '2026-01-01T00:00:00.0000000+00:00', 1, X'{Convert.ToHexString(bytes)}')");
        }

        return passwords;
    }

    [Test]
    public async Task AVersion1DatabaseIsMigratedAndRefusesAnotherKeyWithoutChangingAnEntry()
    {
        var keyA = AesGcmSecretProtector.GenerateKey();
        var keyB = AesGcmSecretProtector.GenerateKey();
        var passwords = await CreateVersion1DatabaseAsync(keyA);
        var entriesBefore = Db.RawScalar(EntriesSnapshot);
        var idA = Protector(keyA).CurrentKeyId;
        var idB = Protector(keyB).CurrentKeyId;

        var b = Node(keyB);
        var manager = b.GetRequiredService<IRegistryManager>();
        var update = Assert.ThrowsAsync<RegistrySecretKeyException>(() => manager.UpdateAsync(
            new RegistryUpdateRequest { Scope = "x.example.com", Password = "pw-" + Guid.NewGuid().ToString("N"), Validate = false }));
        var add = Assert.ThrowsAsync<RegistrySecretKeyException>(() => manager.AddAsync(
            new RegistryAddRequest { Scope = "z.example.com", Username = "u", Password = "pw-" + Guid.NewGuid().ToString("N"), Validate = false }));
        var read = Assert.ThrowsAsync<RegistrySecretKeyException>(async () =>
            await b.GetRequiredService<IRegistryCredentialResolver>().ResolveAsync("y.example.com/app"));

        Assert.Multiple(() =>
        {
            Assert.That(update!.Message, Does.Contain(idA).And.Contain(idB));
            Assert.That(add!.StoreKeyIds, Is.EqualTo(new[] { idA }));
            Assert.That(read!.KeyId, Is.EqualTo(idA));
            Assert.That(
                Db.RawScalar("SELECT max(version) FROM registry_schema"),
                Is.EqualTo(Schema.LatestVersion.ToString(CultureInfo.InvariantCulture)),
                "migrated to the latest schema version");
            Assert.That(Db.RawScalar(EntriesSnapshot), Is.EqualTo(entriesBefore), "no entry changed");
            Assert.That(Db.RawScalar("SELECT group_concat(key_id) FROM registry_secret_keys"), Is.EqualTo(idA), "the key its secrets name, learnt from them");
        });

        // The store's own key writes and reads as before.
        var a = Node(keyA);
        await a.GetRequiredService<IRegistryManager>().UpdateAsync(new RegistryUpdateRequest
        {
            Scope = "x.example.com",
            Password = "pw-new",
            Validate = false,
        });
        var resolver = a.GetRequiredService<IRegistryCredentialResolver>();
        Assert.That((await resolver.ResolveAsync("x.example.com/app")).Credential!.Secret.Reveal(), Is.EqualTo("pw-new"));
        Assert.That((await resolver.ResolveAsync("y.example.com/app")).Credential!.Secret.Reveal(), Is.EqualTo(passwords["y.example.com"]));
    }

    [Test]
    public async Task AnEmptyVersion1DatabaseTakesTheKeyOfItsFirstWrite()
    {
        Db.RawExecute(ShippedSchemas.Version1);
        var key = AesGcmSecretProtector.GenerateKey();
        await Node(key).GetRequiredService<IRegistryManager>().AddAsync(
            new RegistryAddRequest { Scope = "x.example.com", Username = "u", Password = "pw-" + Guid.NewGuid().ToString("N"), Validate = false });

        Assert.That(Db.RawScalar("SELECT group_concat(key_id) FROM registry_secret_keys"), Is.EqualTo(Protector(key).CurrentKeyId));
        Assert.That(
            Db.RawScalar("SELECT group_concat(version) FROM registry_schema"), Is.EqualTo(string.Join(',', Enumerable.Range(1, Schema.LatestVersion))));
    }

    [Test]
    public async Task KeyIdsOutliveTheProcessThatWroteThem()
    {
        var keyA = AesGcmSecretProtector.GenerateKey();
        var first = Node(keyA);
        await first.GetRequiredService<IRegistryManager>().AddAsync(
            new RegistryAddRequest { Scope = "x.example.com", Username = "u", Password = "pw-" + Guid.NewGuid().ToString("N"), Validate = false });
        await first.DisposeAsync();
        Nodes.Remove(first);

        var error = Assert.ThrowsAsync<RegistrySecretKeyException>(() =>
            Node(AesGcmSecretProtector.GenerateKey()).GetRequiredService<IRegistryManager>().AddAsync(
            new RegistryAddRequest { Scope = "y.example.com", Username = "u", Password = "pw-" + Guid.NewGuid().ToString("N"), Validate = false }));
        Assert.That(error!.StoreKeyIds, Is.EqualTo(new[] { Protector(keyA).CurrentKeyId }));
        Assert.That(Db.RawScalar("SELECT count(*) FROM registry_entries"), Is.EqualTo("1"));
    }

    [Test]
    public async Task AVersion2DatabaseWithoutItsKeyTableIsRefusedAsDamaged()
    {
        await using (var store = Db.Open())
        {
            await store.InitializeAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Db.RawExecute("DROP TABLE registry_secret_keys");
        await using var reopened = Db.Open();
        var error = Assert.ThrowsAsync<SqliteStoreException>(async () => await reopened.InitializeAsync());
        Assert.That(error!.Kind, Is.EqualTo(SqliteStoreErrorKind.Corrupt));
        Assert.That(error.Message, Does.Contain("registry_secret_keys"));
    }
}
