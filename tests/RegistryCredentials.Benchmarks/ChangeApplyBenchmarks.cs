using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;

namespace RegistryCredentials.Benchmarks;

/// <summary>
/// Issue 16: the resolver's work to apply one change from the store's change feed, at 1,000 / 100,000 / 1,000,000 entries
/// (ten entries per host, as registries with a few repository-path entries each).
/// <see cref="ApplyOneChange"/> = one update in the in-memory store + <c>RefreshAsync</c> (read the feed, copy the one
/// host's node, swap it in); <see cref="StoreUpdateOnly"/> is the store's part alone. Targets: apply ≤ 1 ms and ≤ 64 KB,
/// flat in N. The warm resolve is <see cref="ResolveBenchmarks"/> (10 to 1,000,000 entries, out of process): a warm resolve
/// here, in process and a few thousand calls after setup, measured code the JIT had not yet tiered up (96 B, 3× slower).
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class ChangeApplyBenchmarks
{
    private ServiceProvider _services = null!;
    private QuietFeedStore _store = null!;
    private IRegistryCredentialResolver _resolver = null!;
    private RegistryRecord _changing = null!;
    private ImageReference _hit = null!;
    private int _turn;

    [Params(1_000, 100_000, 1_000_000)]
    public int EntryCount { get; set; }

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _store = new QuietFeedStore(new InMemoryRegistryStore());
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddRegistryCredentials().UseStore(_store);
        _services = services.BuildServiceProvider();
        for (var i = 0; i < EntryCount; i++)
        {
            await _store.Inner.AddAsync(SqliteBenchmarkData.Record($"reg{i / 10}.example.com/team{i % 10}"));
        }

        // The resolved entry through the manager, so its secret is really protected and its credential is made and cached.
        await _services.GetRequiredService<IRegistryManager>().AddAsync(
            new RegistryAddRequest { Scope = "hit.example.com/team", Username = "u", Password = "p-" + Guid.NewGuid().ToString("N"), Validate = false });
        _resolver = _services.GetRequiredService<IRegistryCredentialResolver>();
        _hit = ImageReference.Parse("hit.example.com/team:1"); // the scope names that one repository
        if ((await _resolver.ResolveAsync(_hit)).Credential is null)
        {
            throw new InvalidOperationException("the warm resolve does not hit");
        }

        _changing = (await _store.Inner.GetAsync(RegistryAccounts.Default, RegistryScope.Parse($"reg{EntryCount / 20}.example.com/team3")))!;
    }

    [GlobalCleanup]
    public void Cleanup() => _services.Dispose();

    /// <summary>One update in the store, then the resolver applies it from the feed (one host's node copied).</summary>
    [Benchmark]
    public async Task ApplyOneChange()
    {
        await UpdateAsync();
        await _resolver.RefreshAsync();
    }

    /// <summary>The in-memory store's update alone (ApplyOneChange minus this is the resolver's share).</summary>
    [Benchmark]
    public Task StoreUpdateOnly() => UpdateAsync();

    private async Task UpdateAsync()
    {
        var entry = _changing.Entry with { Username = (++_turn & 1) == 0 ? "even" : "odd" };
        _changing = await _store.Inner.UpdateAsync(new RegistryRecord(entry, _changing.ProtectedSecret), _changing.Entry.Version);
    }
}
