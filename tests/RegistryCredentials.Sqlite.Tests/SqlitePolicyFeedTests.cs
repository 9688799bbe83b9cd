using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using RegistryCredentials.Sqlite.Internal;
using RegistryCredentials.Tests.Support.Telemetry;

namespace RegistryCredentials.Sqlite.Tests;

/// <summary>
/// Policy writes in the SQLite change feed (schema step 6): a database at schema version 5 is upgraded keeping every entry
/// and policy, its policy writes are numbered in the feed from then on, and another process's resolver takes a policy
/// change from the feed without reading the store again.
/// </summary>
[TestFixture]
public sealed class SqlitePolicyFeedTests : SqliteNodeTests
{
    /// <summary>Schema version 5 as it shipped, with an entry (revision 1, logged) and a policy (revision 2, not logged).</summary>
    private const string SchemaVersion5 = ShippedSchemas.Version5 + """
        INSERT INTO registry_entries (account, scope, name, type, username, email, verify_tls, insecure_http, ca_certificates, is_active,
            created_on, updated_on, version, protected_secret)
        VALUES ('default', 'x.example.com', 'x', 'docker_v2', 'u', NULL, 1, 0, NULL, 1,
            '2026-01-01T00:00:00.0000000+00:00', '2026-01-01T00:00:00.0000000+00:00', 3, X'0102030405');
        INSERT INTO registry_policies (account, default_registry, allowed_registries, updated_on, version)
        VALUES ('default', 'old.example.com', 'a.example.com' || char(10) || '*.b.example.com', '2026-01-01T00:00:00.0000000+00:00', 2);
        """;

    private const string PoliciesSnapshot =
        "SELECT group_concat(account || '|' || default_registry || '|' || allowed_registries || '|' || version, char(10)) FROM registry_policies";

    private static readonly string[] Allowed = ["allowed.example.com"];
    private static readonly string[] OldAllowed = ["a.example.com", "*.b.example.com"];

    [Test]
    public async Task AVersion5DatabaseKeepsEveryEntryAndPolicyAndNumbersPolicyWritesInTheFeedFromThenOn()
    {
        Db.RawExecute(SchemaVersion5);
        var entries = Db.RawScalar(EntriesSnapshot);
        var policies = Db.RawScalar(PoliciesSnapshot);
        Assert.That(Db.RawScalar("SELECT revision FROM registry_revision"), Is.EqualTo("2"));

        using var store = Db.Open();
        var stored = await store.GetPolicyAsync(RegistryAccounts.Default);
        var list = await store.ListAsync(null);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(
                Db.RawScalar("SELECT group_concat(version) FROM registry_schema"),
                Is.EqualTo(string.Join(',', Enumerable.Range(1, Schema.LatestVersion))));
            Assert.That(Schema.LatestVersion, Is.GreaterThanOrEqualTo(6));
            Assert.That(Db.RawScalar("SELECT description FROM registry_schema WHERE version = 6"), Is.EqualTo("policy writes in the change feed"));
            Assert.That(Db.RawScalar(EntriesSnapshot), Is.EqualTo(entries), "no entry changed");
            Assert.That(Db.RawScalar(PoliciesSnapshot), Is.EqualTo(policies), "no policy changed");
            Assert.That((stored!.Version, stored.DefaultRegistry), Is.EqualTo((2L, "old.example.com")));
            Assert.That(stored.AllowedRegistries, Is.EqualTo(OldAllowed));
            Assert.That(list.Single().Entry.Version, Is.EqualTo(3));
            Assert.That(await store.GetRevisionAsync(), Is.EqualTo(2), "the revision is kept");
            Assert.That(store.IncludesPolicyChanges, Is.True);
        }

        // The changes logged before the upgrade have no policy rows: a reader from before it reads everything again.
        var behind = await store.GetChangesAsync(0);
        var current = await store.GetChangesAsync(2);
        Assert.That(behind.IsGap, Is.True);
        Assert.That((current.IsGap, current.Changes.Count, current.PolicyChanges.Count), Is.EqualTo((false, 0, 0)));

        var written = await store.TrySetPolicyAsync(
            new RegistryPolicy { Account = RegistryAccounts.Default, DefaultRegistry = "new.example.com", AllowedRegistries = Allowed }, 2);
        var entry = list.Single();
        await store.UpdateAsync(new RegistryRecord(entry.Entry with { Username = "v" }, entry.ProtectedSecret), 3);
        var set = await store.GetChangesAsync(2);

        Assert.That(written!.Version, Is.EqualTo(3));
        Assert.That(set.Revision, Is.EqualTo(4));
        Assert.That(set.PolicyChanges.Select(c => (c.Revision, c.Account, c.Policy!.Version, c.Policy.DefaultRegistry)).Single(),
            Is.EqualTo((3L, RegistryAccounts.Default, 3L, "new.example.com")));
        Assert.That(set.PolicyChanges.Single().Policy!.AllowedRegistries, Is.EqualTo(Allowed));
        Assert.That(set.Changes.Select(c => (c.Revision, c.Scope.Value, c.Record!.Entry.Username)).Single(), Is.EqualTo((4L, "x.example.com", "v")));
        Assert.That(Db.RawScalar("SELECT group_concat(revision || ':' || kind || ':' || account || ':' || scope, ' ') FROM registry_changes"),
            Is.EqualTo("3:1:default: 4:0:default:x.example.com"));
    }

    [Test]
    public async Task AnotherProcesssPolicyChangeReachesTheResolverFromTheFeedWithoutAReload()
    {
        var writer = Node();
        var reader = Node(); // another store instance on the same file: another process's view
        var resolver = reader.GetRequiredService<IRegistryCredentialResolver>();
        Assert.That((await resolver.ResolveAsync("ubuntu")).Registry, Is.EqualTo("configured.example.com"));
        using var telemetry = new TelemetryRecorder("RegistryCredentials");
        var policies = writer.GetRequiredService<IRegistryPolicyManager>();

        await policies.UpdatePolicyAsync(new RegistryPolicyUpdate { DefaultRegistry = "policy.example.com" });
        await UntilAsync(async () => (await resolver.ResolveAsync("ubuntu")).Registry == "policy.example.com");
        await policies.UpdatePolicyAsync(new RegistryPolicyUpdate { AllowedRegistries = Allowed }, RegistryPolicy.GlobalAccount);
        await policies.UpdatePolicyAsync(new RegistryPolicyUpdate { AllowedRegistries = Allowed });
        await UntilAsync(async () => (await resolver.ResolveAsync("other.example.com/app")).Kind == RegistryResolutionKind.Denied);

        Assert.That((await resolver.ResolveAsync("other.example.com/app")).DenialReason, Is.EqualTo(RegistryDenialReason.RegistryNotAllowed));
        Assert.That((await resolver.ResolveAsync("ubuntu")).Registry, Is.EqualTo("policy.example.com"), "the omitted default kept its value");
        Assert.That(telemetry.Of("registrycredentials.index.rebuilds"), Is.Empty, "no full reload: the feed brought the policies");
        Assert.That(telemetry.Of("registrycredentials.index.changes").Sum(m => m.Value), Is.GreaterThanOrEqualTo(2));
    }

    [Test]
    public async Task ThePolicyManagersOwnWriteIsInForceInItsProcessBeforeItReturns()
    {
        var node = Node();
        var resolver = node.GetRequiredService<IRegistryCredentialResolver>();
        await resolver.ResolveAsync("ubuntu");
        var policies = node.GetRequiredService<IRegistryPolicyManager>();

        await policies.UpdatePolicyAsync(new RegistryPolicyUpdate { DefaultRegistry = "mine.example.com" });

        Assert.That((await resolver.ResolveAsync("ubuntu")).Registry, Is.EqualTo("mine.example.com"));
        Assert.That(int.Parse(Db.RawScalar("SELECT COUNT(*) FROM registry_changes WHERE kind = 1"), CultureInfo.InvariantCulture), Is.EqualTo(1));
    }

    /// <summary>Waits until the condition holds, at most 10 s (a bound on waiting, not a timed assertion).</summary>
    private static async Task UntilAsync(Func<Task<bool>> condition)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!await condition() && waited.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(20);
        }
    }

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
}
