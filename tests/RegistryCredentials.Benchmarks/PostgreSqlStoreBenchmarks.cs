using System.Globalization;
using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using NpgsqlTypes;
using RegistryCredentials.PostgreSql;
using RegistryCredentials.Tests.Support.PostgreSql;

namespace RegistryCredentials.Benchmarks;

/// <summary>
/// <see cref="PostgreSqlRegistryStore"/> on a throw-away local PostgreSQL cluster (started in setup, like the tests'
/// fixture) holding <see cref="EntryCount"/> entries: add, update, get, list, the resolver's index load, and how long a
/// change made through node A takes to fire node B's change token.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class PostgreSqlStoreBenchmarks
{
    private static readonly DateTimeOffset Created = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
    private PostgreSqlServer _server = null!;
    private PostgreSqlRegistryStore _nodeA = null!;
    private PostgreSqlRegistryStore _nodeB = null!;
    private RegistryScope _hot = null!;
    private RegistryRecord _hotRecord = null!;
    private long _hotVersion;
    private int _added;

    [Params(10_000, 100_000)]
    public int EntryCount { get; set; }

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _server = await PostgreSqlServer.GetAsync();
        var schema = PostgreSqlServer.NewName("bench_");
        _nodeA = new PostgreSqlRegistryStore(new PostgreSqlRegistryStoreOptions { ConnectionString = _server.ConnectionString(), Schema = schema });
        _nodeB = new PostgreSqlRegistryStore(new PostgreSqlRegistryStoreOptions { ConnectionString = _server.ConnectionString(), Schema = schema });
        await _nodeA.ListAsync(null);
        await _nodeB.ListAsync(null);
        await BulkLoadAsync(schema);
        await _server.ExecuteAsync($"VACUUM ANALYZE {schema}.entries");
        _hot = RegistryScope.Parse("reg0.example.com/team1"); // row 1 of the bulk load
        _hotRecord = (await _nodeA.GetAsync(RegistryAccounts.Default, _hot))!;
        _hotVersion = _hotRecord.Entry.Version;
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _nodeA.DisposeAsync();
        await _nodeB.DisposeAsync();
        await PostgreSqlServer.StopSharedAsync();
    }

    [Benchmark]
    public async Task<RegistryRecord> Add() =>
        await _nodeA.AddAsync(Record(string.Create(CultureInfo.InvariantCulture, $"added{Interlocked.Increment(ref _added)}.example.org")));

    [Benchmark]
    public async Task<RegistryRecord> Update()
    {
        var updated = await _nodeA.UpdateAsync(_hotRecord, _hotVersion);
        _hotVersion = updated.Entry.Version;
        return updated;
    }

    [Benchmark]
    public async Task<RegistryRecord?> Get() => await _nodeA.GetAsync(RegistryAccounts.Default, _hot);

    [Benchmark]
    public async Task<int> List() => (await _nodeA.ListAsync(null)).Count;

    /// <summary>A fresh resolver on the store: its first resolve lists every entry and builds the index.</summary>
    [Benchmark]
    public async Task<RegistryResolutionKind> ResolverIndexLoad()
    {
        var services = new ServiceCollection().AddLogging();
        // Never decrypts: the per-process key, by name (a durable store otherwise gets the key file of the user running it).
        services.AddRegistryCredentials().UseStore(_nodeA).UseEphemeralSecretProtection();
        await using var provider = services.BuildServiceProvider();
        var resolution = await provider.GetRequiredService<IRegistryCredentialResolver>().ResolveAsync("unknown.example.org/x/y");
        return resolution.Kind;
    }

    /// <summary>Node A updates an entry; completes when node B's change token fires (LISTEN/NOTIFY round trip).</summary>
    [Benchmark]
    public async Task ChangePropagation()
    {
        var fired = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var registration = _nodeB.Watch().RegisterChangeCallback(static state => ((TaskCompletionSource)state!).TrySetResult(), fired);
        var updated = await _nodeA.UpdateAsync(_hotRecord, _hotVersion);
        _hotVersion = updated.Entry.Version;
        await fired.Task.WaitAsync(TimeSpan.FromSeconds(5));
    }

    private static RegistryRecord Record(string scope) => new(
        new RegistryEntry
        {
            Account = RegistryAccounts.Default,
            Scope = RegistryScope.Parse(scope),
            Name = scope,
            Type = RegistryType.DockerV2,
            Username = "bench",
            CreatedOn = Created,
            UpdatedOn = Created,
        },
        RandomNumberGenerator.GetBytes(60));

    /// <summary>COPY the entries in (the store's own add would take minutes at 100,000).</summary>
    private async Task BulkLoadAsync(string schema)
    {
        await using var connection = new NpgsqlConnection(_server.ConnectionString());
        await connection.OpenAsync();
        await using var import = await connection.BeginBinaryImportAsync(
            $"COPY {schema}.entries (account, scope, name, type, username, email, verify_tls, insecure_http, "
            + $"ca_certificates, is_active, created_on, updated_on, version, protected_secret) FROM STDIN (FORMAT BINARY)");
        var secret = RandomNumberGenerator.GetBytes(60);
        for (var i = 0; i < EntryCount; i++)
        {
            var scope = (i % 4) switch
            {
                0 => string.Create(CultureInfo.InvariantCulture, $"reg{i / 4}.example.com"),
                1 => string.Create(CultureInfo.InvariantCulture, $"reg{i / 4}.example.com/team{i % 7}"),
                2 => string.Create(CultureInfo.InvariantCulture, $"reg{i / 4}.example.com/team{i % 7}/app"),
                _ => string.Create(CultureInfo.InvariantCulture, $"reg{i / 4}.example.com/team{(i + 1) % 7}/app/sub{i % 3}"),
            };
            await import.StartRowAsync();
            await import.WriteAsync(RegistryAccounts.Default, NpgsqlDbType.Text);
            await import.WriteAsync(scope, NpgsqlDbType.Text);
            await import.WriteAsync(scope, NpgsqlDbType.Text);
            await import.WriteAsync("docker_v2", NpgsqlDbType.Text);
            await import.WriteAsync("bench", NpgsqlDbType.Text);
            await import.WriteNullAsync();
            await import.WriteAsync(true, NpgsqlDbType.Boolean);
            await import.WriteAsync(false, NpgsqlDbType.Boolean);
            await import.WriteNullAsync();
            await import.WriteAsync(true, NpgsqlDbType.Boolean);
            await import.WriteAsync(Created, NpgsqlDbType.TimestampTz);
            await import.WriteAsync(Created, NpgsqlDbType.TimestampTz);
            await import.WriteAsync(1L, NpgsqlDbType.Bigint);
            await import.WriteAsync(secret, NpgsqlDbType.Bytea);
        }

        await import.CompleteAsync();
    }
}
