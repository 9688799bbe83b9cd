using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace RegistryCredentials;

/// <summary>
/// Caches expiring credentials (registry bearer tokens, ECR, Google and ACR tokens) by <see cref="RegistryTokenKey"/>.
/// Concurrent callers for one key share one upstream call; a credential is refreshed in the background once its
/// <see cref="RegistryCredential.RefreshOn"/> has passed; a failed fetch is never cached; a credential is never
/// handed out at or past its <see cref="RegistryCredential.ExpiresOn"/>. Every clock read goes through
/// <see cref="TimeProvider"/>. Keys are made by the cache (<see cref="CreateKey"/>) from an entry, so that
/// <see cref="EvictEntry"/>, which the manager calls when an entry is updated, deactivated or deleted, drops every token
/// made from it.
/// </summary>
public sealed class RegistryTokenCache : IDisposable
{
    private readonly ConcurrentDictionary<RegistryTokenKey, Slot> _slots = new();
    private readonly byte[] _partsKey = RandomNumberGenerator.GetBytes(32);
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
    /// Makes the key of a token that <paramref name="provider"/> makes for <paramref name="entry"/>. Two keys are equal when
    /// the entry's account and scope, the provider and every part are equal. Put into the parts everything that changes
    /// the token (an identity, a secret, an endpoint, scopes); leave the entry version out when the token made while the
    /// manager validates a new entry should serve its first pulls.
    /// </summary>
    /// <param name="entry">The entry the token is made from: its account and scope go into the key.</param>
    /// <param name="provider">The provider's type (<see cref="RegistryCredentialProvider.Type"/>).</param>
    /// <param name="parts">What tells this entry's tokens apart; may include secrets, which the key keeps only as a keyed hash.</param>
    /// <returns>The key.</returns>
    public RegistryTokenKey CreateKey(RegistryEntry entry, RegistryType provider, params ReadOnlySpan<string> parts)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(provider);
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, _partsKey);
        Span<byte> length = stackalloc byte[4];
        foreach (var part in parts)
        {
            ArgumentNullException.ThrowIfNull(part, nameof(parts));
            var bytes = Encoding.UTF8.GetBytes(part);
            BinaryPrimitives.WriteInt32BigEndian(length, bytes.Length); // length-prefixed: ("ab", "c") is not ("a", "bc")
            hmac.AppendData(length);
            hmac.AppendData(bytes);
        }

        return new RegistryTokenKey(entry.Account, entry.Scope, provider, Convert.ToHexStringLower(hmac.GetHashAndReset()));
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
    /// <param name="key">The key, from <see cref="CreateKey"/>.</param>
    /// <param name="factory">Fetches a fresh credential; it should set <see cref="RegistryCredential.ExpiresOn"/>.</param>
    /// <param name="cancellationToken">Stops this caller's wait.</param>
    /// <returns>A credential that has not expired.</returns>
    public ValueTask<RegistryCredential> GetOrCreateAsync(
        RegistryTokenKey key,
        Func<CancellationToken, Task<RegistryCredential>> factory,
        CancellationToken cancellationToken = default)
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
                    static t =>
                        _ = t.Exception,
                        CancellationToken.None,
                        TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously,
                        TaskScheduler.Default);
            }

            return new ValueTask<RegistryCredential>(current);
        }

        return new ValueTask<RegistryCredential>(StartFetch(slot, factory).WaitAsync(cancellationToken));
    }

    /// <summary>Drops the credential of one key (after the registry answered 401 to it).</summary>
    /// <param name="key">The key.</param>
    /// <returns>True when something was dropped.</returns>
    public bool Evict(RegistryTokenKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return _slots.TryRemove(key, out _);
    }

    /// <summary>
    /// Drops the credentials made from an entry: all of them (the manager does this when the entry is updated,
    /// deactivated or deleted), or those of one provider (what <see cref="RegistryCredentialProvider.InvalidateAsync"/>
    /// does when a registry refused one).
    /// </summary>
    /// <param name="entry">The entry; its account and scope are compared.</param>
    /// <param name="provider">Only this provider's credentials; null for all, the library's registry bearer tokens included.</param>
    /// <returns>How many keys were dropped.</returns>
    public int EvictEntry(RegistryEntry entry, RegistryType? provider = null)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return Evict(entry.Account, entry.Scope, provider);
    }

    /// <summary>
    /// Drops every token of an entry known by account and scope: the manager's eviction on update, deactivate and delete
    /// (on delete it has no entry left).
    /// </summary>
    internal int EvictEntryTokens(string account, RegistryScope scope) => Evict(account, scope, null);

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

    private int Evict(string account, RegistryScope scope, RegistryType? provider)
    {
        var dropped = 0;
        foreach (var key in _slots.Keys)
        {
            if (key.BelongsTo(account, scope, provider) && _slots.TryRemove(key, out _))
            {
                dropped++;
            }
        }

        return dropped;
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
