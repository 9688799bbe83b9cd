using System.Collections.Concurrent;

namespace RegistryCredentials.Aws.Internal;

/// <summary>
/// Assumed-role sessions by key (role, external id, region): one STS call for all concurrent callers, renewed once fewer
/// than five minutes are left, a failure never cached.
/// </summary>
internal sealed class RoleSessionCache(TimeProvider time)
{
    /// <summary>A session is renewed when fewer than this is left.</summary>
    public static readonly TimeSpan RenewBefore = TimeSpan.FromMinutes(5);

    private readonly ConcurrentDictionary<string, Slot> _slots = new(StringComparer.Ordinal);

    public Task<RoleSession> GetAsync(string key, Func<Task<RoleSession>> assume, CancellationToken cancellationToken)
    {
        var slot = _slots.GetOrAdd(key, static _ => new Slot());
        lock (slot)
        {
            if (slot.Current is { } current && time.GetUtcNow() < current.Expiration - RenewBefore)
            {
                return Task.FromResult(current);
            }

            slot.Pending ??= AssumeAsync(slot, assume);
            return slot.Pending.WaitAsync(cancellationToken);
        }
    }

    private static async Task<RoleSession> AssumeAsync(Slot slot, Func<Task<RoleSession>> assume)
    {
        try
        {
            await Task.Yield(); // leave the slot lock before calling STS
            var session = await assume().ConfigureAwait(false);
            lock (slot)
            {
                slot.Current = session;
            }

            return session;
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
        public RoleSession? Current { get; set; }

        public Task<RoleSession>? Pending { get; set; }
    }
}
