using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;

namespace RegistryCredentials.Internal;

/// <summary>
/// Keeps the resolver's <see cref="ResolverIndex"/> up to date off the caller's path. The store's change token starts a
/// background update; it applies the store's change feed (<see cref="IRegistryChangeFeed"/>) entry by entry, or, for a
/// store without one, after a gap in the feed, or on demand, reads every entry again into a new index that it swaps in.
/// Resolution keeps answering from the index meanwhile, unless a signalled change has waited longer than the staleness
/// bound: then the caller waits for the update (<see cref="IsOverdue"/>). Updates take turns (the update gate) and read
/// the store without holding anything else; what they read is applied, and a new index swapped in, under the short apply
/// lock, which the manager's own changes take too (read-your-writes never waits for a store read). Own changes made while
/// an update was reading are applied again after it, so a state read before them never hides them.
/// Policies: read whole at start and at each full reload; after that a feed that includes policy changes
/// (<see cref="IRegistryChangeFeed.IncludesPolicyChanges"/>) brings them like entries, and for any other store the policy
/// table is read again on every update (the fallback).
/// </summary>
internal sealed class ResolverIndexUpdater : IDisposable
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(100);

    private readonly IRegistryStore _store;
    private readonly IRegistryChangeFeed? _feed;
    private readonly IRegistryPolicyStore? _policies;
    private readonly IRegistryHostQuery? _hostQuery;
    private readonly bool _policiesInFeed;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Lock _apply = new();
    private readonly CancellationTokenSource _stopping = new();
    private volatile ResolverIndex? _index;
    private volatile bool _skipInactive;
    private volatile bool _reloadWanted;
    private long _staleness;

    // Policy reads are numbered when they start; a read's table is kept only if no later-started read was kept before it.
    private long _policyReadsStarted;
    private long _policyReadKept;
    private PolicyTable _policyTable = PolicyTable.Empty;

    // Timestamp of the oldest signalled change not yet applied; 0 when none.
    private long _pendingSince;
    private int _dirty;
    private int _running;
    private IDisposable? _subscription;

    // Own changes made while an update reads the store (under _apply); null when no update reads.
    private List<(string Account, RegistryScope Scope, RegistryRecord? Record)>? _ownDuringUpdate;

    // Own policy writes made while an update reads the store (under _apply); null when no update reads.
    private List<RegistryPolicy>? _ownPoliciesDuringUpdate;

    public ResolverIndexUpdater(
        IRegistryStore store, bool skipInactive, TimeSpan stalenessBound, TimeProvider time, ILogger logger, bool loadOnDemand = false)
    {
        _store = store;
        _hostQuery = loadOnDemand ? store as IRegistryHostQuery : null;
        _feed = store as IRegistryChangeFeed;
        _policies = store as IRegistryPolicyStore;
        _policiesInFeed = _policies is not null && _feed is { IncludesPolicyChanges: true };
        _skipInactive = skipInactive;
        StalenessBound = stalenessBound;
        _time = time;
        _logger = logger;
    }

    /// <summary>The index, or null before the first load.</summary>
    public ResolverIndex? Current => _index;

    /// <summary>How long a signalled change may wait before a resolve waits for it; <see cref="Timeout.InfiniteTimeSpan"/> for never.</summary>
    public TimeSpan StalenessBound
    {
        get => TimeSpan.FromTicks(Volatile.Read(ref _staleness));
        set => Volatile.Write(ref _staleness, value.Ticks);
    }

    /// <summary>True when a signalled change has waited longer than the staleness bound: the next resolve brings the index up to date first.</summary>
    public bool IsOverdue
    {
        get
        {
            if (_reloadWanted)
            {
                return true; // settings that shape the index changed: as before, the next resolve sees them
            }

            var since = Volatile.Read(ref _pendingSince);
            if (since == 0)
            {
                return false;
            }

            var bound = Volatile.Read(ref _staleness);
            return bound >= 0 && _time.GetElapsedTime(since).Ticks > bound;
        }
    }

    /// <summary>Asks for a full reload in the background (settings that shape the index changed).</summary>
    public void RequestReload(bool skipInactive)
    {
        _skipInactive = skipInactive;
        _reloadWanted = true;
        Signalled();
    }

    /// <summary>Brings the index up to date now and waits: at start, when overdue, and on demand.</summary>
    public async ValueTask<ResolverIndex> UpdateNowAsync(bool reload, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var covered = Volatile.Read(ref _pendingSince);
            Volatile.Write(ref _dirty, 0);
            await UpdateLockedAsync(reload, cancellationToken).ConfigureAwait(false);
            Settled(covered);
            return _index!;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// For an index loaded on demand: reads what the store holds for <paramref name="registry"/> in <paramref name="account"/>
    /// (<see cref="IRegistryHostQuery"/>) into the index, unless a concurrent call did. Under the update gate, like an update,
    /// so that no feed change is applied between the read and the merge (changes committed meanwhile are in the read and in
    /// the feed after it, applied twice, as with a full reload), and own changes made while reading are applied again after.
    /// </summary>
    public async ValueTask<ResolverIndex> LoadRegistryAsync(string account, string registry, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var index = _index!;
            if (_hostQuery is null || index.IsLoaded(account, registry))
            {
                return index;
            }

            lock (_apply)
            {
                _ownDuringUpdate = [];
            }

            try
            {
                var records = await _hostQuery.ListForRegistryAsync(account, registry, cancellationToken).ConfigureAwait(false);
                lock (_apply)
                {
                    index.Load(account, registry, records);
                    ReapplyOwnChanges(index);
                }
            }
            finally
            {
                lock (_apply)
                {
                    _ownDuringUpdate = null;
                }
            }

            return index;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Applies a change this process committed (read-your-writes) to the index, under the apply lock only: never waits for a
    /// store read. Remembered while an update reads, and applied again after it.
    /// </summary>
    public ValueTask ApplyOwnChangeAsync(string account, RegistryScope scope, RegistryRecord? record, CancellationToken cancellationToken)
    {
        lock (_apply)
        {
            _index?.Apply(account, scope, record);
            _ownDuringUpdate?.Add((account, scope, record));
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// Puts a policy this process committed in force in the index (read-your-writes). With a feed that includes policy
    /// changes it is applied under the apply lock only (never waits for a store read) and applied again after an update that
    /// was reading meanwhile; otherwise the policy table is read again (<see cref="RefreshPoliciesAsync"/>).
    /// </summary>
    public ValueTask ApplyOwnPolicyAsync(RegistryPolicy written, CancellationToken cancellationToken)
    {
        if (!_policiesInFeed)
        {
            return RefreshPoliciesAsync(cancellationToken);
        }

        lock (_apply)
        {
            _policyTable = _policyTable.With(written.Account, written, onlyIfNewer: true);
            _ownPoliciesDuringUpdate?.Add(written);
            if (_index is { } index)
            {
                index.Policies = _policyTable;
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// Reads the store's policies again and puts them in force in the index: at start and at each full reload, and, for a
    /// store whose feed does not include policy changes (the fallback), on every update and after the policy manager's own
    /// write, because such a store signals a policy change like an entry's but cannot say which. The policy table is small
    /// (one row per account that has a policy).
    /// </summary>
    public async ValueTask RefreshPoliciesAsync(CancellationToken cancellationToken)
    {
        if (_policies is null)
        {
            return;
        }

        var ticket = Interlocked.Increment(ref _policyReadsStarted);
        var table = PolicyTable.Create(await _policies.ListPoliciesAsync(cancellationToken).ConfigureAwait(false));
        lock (_apply)
        {
            if (ticket > _policyReadKept)
            {
                _policyReadKept = ticket;
                _policyTable = table;
                ReapplyOwnPolicies();
            }

            if (_index is { } index)
            {
                index.Policies = _policyTable;
            }
        }
    }

    public void Dispose()
    {
        _stopping.Cancel();
        _subscription?.Dispose();
    }

    /// <summary>Under the gate: a full load, or the feed's changes after the index's revision (a full load after a gap).</summary>
    private async Task UpdateLockedAsync(bool reload, CancellationToken cancellationToken)
    {
        var token = _store.Watch(); // before reading, so that a change made while reading is not missed
        Subscribe(token);
        lock (_apply)
        {
            _ownDuringUpdate = [];
            _ownPoliciesDuringUpdate = [];
        }

        try
        {
            var index = _index;
            if (!reload && !_reloadWanted && index is not null && _feed is not null && index.Revision is { } revision
                && await ApplyFeedAsync(index, revision, cancellationToken).ConfigureAwait(false))
            {
                return;
            }

            await ReloadAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            lock (_apply)
            {
                _ownDuringUpdate = null;
                _ownPoliciesDuringUpdate = null;
            }
        }
    }

    /// <summary>Applies the feed's changes after <paramref name="revision"/>; false after a gap (reload instead).</summary>
    private async Task<bool> ApplyFeedAsync(ResolverIndex index, long revision, CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        var changes = await _feed!.GetChangesAsync(revision, cancellationToken).ConfigureAwait(false);
        if (changes.IsGap)
        {
            Log.FeedGap(_logger, revision, changes.Revision);
            return false;
        }

        lock (_apply)
        {
            foreach (var change in changes.Changes)
            {
                index.Apply(change.Account, change.Scope, change.Record);
            }

            if (_policiesInFeed && changes.PolicyChanges.Count > 0)
            {
                // In revision order, each the state at the set's revision: applied as given; own newer writes again after.
                foreach (var change in changes.PolicyChanges)
                {
                    _policyTable = _policyTable.With(change.Account, change.Policy, onlyIfNewer: false);
                }

                ReapplyOwnPolicies();
                index.Policies = _policyTable;
            }

            index.Revision = Math.Max(revision, changes.Revision);
            ReapplyOwnChanges(index);
        }

        if (!_policiesInFeed)
        {
            await RefreshPoliciesAsync(cancellationToken).ConfigureAwait(false);
        }

        var applied = changes.Changes.Count + (_policiesInFeed ? changes.PolicyChanges.Count : 0);
        if (applied > 0)
        {
            Telemetry.IndexChanges.Add(applied);
            Log.IndexChangesApplied(_logger, applied, changes.Revision, _time.GetElapsedTime(started).TotalMilliseconds);
        }

        return true;
    }

    private async Task ReloadAsync(CancellationToken cancellationToken)
    {
        using var activity = Telemetry.ActivitySource.StartActivity("RegistryCredentials.RebuildIndex");
        var started = _time.GetTimestamp();
        _reloadWanted = false;

        // The revision first: changes committed while listing are in the list and in the feed after it, applied twice.
        long? revision = _feed is null ? null : await _feed.GetRevisionAsync(cancellationToken).ConfigureAwait(false);
        ResolverIndex index;
        if (_hostQuery is not null)
        {
            // Loaded on demand: each registry's entries are read by the first resolve that needs them (LoadRegistryAsync).
            index = ResolverIndex.CreateOnDemand(_skipInactive, revision);
        }
        else
        {
            var records = await _store.ListAsync(null, cancellationToken).ConfigureAwait(false);
            index = ResolverIndex.Build(records, _skipInactive, revision);
        }

        // The policies before the index is published: a first index never answers without the stored allow-list.
        await RefreshPoliciesAsync(cancellationToken).ConfigureAwait(false);
        lock (_apply)
        {
            ReapplyOwnChanges(index);
            ReapplyOwnPolicies();
            index.Policies = _policyTable;
            _index = index;
        }

        Telemetry.IndexRebuilds.Add(1);
        Log.IndexRebuilt(_logger, index.Count, _time.GetElapsedTime(started).TotalMilliseconds);
        activity?.SetTag("registrycredentials.entries", index.Count);
    }

    /// <summary>
    /// Under the apply lock: own policy writes made while the store was read, which what was read may predate, put back into
    /// the policy table where it holds an older version (and into the index by the caller). The list lives until the update ends.
    /// </summary>
    private void ReapplyOwnPolicies()
    {
        if (_ownPoliciesDuringUpdate is { Count: > 0 } own)
        {
            foreach (var policy in own)
            {
                _policyTable = _policyTable.With(policy.Account, policy, onlyIfNewer: true);
            }
        }
    }

    /// <summary>Under the apply lock: own changes made while the store was read, which what was read may predate.</summary>
    private void ReapplyOwnChanges(ResolverIndex index)
    {
        if (_ownDuringUpdate is { Count: > 0 } own)
        {
            foreach (var (account, scope, record) in own)
            {
                index.Apply(account, scope, record);
            }

            own.Clear();
        }
    }

    private void Subscribe(IChangeToken token)
    {
        var previous = _subscription;
        _subscription = token.RegisterChangeCallback(static state => ((ResolverIndexUpdater)state!).Signalled(), this);
        previous?.Dispose();
    }

    /// <summary>The store signalled a change (or a reload was asked for): note when, and make sure an update runs.</summary>
    private void Signalled()
    {
        Interlocked.CompareExchange(ref _pendingSince, _time.GetTimestamp(), 0);
        Volatile.Write(ref _dirty, 1);
        if (Interlocked.CompareExchange(ref _running, 1, 0) == 0)
        {
            _ = Task.Run(RunAsync, CancellationToken.None);
        }
    }

    /// <summary>A successful update covered every change signalled before it began; later ones stay pending, from its start.</summary>
    private void Settled(long covered)
    {
        if (Volatile.Read(ref _dirty) == 0)
        {
            Interlocked.CompareExchange(ref _pendingSince, 0, covered);
        }
    }

    [SuppressMessage(
        "Design",
        "CA1031:Do not catch general exception types",
        Justification = "The background update must survive any store failure; it logs and retries.")]
    private async Task RunAsync()
    {
        var stopping = _stopping.Token;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await _gate.WaitAsync(stopping).ConfigureAwait(false);
                try
                {
                    var covered = Volatile.Read(ref _pendingSince);
                    Volatile.Write(ref _dirty, 0);
                    var started = _time.GetTimestamp();
                    await UpdateLockedAsync(reload: false, stopping).ConfigureAwait(false);
                    if (Volatile.Read(ref _dirty) == 0)
                    {
                        Interlocked.CompareExchange(ref _pendingSince, 0, covered);
                    }
                    else if (covered != 0)
                    {
                        Interlocked.CompareExchange(ref _pendingSince, started, covered);
                    }
                }
                finally
                {
                    _gate.Release();
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                Log.IndexUpdateFailed(_logger, e);
                Volatile.Write(ref _dirty, 1);
                try
                {
                    await Task.Delay(RetryDelay, _time, stopping).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }

            if (Volatile.Read(ref _dirty) == 0)
            {
                Volatile.Write(ref _running, 0);

                // A signal between the check and the release found _running set and started nothing: take the turn back.
                if (Volatile.Read(ref _dirty) == 0 || Interlocked.CompareExchange(ref _running, 1, 0) != 0)
                {
                    return;
                }
            }
        }
    }
}
