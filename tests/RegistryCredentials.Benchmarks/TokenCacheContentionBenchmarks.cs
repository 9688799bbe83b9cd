using BenchmarkDotNet.Attributes;

namespace RegistryCredentials.Benchmarks;

/// <summary>
/// <see cref="RegistryTokenCache.GetOrCreateAsync"/> under contention: <see cref="Callers"/> callers racing on the
/// thread pool for one cold key (a new cache per invocation) must share one factory call, checked on every invocation
/// through <see cref="RegistryTokenCache.UpstreamCalls"/> (the benchmark throws otherwise). The factory waits either
/// for <c>Task.Delay(1)</c> (a token service that takes a moment; timer resolution dominates) or for a
/// <see cref="TaskCompletionSource"/> completed once every caller has asked (the coalescing machinery alone).
/// Plus <c>Task.Delay(1)</c> alone for reference, and the hot path: one caller on a warm key. Each cold invocation
/// allocates its new cache and <see cref="Parallel.For(int, int, Action{int})"/>'s workers, not 1,000 tasks: the
/// callers share the one fetch task.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class TokenCacheContentionBenchmarks
{
    public const int Callers = 1_000;

    /// <summary>The key the pull handler would use for a token of <c>test/app</c> at a local registry (version 1 of its entry).</summary>
    private static readonly RegistryTokenKey Key = RegistryCredentials.Internal.TokenKeys.ForToken(
        "account",
        new RegistryEntry
        {
            Account = "account",
            Scope = RegistryScope.Parse("127.0.0.1:5000"),
            Name = "bench",
            Type = RegistryType.DockerV2,
            Username = "bench",
            CreatedOn = DateTimeOffset.UnixEpoch,
            UpdatedOn = DateTimeOffset.UnixEpoch,
            Version = 1,
        },
        "http://127.0.0.1:5000",
        "repository:test/app:pull");

    private static readonly Func<CancellationToken, Task<RegistryCredential>> UnexpectedFactory =
        _ => throw new InvalidOperationException("The warm key called its factory.");

    private readonly Task<RegistryCredential>[] _waiters = new Task<RegistryCredential>[Callers];
    private RegistryTokenCache _warm = null!;
    private long _invocations;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _warm = new RegistryTokenCache(TimeProvider.System);
        await _warm.GetOrCreateAsync(Key, _ => Task.FromResult(NewToken()));
        if (_warm.UpstreamCalls != 1)
        {
            throw new InvalidOperationException("Warming the key did not call the factory once.");
        }
    }

    [GlobalCleanup(Targets = [nameof(WarmKey_SingleCaller), nameof(Reference_TaskDelay1)])]
    public void CleanupWarm()
    {
        var upstream = _warm.UpstreamCalls;
        _warm.Dispose();
        if (upstream != 1)
        {
            throw new InvalidOperationException($"The warm key called its factory {upstream} times.");
        }
    }

    [GlobalCleanup(Targets = [nameof(ColdKey_1000Callers_DelayFactory), nameof(ColdKey_1000Callers_GatedFactory)])]
    public void CleanupCold()
    {
        _warm.Dispose();
        if (Interlocked.Read(ref _invocations) == 0)
        {
            throw new InvalidOperationException("No contention invocation ran: the benchmark measured nothing.");
        }
    }

    /// <summary>What <c>Task.Delay(1)</c> alone takes on this machine: the floor of <see cref="ColdKey_1000Callers_DelayFactory"/>.</summary>
    [Benchmark]
    public Task Reference_TaskDelay1() => Task.Delay(1);

    /// <summary>1,000 callers, one cold key, a factory that awaits <c>Task.Delay(1)</c>.</summary>
    [Benchmark]
    public Task<RegistryCredential> ColdKey_1000Callers_DelayFactory() =>
        RaceAsync(static async cancellationToken =>
        {
            await Task.Delay(1, cancellationToken).ConfigureAwait(false);
            return NewToken();
        }, release: null);

    /// <summary>1,000 callers, one cold key, a factory that awaits a gate opened once all callers have asked.</summary>
    [Benchmark]
    public Task<RegistryCredential> ColdKey_1000Callers_GatedFactory()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        return RaceAsync(
            async _ =>
            {
                await gate.Task.ConfigureAwait(false);
                return NewToken();
            },
            gate);
    }

    /// <summary>One caller on a warm key: the credential comes back synchronously.</summary>
    [Benchmark]
    public RegistryCredential WarmKey_SingleCaller()
    {
        var pending = _warm.GetOrCreateAsync(Key, UnexpectedFactory);
        return pending.IsCompletedSuccessfully ? pending.Result : pending.AsTask().GetAwaiter().GetResult();
    }

    private static RegistryCredential NewToken() =>
        RegistryCredential.FromRegistryToken("bench-token", TimeProvider.System.GetUtcNow().AddHours(1));

    private async Task<RegistryCredential> RaceAsync(Func<CancellationToken, Task<RegistryCredential>> factory, TaskCompletionSource? release)
    {
        using var cache = new RegistryTokenCache(TimeProvider.System);
        var waiters = _waiters;
        Parallel.For(0, Callers, i => waiters[i] = cache.GetOrCreateAsync(Key, factory).AsTask());
        release?.SetResult();
        // Awaited one by one rather than with Task.WhenAll, whose copies of 1,000 tasks and results would dominate
        // the allocations; once the first is done the others are too when they share the one fetch.
        var first = await waiters[0].ConfigureAwait(false);
        foreach (var waiter in waiters)
        {
            if (!ReferenceEquals(await waiter.ConfigureAwait(false), first))
            {
                throw new InvalidOperationException("The callers did not all get the one credential fetched.");
            }
        }

        if (cache.UpstreamCalls != 1)
        {
            throw new InvalidOperationException($"{Callers} callers on one cold key made {cache.UpstreamCalls} factory calls, expected 1.");
        }

        Interlocked.Increment(ref _invocations);
        return first;
    }
}
