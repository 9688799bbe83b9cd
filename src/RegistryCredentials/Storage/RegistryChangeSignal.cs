using Microsoft.Extensions.Primitives;

namespace RegistryCredentials;

/// <summary>
/// The change signal of a store: it hands out change tokens (<see cref="Watch"/>) and the store fires them after each
/// change. It also keeps the highest revision it was told of, for stores that number their changes. The in-memory,
/// SQLite and PostgreSQL stores use it (for entries and policies); a custom <see cref="IRegistryStore"/> may too.
/// </summary>
/// <remarks>
/// <para>
/// <b>Tokens.</b> A token fires once, at the first change after it was handed out; take a new one after it fired, and take
/// it before reading so that a change made while reading is not missed. Firing swaps in a new token and then cancels the
/// old one outside any lock: callbacks registered on it run synchronously on the thread that fires, and what they throw
/// reaches that thread as an <see cref="AggregateException"/> after every callback ran (as
/// <see cref="CancellationTokenSource.Cancel()"/> does). The sources of fired tokens are never disposed, so registering a
/// callback on a fired token, however late, calls it at once.
/// </para>
/// <para>
/// <b>Revisions.</b> A store that numbers its changes with a counter (one step or more per committed change) passes the
/// number: <see cref="Fire(long)"/> after a change it committed itself, <see cref="FireIfNewer"/> when it learns of a
/// revision by looking (polling), and <see cref="SetBaseline"/> when it has read the data as of a revision and has
/// nothing to signal. <see cref="Revision"/> is the highest of them. A store without numbers calls <see cref="Fire()"/>.
/// </para>
/// <para>
/// <b>Disposal.</b> The owner, the store that created the signal, disposes it once, when it is itself disposed; nobody
/// else does. Disposing fires nothing. Afterwards the signal is closed: <see cref="Fire()"/> and its overloads do nothing
/// (<see cref="FireIfNewer"/> returns false), tokens handed out before never fire (their <c>HasChanged</c> stays false and
/// callbacks registered on them are never called), and <see cref="Watch"/> returns a token that never fires. No member
/// throws <see cref="ObjectDisposedException"/>, so a watcher that takes a new token while its store is being disposed
/// (an options monitor, a resolver) does not fail. Every member is thread-safe.
/// </para>
/// </remarks>
public sealed class RegistryChangeSignal : IDisposable
{
    private static readonly IChangeToken Closed = new CancellationChangeToken(CancellationToken.None);

    private readonly Lock _gate = new();
    private CancellationTokenSource _current = new();

    // Sources swapped out by a fire whose cancellation may still be under way on another thread: every fire cancels them
    // all before it returns, so that a token taken before any fire that has returned has changed.
    private readonly List<CancellationTokenSource> _uncancelled = [];
    private long? _revision;
    private bool _disposed;

    /// <summary>The highest revision given to <see cref="Fire(long)"/>, <see cref="FireIfNewer"/> or <see cref="SetBaseline"/>; null when none was.</summary>
    public long? Revision
    {
        get
        {
            lock (_gate)
            {
                return _revision;
            }
        }
    }

    /// <summary>Returns the token that the next change fires; after disposal, a token that never fires.</summary>
    /// <returns>The change token.</returns>
    public IChangeToken Watch()
    {
        lock (_gate)
        {
            return _disposed ? Closed : new CancellationChangeToken(_current.Token);
        }
    }

    /// <summary>Fires the current token for a change whose revision is unknown (or not numbered); nothing after disposal.</summary>
    /// <exception cref="AggregateException">A callback registered on the token threw; every callback still ran.</exception>
    public void Fire() => FireCore(revision: null, onlyIfNewer: false);

    /// <summary>
    /// Fires the current token for a change the store committed at <paramref name="revision"/> (or any revision read after
    /// committing it), even when a revision as high was signalled before; records the revision. Nothing after disposal.
    /// </summary>
    /// <param name="revision">The revision of the change.</param>
    /// <exception cref="AggregateException">A callback registered on the token threw; every callback still ran.</exception>
    public void Fire(long revision) => FireCore(revision, onlyIfNewer: false);

    /// <summary>
    /// Fires the current token when <paramref name="revision"/> is higher than <see cref="Revision"/> (or no revision is
    /// known yet), and records it: for changes a store finds by looking, such as those made by other processes.
    /// </summary>
    /// <param name="revision">The revision found.</param>
    /// <returns>True when the token fired; false when the revision was not newer or the signal is disposed.</returns>
    /// <exception cref="AggregateException">A callback registered on the token threw; every callback still ran.</exception>
    public bool FireIfNewer(long revision) => FireCore(revision, onlyIfNewer: true);

    /// <summary>
    /// Records that the data was read as of <paramref name="revision"/>, without firing: later calls to
    /// <see cref="FireIfNewer"/> fire only for newer revisions. <see cref="Revision"/> never goes back.
    /// </summary>
    /// <param name="revision">The revision the data was read at.</param>
    public void SetBaseline(long revision)
    {
        lock (_gate)
        {
            if (!_disposed)
            {
                _revision = Max(_revision, revision);
            }
        }
    }

    /// <summary>Closes the signal: nothing fires any more (see the remarks). Called by the owner only; a second call does nothing.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;

            // Never cancelled from now on, so the tokens handed out from it never fire. Registering on a disposed source
            // that was not cancelled returns an empty registration, without an exception.
            _current.Dispose();
        }
    }

    private static long Max(long? known, long revision) => known is { } value && value > revision ? value : revision;

    private bool FireCore(long? revision, bool onlyIfNewer)
    {
        CancellationTokenSource[] fired;
        lock (_gate)
        {
            if (_disposed || (onlyIfNewer && _revision is { } known && revision <= known))
            {
                return false;
            }

            if (revision is { } value)
            {
                _revision = Max(_revision, value);
            }

            _uncancelled.Add(_current);
            _current = new CancellationTokenSource();
            fired = [.. _uncancelled];
        }

        // Outside the lock: callbacks may watch again or read the store. Not disposed: late registrations run at once.
        // A source another fire is still cancelling is cancelled here too (a second Cancel returns at once, with the
        // token already marked), so no fire returns while a token taken before it can still read as unchanged.
        foreach (var source in fired)
        {
            source.Cancel();
        }

        lock (_gate)
        {
            foreach (var source in fired)
            {
                _uncancelled.Remove(source);
            }
        }

        return true;
    }
}
