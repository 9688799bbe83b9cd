using Microsoft.Data.Sqlite;
using RegistryCredentials.Sqlite.Internal;

namespace RegistryCredentials.Sqlite.Tests;

/// <summary>
/// The host query (a lookup's one read, <see cref="SqliteRegistryStore.ListForRegistryAsync"/>) reads through indexes, not
/// every entry: the registry and its paths through the (account, scope) index, the wildcard scopes through the partial index
/// of schema version 7. A plan that scans the table would make each lookup read every entry (1,000 entries: 0.4 ms of a
/// 10 ms lookup; 100,000: tens of ms). Checked on SQLite's own query plan, not on a timing.
/// </summary>
[TestFixture]
public sealed class SqliteHostQueryPlanTests
{
    private TempDatabase _db = null!;

    [SetUp]
    public void CreateFolder() => _db = new TempDatabase();

    [TearDown]
    public void DeleteFolder() => _db.Dispose();

    [Test]
    public async Task TheHostQueryOfOneAccountReadsThroughIndexesOnly()
    {
        await using (var store = _db.Open())
        {
            await store.InitializeAsync();
        }

        var plan = QueryPlan(Statements.ForRegistryAccount);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(plan, Has.None.StartsWith("SCAN "), string.Join("\n", plan));
            Assert.That(plan, Has.Some.Contains("SEARCH registry_entries USING INDEX registry_entries_wildcards"), string.Join("\n", plan));
        }
    }

    [Test]
    public async Task TheHostQueryOfEveryAccountFindsTheWildcardsThroughTheirIndex()
    {
        await using (var store = _db.Open())
        {
            await store.InitializeAsync();
        }

        // Without an account the registry part walks the (account, scope) index (the account is its first column); the
        // wildcard part still reads only the wildcard scopes. Never the table itself.
        var plan = QueryPlan(Statements.ForRegistryAll);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(plan.Where(p => p.StartsWith("SCAN ", StringComparison.Ordinal)), Has.All.Contains(" USING INDEX "), string.Join("\n", plan));
            Assert.That(plan, Has.Some.Contains("USING INDEX registry_entries_wildcards"), string.Join("\n", plan));
        }
    }

    [Test]
    public async Task TheWildcardIndexHoldsOnlyTheScopesWithAStar()
    {
        await using (var store = _db.Open())
        {
            await store.InitializeAsync();
        }

        Assert.That(
            _db.RawScalar("SELECT sql FROM sqlite_schema WHERE name = 'registry_entries_wildcards'"),
            Does.Contain("WHERE instr(scope, '*') > 0"));
    }

    private List<string> QueryPlan(string statement)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = _db.Path,
            Pooling = false,
            Mode = SqliteOpenMode.ReadOnly,
        }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + statement;
        foreach (var name in new[] { "$account", "$registry", "$paths", "$pathsEnd" })
        {
            command.Parameters.AddWithValue(name, "x");
        }

        var details = new List<string>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            details.Add(reader.GetString(3));
        }

        return details;
    }
}
