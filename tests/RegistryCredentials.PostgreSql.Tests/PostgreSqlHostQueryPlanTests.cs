using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using RegistryCredentials.PostgreSql.Internal;

namespace RegistryCredentials.PostgreSql.Tests;

/// <summary>
/// The host query (<see cref="IRegistryHostQuery.ListForRegistryAsync"/>, the one read per registry of a short-lived
/// process: a credential helper or kubelet plugin on a PostgreSQL store) reads through indexes, not every entry: the
/// registry and its paths through the primary key (account, scope), the scopes whose host holds a '*' through the partial
/// index of schema version 7. Checked on PostgreSQL's own plan, not on a timing: with sequential scans priced out
/// (<c>enable_seqscan = off</c>) a plan still holds one only where no index can serve, and the wildcard part must name
/// the partial index (the primary key alone would read every entry of the account and filter them).
/// </summary>
[TestFixture]
public sealed class PostgreSqlHostQueryPlanTests : PostgreSqlNodeTests
{
    [TestCase(true)]
    [TestCase(false)]
    public async Task The_host_query_reads_through_indexes_only(bool oneAccount)
    {
        var schema = PostgreSqlServer.NewName("plan_");
        await using (var node = Node(schema))
        {
            var manager = node.GetRequiredService<IRegistryManager>();
            foreach (var scope in new[] { "reg.example.com", "reg.example.com/team/*", "*.example.com", "other.example.org" })
            {
                var password = "p-" + Guid.NewGuid().ToString("N");
                await manager.AddAsync(new RegistryAddRequest { Scope = scope, Username = "u", Password = password, Validate = false });
            }
        }

        var statements = new Statements(schema, 3600);
        var plan = await GenericPlanAsync(
            oneAccount ? statements.ForRegistryAccount : statements.ForRegistryAll,
            oneAccount ? ["default", "reg.example.com", "reg.example.com/", "reg.example.com0"] : ["reg.example.com", "reg.example.com/", "reg.example.com0"]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(plan, Has.None.Contains("Seq Scan"), string.Join("\n", plan));
            Assert.That(plan, Has.Some.Contains("entries_wildcards"), string.Join("\n", plan));
            Assert.That(plan, Has.Some.Contains("entries_pkey"), string.Join("\n", plan));
        }
    }

    [Test]
    public async Task A_store_migrated_from_version_5_has_the_wildcard_index()
    {
        var schema = PostgreSqlServer.NewName("plan_v5_");
        await Server.ExecuteAsync(ShippedSchemas.Version5(schema));
        await using (var node = Node(schema))
        {
            await node.GetRequiredService<IRegistryManager>().ListAsync();
        }

        var index = await Server.ScalarAsync<string>(
            $"SELECT indexdef FROM pg_indexes WHERE schemaname = '{schema}' AND indexname = 'entries_wildcards'");
        Assert.That(index, Does.Contain("WHERE").And.Contain("strpos"));
        Assert.That(await Server.ScalarAsync<int>($"SELECT max(version) FROM {schema}.schema_version"), Is.EqualTo(Schema.LatestVersion));
    }

    private ServiceProvider Node(string schema)
    {
        var services = new ServiceCollection();
        services.AddRegistryCredentials().UsePostgreSqlStore(Server.ConnectionString(), o => o.Schema = schema).UseSecretProtection(o =>
        {
            o.Key = AesGcmSecretProtector.GenerateKey();
            o.KeyEnvironmentVariable = null;
            o.CreateKeyFile = false;
        });
        return services.BuildServiceProvider();
    }

    /// <summary>EXPLAIN of the statement's generic plan (the one for any parameter values), sequential scans priced out.</summary>
    private async Task<List<string>> GenericPlanAsync(string sql, string[] parameters)
    {
        await using var connection = new NpgsqlConnection(Server.ConnectionString(extra: "Pooling=false"));
        await connection.OpenAsync();
        foreach (var setup in new[] { "SET enable_seqscan = off", "SET plan_cache_mode = force_generic_plan", "PREPARE host_query AS " + sql })
        {
            await using var command = new NpgsqlCommand(setup, connection);
            await command.ExecuteNonQueryAsync();
        }

        var arguments = string.Join(", ", parameters.Select(p => "'" + p + "'"));
        await using var explain = new NpgsqlCommand($"EXPLAIN EXECUTE host_query({arguments})", connection);
        await using var reader = await explain.ExecuteReaderAsync();
        var plan = new List<string>();
        while (await reader.ReadAsync())
        {
            plan.Add(reader.GetString(0));
        }

        return plan;
    }
}
