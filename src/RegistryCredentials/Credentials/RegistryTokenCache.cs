using System.Collections.Concurrent;

namespace RegistryCredentials;

/// <summary>
/// Caches expiring credentials (registry bearer tokens, ECR, Google and ACR tokens) by key. Concurrent callers for
/// one key share one upstream call; a credential is refreshed in the background once its
/// <see cref="RegistryCredential.RefreshOn"/> has passed; a failed fetch is never cached; a credential is never
/// handed out at or past its <see cref="RegistryCredential.ExpiresOn"/>. Every clock read goes through
/// <see cref="TimeProvider"/>.
/// </summary>
public sealed class RegistryTokenCache : IDisposable
{
    private readonly ConcurrentDictionary<string, Slot> _slots = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _disposed = new();
    private long _upstreamCalls;

    /// <summary>Creates a cache.</summary>
    /// <param name="timeProvider">The clock.</param>
    public RegistryTokenCache(TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        _time = timeProvider;
    }

    /// <summary>
    /// The prefix that every key made for <paramref name="entry"/> must start with: the manager drops all keys with it
    /// (<see cref="EvictByPrefix"/>) when the entry is updated, deactivated or deleted.
    /// </summary>
    /// <param name="entry">The entry.</param>
    /// <returns><c>account</c>, a line feed, the scope and a line feed.</returns>
    public static string EntryKeyPrefix(RegistryEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return Internal.TokenKeys.ForEntry(entry.Account, entry.Scope);
    }

    /// <summary>How many keys hold a credential or a call in flight.</summary>
    public int Count => _slots.Count;

    /// <summary>How many times a factory was called: a measure of upstream token requests.</summary>
    public long UpstreamCalls => Interlocked.Read(ref _upstreamCalls);

    /// <summary>
    /// Returns the cached credential for <paramref name="key"/>, or calls <paramref name="factory"/> once for all
    /// concurrent callers. The factory's token is cancelled only when the cache is disposed: one caller giving up does
    /// not cancel the call the others wait for.
    /// </summary>
    /// <param name="key">The cache key; include everything that changes the credential (registry, account, scope, entry version).</param>
    /// <param name="factory">Fetches a fresh credential; it should set <see cref="RegistryCredential.ExpiresOn"/>.</param>
    /// <param name="cancellationToken">Stops this caller's wait.</param>
    /// <returns>A credential that has not expired.</returns>
    public ValueTask<RegistryCredential> GetOrCreateAsync(string key, Func<CancellationToken, Task<RegistryCredential>> factory, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(factory);
        ObjectDisposedException.ThrowIf(_disposed.IsCancellationRequested, this);
        var slot = _slots.GetOrAdd(key, static _ => new Slot());
        var now = _time.GetUtcNow();
        var current = slot.Current;
        if (current is not null && IsUsable(current, now))
        {
            if (current.RefreshOn is { } refreshOn && now >= refreshOn)
            {
                // Refresh ahead; the current credential keeps serving meanwhile, and a failure is only observed.
                StartFetch(slot, factory).ContinueWith(
                    static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }

            return new ValueTask<RegistryCredential>(current);
        }

        return new ValueTask<RegistryCredential>(StartFetch(slot, factory).WaitAsync(cancellationToken));
    }

    /// <summary>Drops the credential of one key (after the registry answered 401 to it).</summary>
    /// <param name="key">The key.</param>
    /// <returns>True when something was dropped.</returns>
    public bool Evict(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return _slots.TryRemove(key, out _);
    }

    /// <summary>Drops the credentials of every key that starts with <paramref name="prefix"/> (an entry deleted or changed).</summary>
    /// <param name="prefix">The key prefix.</param>
    /// <returns>How many keys were dropped.</returns>
    public int EvictByPrefix(string prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        var dropped = 0;
        foreach (var key in _slots.Keys)
        {
            if (key.StartsWith(prefix, StringComparison.Ordinal) && _slots.TryRemove(key, out _))
            {
                dropped++;
            }
        }

        return dropped;
    }

    /// <summary>Cancels calls in flight and drops everything.</summary>
    public void Dispose()
    {
        if (!_disposed.IsCancellationRequested)
        {
            _disposed.Cancel();
            _slots.Clear();
            _disposed.Dispose();
        }
    }

    private static bool IsUsable(RegistryCredential credential, DateTimeOffset now) =>
        credential.ExpiresOn is not { } expires || now < expires;

    private Task<RegistryCredential> StartFetch(Slot slot, Func<CancellationToken, Task<RegistryCredential>> factory)
    {
        lock (slot)
        {
            if (slot.Pending is { } pending)
            {
                return pending;
            }

            var fetch = FetchAsync(slot, factory);
            slot.Pending = fetch.IsCompleted ? null : fetch;
            return fetch;
        }
    }

    private async Task<RegistryCredential> FetchAsync(Slot slot, Func<CancellationToken, Task<RegistryCredential>> factory)
    {
        try
        {
            await Task.Yield(); // run the factory outside the slot lock
            Interlocked.Increment(ref _upstreamCalls);
            var credential = await factory(_disposed.Token).ConfigureAwait(false);
            if (!IsUsable(credential, _time.GetUtcNow()))
            {
                throw new RegistryAuthenticationException(
                    RegistryValidationOutcome.ProtocolError, $"The credential fetched was already expired ({credential.ExpiresOn:O}).");
            }

            slot.Current = credential;
            return credential;
        }
        finally
        {
            lock (slot)
            {
                slot.Pending = null;
            }
        }
    }

    private sealed class Slot
    {
        private volatile RegistryCredential? _current;

        public RegistryCredential? Current
        {
            get => _current;
            set => _current = value;
        }

        public Task<RegistryCredential>? Pending { get; set; }
    }
}
