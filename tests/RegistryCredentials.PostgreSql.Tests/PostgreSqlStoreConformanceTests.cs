using RegistryCredentials.Testing;

namespace RegistryCredentials.PostgreSql.Tests;

/// <summary>The conformance suite against PostgreSQL: each test on a fresh schema; the second view is another store (another node) on it.</summary>
[TestFixture]
public sealed class PostgreSqlStoreConformanceTests : RegistryStoreConformanceTests
{
    private readonly Dictionary<IRegistryStore, string> _schemas = new(ReferenceEqualityComparer.Instance);

    /// <summary>Fleet nodes must see a change within a second.</summary>
    protected override TimeSpan ChangeSignalTimeout => TimeSpan.FromSeconds(1);

    protected override async Task<IRegistryStore> CreateStoreAsync()
    {
        var server = await PostgreSqlServer.GetAsync();
        var schema = PostgreSqlServer.NewName("conf_");
        var store = new PostgreSqlRegistryStore(new PostgreSqlRegistryStoreOptions { ConnectionString = server.ConnectionString(), Schema = schema });
        _schemas[store] = schema;
        return store;
    }

    /// <summary>Deletes the feed's rows as trimming by age (ChangeRetention) would.</summary>
    protected override async Task<bool> ForgetChangesAsync(IRegistryStore store, long revision)
    {
        var server = await PostgreSqlServer.GetAsync();
        await using var connection = new Npgsql.NpgsqlConnection(server.ConnectionString());
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand($"DELETE FROM {_schemas[store]}.changes WHERE revision <= $1", connection);
        command.Parameters.Add(new Npgsql.NpgsqlParameter<long> { TypedValue = revision });
        await command.ExecuteNonQueryAsync();
        return true;
    }

    protected override async Task<IRegistryStore?> OpenSecondViewAsync(IRegistryStore store)
    {
        var server = await PostgreSqlServer.GetAsync();
        return new PostgreSqlRegistryStore(new PostgreSqlRegistryStoreOptions { ConnectionString = server.ConnectionString(), Schema = _schemas[store] });
    }
}
