using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using RegistryCredentials.PostgreSql.Internal;

namespace RegistryCredentials.PostgreSql.Tests;

/// <summary>
/// Policies on PostgreSQL (issue 14, section 5): a schema written by version 2 (before policies) gets the policy table by its
/// own numbered migration, keeping every entry; and on a fleet (two stores on one schema, two nodes) a policy set on one node
/// is in force on the other as fast as an entry. The time is measured and written to the test output, never asserted.
/// </summary>
[TestFixture]
public sealed class PostgreSqlPolicyTests : PostgreSqlNodeTests
{
    private static readonly string[] Allowed = ["allowed.example.com"];

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

    [Test]
    public async Task A_version_2_schema_gets_the_policy_table_and_keeps_every_entry()
    {
        var schema = PostgreSqlServer.NewName("policy_v2_");
        var quoted = Identifier.Quote(schema);

        // The schema as versions 1 and 2 wrote it: their migrations as shipped, recorded in schema_version.
        await Server.ExecuteAsync($"""
            CREATE SCHEMA {quoted};
            CREATE TABLE {quoted}.schema_version (version integer PRIMARY KEY, description text NOT NULL, applied_on timestamptz NOT NULL DEFAULT now());
            {Schema.Migrations[0].Sql(quoted)}
            {Schema.Migrations[1].Sql(quoted)}
            INSERT INTO {quoted}.schema_version (version, description) VALUES (1, 'entries table'), (2, 'secret key ids');
            INSERT INTO {quoted}.entries VALUES
                ('default', 'x.example.com', 'x', 'docker_v2', 'u', NULL, true, false, NULL, true, now(), now(), 4, '\x0102'::bytea);
            """);
        const string Entries = "SELECT string_agg(account || '|' || scope || '|' || version || '|' || encode(protected_secret, 'hex'), ',') FROM {0}.entries";
        var before = await Server.ScalarAsync<string>(string.Format(CultureInfo.InvariantCulture, Entries, quoted));

        var policies = Node(schema, AesGcmSecretProtector.GenerateKey()).GetRequiredService<IRegistryPolicyManager>();
        Assert.That((await policies.GetPolicyAsync()).IsStored, Is.False);
        var written = await policies.UpdatePolicyAsync(new RegistryPolicyUpdate { AllowedRegistries = Allowed });

        Assert.Multiple(async () =>
        {
            Assert.That(written.Version, Is.EqualTo(1));
            Assert.That(written.DefaultRegistry, Is.EqualTo("configured.example.com"), "an omitted field keeps the value in force");
            Assert.That(await Server.ScalarAsync<int>($"SELECT max(version) FROM {quoted}.schema_version"), Is.EqualTo(Schema.LatestVersion));
            Assert.That(
                await Server.ScalarAsync<string>($"SELECT description FROM {quoted}.schema_version WHERE version = 3"),
                Is.EqualTo(PolicySchema.Description));
            var after = await Server.ScalarAsync<string>(string.Format(CultureInfo.InvariantCulture, Entries, quoted));
            Assert.That(after, Is.EqualTo(before), "no entry changed");
            Assert.That(await Server.ScalarAsync<string>($"SELECT array_to_string(allowed_registries, ',') FROM {quoted}.policies WHERE account = 'default'"),
                Is.EqualTo("allowed.example.com"));
        });
    }

    /// <summary>
    /// The fleet figure: node A changes the policy (and, for comparison, adds an entry); node B's resolver answers by the
    /// change after the time written to the output. Both go through the same channel, so the two figures are alike.
    /// </summary>
    [Test]
    public async Task A_policy_set_on_one_node_is_in_force_on_another_as_fast_as_an_entry()
    {
        var schema = PostgreSqlServer.NewName("policy_fleet_");
        var key = AesGcmSecretProtector.GenerateKey();
        var nodeA = Node(schema, key);
        var nodeB = Node(schema, key);
        var resolverB = nodeB.GetRequiredService<IRegistryCredentialResolver>();
        Assert.That((await resolverB.ResolveAsync("other.example.com/app")).Kind, Is.EqualTo(RegistryResolutionKind.Anonymous));
        Assert.That((await resolverB.ResolveAsync("entry.example.com/app")).Kind, Is.EqualTo(RegistryResolutionKind.Anonymous));

        var policyTimes = new List<double>();
        var entryTimes = new List<double>();
        for (var round = 0; round < 5; round++)
        {
            var allowed = round % 2 == 0 ? Allowed : [];
            var started = Stopwatch.StartNew();
            await nodeA.GetRequiredService<IRegistryPolicyManager>().UpdatePolicyAsync(new RegistryPolicyUpdate { AllowedRegistries = allowed });
            var wanted = round % 2 == 0 ? RegistryResolutionKind.Denied : RegistryResolutionKind.Anonymous;
            await WaitForAsync(async () => (await resolverB.ResolveAsync("other.example.com/app")).Kind == wanted);
            policyTimes.Add(started.Elapsed.TotalMilliseconds);

            var scope = $"entry{round}.example.com";
            started.Restart();
            await nodeA.GetRequiredService<IRegistryManager>().AddAsync(
                new RegistryAddRequest { Scope = scope, Username = "u", Password = "pw-" + Guid.NewGuid().ToString("N"), Validate = false });
            await WaitForAsync(async () => (await resolverB.ResolveAsync(scope + "/app")).Kind != RegistryResolutionKind.Anonymous);
            entryTimes.Add(started.Elapsed.TotalMilliseconds);
        }

        var denied = await resolverB.ResolveAsync("other.example.com/app");
        Assert.That(
            denied.DenialReason, Is.EqualTo(RegistryDenialReason.RegistryNotAllowed), "the last policy (round 4: allow-list set) is in force on node B");
        TestContext.Out.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"fleet propagation, write on A to resolution on B: policy median {Median(policyTimes):F1} ms (max {policyTimes.Max():F1}), " +
            $"entry median {Median(entryTimes):F1} ms (max {entryTimes.Max():F1}); 5 rounds each"));
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition)
    {
        var waited = Stopwatch.StartNew(); // a bound on waiting, not a timed assertion
        while (!await condition())
        {
            if (waited.Elapsed > TimeSpan.FromSeconds(30))
            {
                Assert.Fail("The change never reached the other node.");
            }

            await Task.Delay(1);
        }
    }
}
