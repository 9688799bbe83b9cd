namespace RegistryCredentials.Tests;

/// <summary>A <see cref="GatedStore"/> with the in-memory store's change feed, gated and counted too; can be told to answer a gap.</summary>
internal class GatedFeedStore(InMemoryRegistryStore inner) : GatedStore(inner), IRegistryChangeFeed
{
    private int _feedReads;

    public int FeedReads => Volatile.Read(ref _feedReads);

    /// <summary>The next feed read answers a gap, as a store that trimmed the changes would.</summary>
    public bool GapNext { get; set; }

    /// <summary>False: this wrapper keeps no policy (<see cref="GatedPolicyFeedStore"/> does).</summary>
    public virtual bool IncludesPolicyChanges => false;

    public ValueTask<long> GetRevisionAsync(CancellationToken cancellationToken = default) => Inner.GetRevisionAsync(cancellationToken);

    public async ValueTask<RegistryChangeSet> GetChangesAsync(long afterRevision, CancellationToken cancellationToken = default)
    {
        await PassGateAsync().ConfigureAwait(false);
        Interlocked.Increment(ref _feedReads);
        if (GapNext)
        {
            GapNext = false;
            return RegistryChangeSet.Gap(await Inner.GetRevisionAsync(cancellationToken).ConfigureAwait(false));
        }

        return await Inner.GetChangesAsync(afterRevision, cancellationToken).ConfigureAwait(false);
    }
}
