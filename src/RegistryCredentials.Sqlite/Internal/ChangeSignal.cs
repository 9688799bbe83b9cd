using Microsoft.Extensions.Primitives;

namespace RegistryCredentials.Sqlite.Internal;

/// <summary>
/// The store's change token and the last database revision it was fired for. A revision is "seen" once the token
/// was fired after it was committed, so a later poll fires only for newer revisions.
/// </summary>
internal sealed class ChangeSignal : IDisposable
{
    private readonly Lock _gate = new();
    private CancellationTokenSource _changed = new();
    private long _seenRevision = -1;
    private bool _disposed;

    public IChangeToken Watch()
    {
        lock (_gate)
        {
            return new CancellationChangeToken(_disposed ? CancellationToken.None : _changed.Token);
        }
    }

    /// <summary>Sets the revision the store started from; changes before it were read by whoever reads now.</summary>
    /// <param name="revision">The revision read when the database was opened.</param>
    public void Baseline(long revision)
    {
        lock (_gate)
        {
            _seenRevision = Math.Max(_seenRevision, revision);
        }
    }

    /// <summary>Fires for a revision this store wrote (or any revision read after committing its own write).</summary>
    /// <param name="revision">The revision read after the commit, or null when unknown.</param>
    public void FireOwn(long? revision) => Fire(revision, onlyIfNewer: false);

    /// <summary>Fires when a poll finds a revision newer than any already signalled.</summary>
    /// <param name="revision">The revision read by the poll.</param>
    /// <returns>True when the token fired.</returns>
    public bool FireIfNewer(long revision) => Fire(revision, onlyIfNewer: true);

    private bool Fire(long? revision, bool onlyIfNewer)
    {
        CancellationTokenSource fired;
        lock (_gate)
        {
            if (_disposed)
            {
                return false;
            }

            if (onlyIfNewer && revision <= _seenRevision)
            {
                return false;
            }

            if (revision is { } r)
            {
                _seenRevision = Math.Max(_seenRevision, r);
            }

            fired = _changed;
            _changed = new CancellationTokenSource();
        }

        // Not disposed: tokens handed out earlier may still register callbacks on it.
        fired.Cancel();
        return true;
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _changed.Dispose();
        }
    }
}
