using System.Security.Cryptography;
using System.Text;

namespace RegistryCredentials.Sqlite.Internal;

/// <summary>
/// A machine-wide named mutex per database file that writers pass before SQLite's own write lock, to make turns fair.
/// </summary>
/// <remarks>
/// SQLite's busy handler polls the lock with growing sleeps (up to 100 ms), so a process writing back to back can keep
/// the lock for seconds while others sleep past every gap. A waiter blocked on this mutex is woken as soon as it is
/// released. It is only an aid: SQLite's lock stays the real one, a wait that times out goes ahead without the
/// mutex, and where named mutexes are unavailable (another user's, a container without a shared temp folder) the
/// store works without it.
/// </remarks>
internal sealed class WriterTurnstile : IDisposable
{
    private readonly Mutex? _mutex;

    public WriterTurnstile(string path)
    {
        var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(path)))[..32];
        try
        {
            _mutex = new Mutex(initiallyOwned: false, @"Global\RegistryCredentials.Sqlite." + hash);
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException or WaitHandleCannotBeOpenedException
            or PlatformNotSupportedException or ArgumentException)
        {
            _mutex = null;
        }
    }

    /// <summary>Waits for the turn; false when the wait timed out or there is no mutex (go ahead anyway; do not call <see cref="Exit"/>).</summary>
    /// <param name="timeout">How long to wait.</param>
    /// <returns>Whether the turn was taken.</returns>
    public bool Enter(TimeSpan timeout)
    {
        if (_mutex is null)
        {
            return false;
        }

        try
        {
            return _mutex.WaitOne(timeout);
        }
        catch (AbandonedMutexException)
        {
            // A writer died holding it (killed mid-write): the turn is ours now; SQLite rolled its write back.
            return true;
        }
    }

    /// <summary>Ends the turn taken by <see cref="Enter"/>, on the same thread.</summary>
    public void Exit() => _mutex!.ReleaseMutex();

    public void Dispose() => _mutex?.Dispose();
}
