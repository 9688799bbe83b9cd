using BenchmarkDotNet.Attributes;
using RegistryCredentials.Sqlite;

namespace RegistryCredentials.Benchmarks;

/// <summary>
/// <see cref="SqliteRegistryStore"/> with 10,000 entries in one file (WAL, <c>synchronous = FULL</c>: every write is
/// flushed to disk before it returns). Add and update are one write transaction each.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class SqliteStoreBenchmarks
{
    private const int EntryCount = 10_000;
    private string _path = null!;
    private SqliteRegistryStore _store = null!;
    private RegistryRecord _updated = null!;
    private RegistryScope _existing = null!;
    private long _version;
    private int _added;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _path = SqliteBenchmarkData.NewPath();
        await SqliteBenchmarkData.FillAsync(_path, EntryCount);
        _store = new SqliteRegistryStore(new SqliteRegistryStoreOptions { Path = _path });
        _existing = RegistryScope.Parse(SqliteBenchmarkData.Scope(EntryCount / 2));
        _updated = SqliteBenchmarkData.Record(_existing.Value, "updated");
        _version = (await _store.GetAsync(RegistryAccounts.Default, _existing))!.Entry.Version;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _store.Dispose();
        SqliteBenchmarkData.Delete(_path);
    }

    /// <summary>Adds a new entry (the table grows by one per call).</summary>
    [Benchmark]
    public async Task<RegistryRecord> Add() =>
        await _store.AddAsync(SqliteBenchmarkData.Record($"new{_added++}.example.com/team"));

    /// <summary>Updates one entry with its expected version.</summary>
    [Benchmark]
    public async Task<RegistryRecord> Update()
    {
        var stored = await _store.UpdateAsync(_updated, _version);
        _version = stored.Entry.Version;
        return stored;
    }

    /// <summary>Gets one entry by account and scope.</summary>
    [Benchmark]
    public async Task<RegistryRecord?> Get() => await _store.GetAsync(RegistryAccounts.Default, _existing);

    /// <summary>Lists every entry (10,000 and the ones added by <see cref="Add"/>).</summary>
    [Benchmark]
    public async Task<int> List() => (await _store.ListAsync(null)).Count;
}
