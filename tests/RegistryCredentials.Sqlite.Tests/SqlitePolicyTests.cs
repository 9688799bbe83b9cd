using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using RegistryCredentials.Sqlite.Internal;

namespace RegistryCredentials.Sqlite.Tests;

/// <summary>
/// Policies in a SQLite file (issue 14, section 5): a database written by schema version 2 (before policies) is migrated by
/// its own numbered step and keeps every entry; a policy written by one process is in force in another's resolver.
/// </summary>
[TestFixture]
public sealed class SqlitePolicyTests : SqliteNodeTests
{
    /// <summary>Schema version 2 as it shipped, with one entry.</summary>
    private const string SchemaVersion2 = ShippedSchemas.Version2 + """
        INSERT INTO registry_entries (account, scope, name, type, username, email, verify_tls, insecure_http, ca_certificates, is_active,
            created_on, updated_on, version, protected_secret)
        VALUES ('default', 'x.example.com', 'x', 'docker_v2', 'u', NULL, 1, 0, NULL, 1,
            '2026-01-01T00:00:00.0000000+00:00', '2026-01-01T00:00:00.0000000+00:00', 3, X'0102030405');
        """;

    private static readonly string[] Allowed = ["allowed.example.com"];

    private ServiceProvider Node()
    {
        var services = new ServiceCollection();
        services.AddRegistryCredentials(o => o.DefaultRegistry = "configured.example.com")
            .UseSqliteStore(Db.Path, o => o.ChangePollInterval = TimeSpan.FromMilliseconds(100))
            .UseSecretProtection(o =>
            {
                o.Key = AesGcmSecretProtector.GenerateKey();
                o.KeyEnvironmentVariable = null;
                o.CreateKeyFile = false;
            });
        var provider = services.BuildServiceProvider();
        Nodes.Add(provider);
        return provider;
    }

    [Test]
    public async Task AVersion2DatabaseGetsThePolicyTableAndKeepsEveryEntry()
    {
        Db.RawExecute(SchemaVersion2);
        var entries = Db.RawScalar(EntriesSnapshot);
        var policies = Node().GetRequiredService<IRegistryPolicyManager>();

        var before = await policies.GetPolicyAsync();
        Assert.That(before.IsStored, Is.False, "configuration gives the starting values");
        Assert.That(before.DefaultRegistry, Is.EqualTo("configured.example.com"));

        var written = await policies.UpdatePolicyAsync(new RegistryPolicyUpdate { AllowedRegistries = Allowed });

        Assert.Multiple(() =>
        {
            Assert.That(written.Version, Is.EqualTo(1));
            Assert.That(written.DefaultRegistry, Is.EqualTo("configured.example.com"), "an omitted field keeps the value in force");
            Assert.That(
                Db.RawScalar("SELECT group_concat(version) FROM registry_schema"),
                Is.EqualTo(string.Join(',', Enumerable.Range(1, Schema.LatestVersion))));
            Assert.That(Db.RawScalar("SELECT description FROM registry_schema WHERE version = 3"), Is.EqualTo("registry policies"));
            Assert.That(Db.RawScalar(EntriesSnapshot), Is.EqualTo(entries), "no entry changed");
            Assert.That(Db.RawScalar("SELECT account || '|' || default_registry || '|' || allowed_registries FROM registry_policies"),
                Is.EqualTo("default|configured.example.com|allowed.example.com"));
            Assert.That(
                int.Parse(Db.RawScalar("SELECT revision FROM registry_revision"), CultureInfo.InvariantCulture),
                Is.GreaterThan(0),
                "a policy change raises the revision other processes watch");
        });
    }

    [Test]
    public async Task APolicyWrittenByOneProcessIsInForceInAnother()
    {
        var writer = Node();
        var reader = Node(); // another store instance on the same file: another process's view
        var resolver = reader.GetRequiredService<IRegistryCredentialResolver>();
        Assert.That((await resolver.ResolveAsync("other.example.com/app")).Kind, Is.EqualTo(RegistryResolutionKind.Anonymous));

        await writer.GetRequiredService<IRegistryPolicyManager>().UpdatePolicyAsync(new RegistryPolicyUpdate { AllowedRegistries = Allowed });

        var waited = System.Diagnostics.Stopwatch.StartNew(); // a bound on waiting, not a timed assertion
        RegistryResolution resolution;
        while ((resolution = await resolver.ResolveAsync("other.example.com/app")).Kind != RegistryResolutionKind.Denied
            && waited.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(20);
        }

        Assert.That(resolution.DenialReason, Is.EqualTo(RegistryDenialReason.RegistryNotAllowed));
        Assert.That((await resolver.ResolveAsync("ubuntu")).Registry, Is.EqualTo("configured.example.com"), "the omitted default kept its value");
    }
}
