using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using RegistryCredentials.PostgreSql.Internal;
using RegistryCredentials.Tests.Support.Telemetry;

namespace RegistryCredentials.PostgreSql.Tests;

/// <summary>
/// Policy writes in the PostgreSQL change feed (schema step 6): a schema at version 5 is upgraded keeping every entry and
/// policy and numbers policy writes from then on; a policy set on one node reaches another node's resolver from the feed,
/// without a full reload.
/// </summary>
[TestFixture]
public sealed class PostgreSqlPolicyFeedTests : PostgreSqlNodeTests
{
    private static readonly string[] Allowed = ["allowed.example.com"];
    private static readonly string[] OldAllowed = ["a.example.com", "*.b.example.com"];

    [Test]
    public async Task A_version_5_schema_keeps_every_entry_and_policy_and_numbers_policy_writes_from_then_on()
    {
        var schema = PostgreSqlServer.NewName("policy_feed_v5_");
        var quoted = Identifier.Quote(schema);
        await Server.ExecuteAsync(ShippedSchemas.Version5(quoted) + $"""

            INSERT INTO {quoted}.entries VALUES
                ('default', 'x.example.com', 'x', 'docker_v2', 'u', NULL, true, false, NULL, true, now(), now(), 3, '\x0102'::bytea);
            INSERT INTO {quoted}.changes (revision, account, scope) VALUES (1, 'default', 'x.example.com');
            INSERT INTO {quoted}.policies VALUES ('default', 'old.example.com', ARRAY['a.example.com', '*.b.example.com'], now(), 2);
            UPDATE {quoted}.revision SET revision = 2 WHERE id = 1;
            """);
        const string Snapshot = """
            SELECT (SELECT string_agg(account || '|' || scope || '|' || version || '|' || encode(protected_secret, 'hex'), ',') FROM {0}.entries)
                || ' / ' || (SELECT string_agg(account || '|' || default_registry || '|' || array_to_string(allowed_registries, ',') || '|' || version, ',')
                FROM {0}.policies)
            """;
        var before = await Server.ScalarAsync<string>(string.Format(CultureInfo.InvariantCulture, Snapshot, quoted));

        await using var store = new PostgreSqlRegistryStore(
            new PostgreSqlRegistryStoreOptions { ConnectionString = Server.ConnectionString(), Schema = schema });
        var stored = await store.GetPolicyAsync(RegistryAccounts.Default);
        var entry = (await store.ListAsync(null)).Single();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(await Server.ScalarAsync<int>($"SELECT max(version) FROM {quoted}.schema_version"), Is.EqualTo(7));
            Assert.That(Schema.LatestVersion, Is.EqualTo(7));
            Assert.That(
                await Server.ScalarAsync<string>($"SELECT description FROM {quoted}.schema_version WHERE version = 7"),
                Is.EqualTo("wildcard scopes index"));
            Assert.That(
                await Server.ScalarAsync<string>($"SELECT description FROM {quoted}.schema_version WHERE version = 6"),
                Is.EqualTo(PolicyFeedSchema.Description));
            Assert.That(
                await Server.ScalarAsync<string>(string.Format(CultureInfo.InvariantCulture, Snapshot, quoted)),
                Is.EqualTo(before),
                "no entry or policy changed");
            Assert.That((stored!.Version, stored.DefaultRegistry), Is.EqualTo((2L, "old.example.com")));
            Assert.That(stored.AllowedRegistries, Is.EqualTo(OldAllowed));
            Assert.That(entry.Entry.Version, Is.EqualTo(3));
            Assert.That(await store.GetRevisionAsync(), Is.EqualTo(2), "the revision is kept");
            Assert.That(store.IncludesPolicyChanges, Is.True);
        }

        // The changes logged before the upgrade have no policy rows: a node from before it reads everything again.
        Assert.That((await store.GetChangesAsync(0)).IsGap, Is.True);
        var current = await store.GetChangesAsync(2);
        Assert.That((current.IsGap, current.Changes.Count, current.PolicyChanges.Count), Is.EqualTo((false, 0, 0)));

        var written = await store.TrySetPolicyAsync(
            new RegistryPolicy { Account = RegistryAccounts.Default, DefaultRegistry = "new.example.com", AllowedRegistries = Allowed }, 2);
        await store.UpdateAsync(new RegistryRecord(entry.Entry with { Username = "v" }, entry.ProtectedSecret), 3);
        var set = await store.GetChangesAsync(2);

        Assert.That(written!.Version, Is.EqualTo(3));
        Assert.That(set.Revision, Is.EqualTo(4));
        Assert.That(
            set.PolicyChanges.Select(c => (c.Revision, c.Account, c.Policy!.Version, c.Policy.DefaultRegistry)).Single(),
            Is.EqualTo((3L, RegistryAccounts.Default, 3L, "new.example.com")));
        Assert.That(set.PolicyChanges.Single().Policy!.AllowedRegistries, Is.EqualTo(Allowed));
        Assert.That(set.Changes.Select(c => (c.Revision, c.Scope.Value, c.Record!.Entry.Username)).Single(), Is.EqualTo((4L, "x.example.com", "v")));
        var logged = $"SELECT string_agg(revision || ':' || kind || ':' || account || ':' || scope, ' ' ORDER BY revision) FROM {quoted}.changes";
        Assert.That(await Server.ScalarAsync<string>(logged), Is.EqualTo("3:1:default: 4:0:default:x.example.com"));
    }

    [Test]
    public async Task A_policy_set_on_one_node_reaches_another_nodes_resolver_from_the_feed_without_a_reload()
    {
        var schema = PostgreSqlServer.NewName("policy_feed_fleet_");
        var key = AesGcmSecretProtector.GenerateKey();
        var nodeA = Node(schema, key);
        var nodeB = Node(schema, key);
        var resolverB = nodeB.GetRequiredService<IRegistryCredentialResolver>();
        Assert.That((await resolverB.ResolveAsync("ubuntu")).Registry, Is.EqualTo("configured.example.com"));
        using var telemetry = new TelemetryRecorder("RegistryCredentials");
        var policies = nodeA.GetRequiredService<IRegistryPolicyManager>();

        await policies.UpdatePolicyAsync(new RegistryPolicyUpdate { DefaultRegistry = "policy.example.com" });
        await WaitForAsync(async () => (await resolverB.ResolveAsync("ubuntu")).Registry == "policy.example.com");
        await policies.UpdatePolicyAsync(new RegistryPolicyUpdate { AllowedRegistries = Allowed }, RegistryPolicy.GlobalAccount);
        await policies.UpdatePolicyAsync(new RegistryPolicyUpdate { AllowedRegistries = Allowed });
        await WaitForAsync(async () => (await resolverB.ResolveAsync("other.example.com/app")).Kind == RegistryResolutionKind.Denied);

        Assert.That((await resolverB.ResolveAsync("other.example.com/app")).DenialReason, Is.EqualTo(RegistryDenialReason.RegistryNotAllowed));
        Assert.That((await resolverB.ResolveAsync("ubuntu")).Registry, Is.EqualTo("policy.example.com"), "the omitted default kept its value");
        Assert.That(telemetry.Of("registrycredentials.index.rebuilds"), Is.Empty, "no full reload: the feed brought the policies");
        Assert.That(telemetry.Of("registrycredentials.index.changes").Sum(m => m.Value), Is.GreaterThanOrEqualTo(2));
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition)
    {
        var waited = Stopwatch.StartNew(); // a bound on waiting, not a timed assertion
        while (!await condition() && waited.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(10);
        }
    }

    private ServiceProvider Node(string schema, string key)
    {
        var services = new ServiceCollection();
        services.AddRegistryCredentials(o => o.DefaultRegistry = "configured.example.com")
            .UsePostgreSqlStore(Server.ConnectionString(), o => o.Schema = schema)
            .UseSecretProtection(o =>
            {
                o.Key = key;
                o.KeyEnvironmentVariable = null;
                o.CreateKeyFile = false;
            });
        var provider = services.BuildServiceProvider();
        Nodes.Add(provider);
        return provider;
    }
}
