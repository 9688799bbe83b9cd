using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace RegistryCredentials.Sqlite.Internal;

/// <summary>
/// Finds the changes other connections and processes make, for the change signal: SQLite has no notifications, so it
/// polls. Every <see cref="StoreSettings.ChangePollInterval"/> it reads <c>PRAGMA data_version</c> (which changes when
/// another connection commits) on a connection of its own, and only then the revision counter; a revision newer than
/// the signal's fires it. It starts with the first <c>Watch</c> and survives any failure (logged, retried at the next
/// tick) until it is disposed.
/// </summary>
internal sealed class ChangeSource : IDisposable, IAsyncDisposable
{
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(10);

    private readonly StoreSettings _settings;
    private readonly Func<CancellationToken, ValueTask> _ensureOpen;
    private readonly RegistryChangeSignal _signal;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private Task? _loop;
    private bool _stopped;

    /// <param name="settings">The store's settings.</param>
    /// <param name="ensureOpen">Opens the database (created and migrated) if it is not yet.</param>
    /// <param name="signal">The signal to fire.</param>
    /// <param name="time">The clock of the polling timer.</param>
    /// <param name="logger">The logger.</param>
    public ChangeSource(StoreSettings settings, Func<CancellationToken, ValueTask> ensureOpen, RegistryChangeSignal signal, TimeProvider time, ILogger logger)
    {
        _settings = settings;
        _ensureOpen = ensureOpen;
        _signal = signal;
        _time = time;
        _logger = logger;
    }

    /// <summary>Starts polling in the background unless it has started or stopped already.</summary>
    public void Start()
    {
        if (Volatile.Read(ref _loop) is not null)
        {
            return;
        }

        lock (_gate)
        {
            if (_loop is null && !_stopped)
            {
                var stopping = _stopping.Token;
                _loop = Task.Run(() => PollAsync(stopping), CancellationToken.None);
            }
        }
    }

    /// <summary>Stops polling, waiting for the poller to end (at most ten seconds).</summary>
    public void Dispose()
    {
        var loop = Stop();
        try
        {
            loop?.Wait(StopTimeout);
        }
        catch (AggregateException)
        {
            // The poller ends by cancellation; it logs anything else itself.
        }

        _stopping.Dispose();
    }

    /// <summary>Stops polling, waiting for the poller to end (at most ten seconds).</summary>
    /// <returns>A task that completes when the poller has ended.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Stop() is { } loop)
        {
            await loop.WaitAsync(StopTimeout).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        _stopping.Dispose();
    }

    private Task? Stop()
    {
        lock (_gate)
        {
            _stopped = true;
        }

        _stopping.Cancel();
        return _loop;
    }

    [SuppressMessage("Design", "CA1031:Do not catch general exception types", Justification = "The poller must survive any failure; it logs and tries again.")]
    private async Task PollAsync(CancellationToken stop)
    {
        StoreConnection? watcher = null;
        long? dataVersion = null;
        try
        {
            using var timer = new PeriodicTimer(_settings.ChangePollInterval, _time);
            do
            {
                try
                {
                    await _ensureOpen(stop).ConfigureAwait(false);
                    watcher ??= StoreConnection.Open(_settings.Path, SqliteOpenMode.ReadOnly, _settings.BusyTimeout);
                    var current = Convert.ToInt64(watcher.Command("PRAGMA data_version").ExecuteScalar(), CultureInfo.InvariantCulture);
                    if (current != dataVersion)
                    {
                        var revision = Convert.ToInt64(watcher.Command(Statements.Revision).ExecuteScalar(), CultureInfo.InvariantCulture);
                        dataVersion = current;
                        if (_signal.FireIfNewer(revision))
                        {
                            Log.ExternalChange(_logger, _settings.Path, revision);
                            Telemetry.ExternalChanges.Add(1);
                        }
                    }
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    return;
                }
                catch (SqliteException e) when (SqliteErrors.IsBusy(e))
                {
                    // Locked for now: look again at the next tick.
                }
                catch (Exception e)
                {
                    Log.PollFailed(_logger, e, _settings.Path);
                    watcher?.Dispose();
                    watcher = null;
                    dataVersion = null;
                }
            }
            while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Disposed.
        }
        finally
        {
            watcher?.Dispose();
        }
    }
}
