using BenchmarkDotNet.Attributes;
using RegistryCredentials.Sqlite;

namespace RegistryCredentials.Benchmarks;

/// <summary>
/// What a resolver pays to load its index from a SQLite file of 100,000 entries (<c>ListAsync(null)</c>), and what
/// opening the file costs with and without the integrity check.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class SqliteIndexLoadBenchmarks
{
    private const int EntryCount = 100_000;
    private string _path = null!;
    private SqliteRegistryStore _store = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _path = SqliteBenchmarkData.NewPath();
        await SqliteBenchmarkData.FillAsync(_path, EntryCount);
        _store = new SqliteRegistryStore(new SqliteRegistryStoreOptions { Path = _path });
        await _store.InitializeAsync();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _store.Dispose();
        SqliteBenchmarkData.Delete(_path);
    }

    /// <summary>Reads and parses all 100,000 records, as the resolver does to build its index.</summary>
    [Benchmark]
    public async Task<int> ListAll() => (await _store.ListAsync(null)).Count;

    /// <summary>Opens the file: header probe, schema check, <c>quick_check</c>, WAL.</summary>
    [Benchmark]
    public async Task OpenWithIntegrityCheck()
    {
        await using var store = new SqliteRegistryStore(new SqliteRegistryStoreOptions { Path = _path });
        await store.InitializeAsync();
    }

    /// <summary>Opens the file without <c>quick_check</c>.</summary>
    [Benchmark]
    public async Task OpenWithoutIntegrityCheck()
    {
        await using var store = new SqliteRegistryStore(new SqliteRegistryStoreOptions { Path = _path, CheckIntegrityOnOpen = false });
        await store.InitializeAsync();
    }
}
