using Microsoft.Extensions.Logging;
using Npgsql;

namespace RegistryCredentials.PostgreSql.Internal;

/// <summary>
/// Finds the changes other stores make, for the change signal: PostgreSQL notifies, so it listens. It keeps one
/// connection that <c>LISTEN</c>s on the store's channel and fires the signal for every notification another store
/// sent. When the connection drops it reconnects with exponential backoff (50 ms doubling to 2 s) and fires once after
/// reconnecting, because notifications sent while it was away are lost. An idle connection is checked every
/// <see cref="KeepAliveInterval"/> so a silently dead one is noticed.
/// </summary>
internal sealed class ChangeSource : IAsyncDisposable, IDisposable
{
    private static readonly TimeSpan InitialDelay = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan KeepAliveInterval = TimeSpan.FromSeconds(15);

    private readonly NpgsqlDataSource _dataSource;
    private readonly StoreSettings _settings;
    private readonly string _ownPayloadPrefix;
    private readonly RegistryChangeSignal _signal;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private Task? _loop;
    private int _connections;

    public ChangeSource(NpgsqlDataSource dataSource, StoreSettings settings, string ownPayloadPrefix, RegistryChangeSignal signal, ILogger logger)
    {
        _dataSource = dataSource;
        _settings = settings;
        _ownPayloadPrefix = ownPayloadPrefix;
        _signal = signal;
        _logger = logger;
    }

    /// <summary>How many times a listening connection was established (1 after start, one more per reconnect, counted after its catch-up signal).</summary>
    public int Connections => Volatile.Read(ref _connections);

    /// <summary>Connects and listens, then keeps listening in the background. Throws when the first connection fails.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stopping.Token);
        var connection = await ConnectAsync(linked.Token).ConfigureAwait(false);
        Interlocked.Increment(ref _connections);
        _loop = Task.Run(() => RunAsync(connection), CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
        }

        _stopping.Dispose();
    }

    /// <summary>Stops without waiting for the loop (for synchronous disposal); prefer <see cref="DisposeAsync"/>.</summary>
    public void Dispose()
    {
        try
        {
            _stopping.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private async Task<NpgsqlConnection> ConnectAsync(CancellationToken cancellationToken)
    {
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            connection.Notification += OnNotification;
            using var listen = new NpgsqlCommand("LISTEN " + Identifier.Quote(_settings.Channel), connection);
            listen.CommandTimeout = _settings.CommandTimeoutSeconds;
            await listen.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            connection.Notification -= OnNotification;
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task RunAsync(NpgsqlConnection first)
    {
        var connection = (NpgsqlConnection?)first;
        var delay = InitialDelay;
        var attempts = 0;
        var stopping = _stopping.Token;
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                if (connection is null)
                {
                    try
                    {
                        attempts++;
                        connection = await ConnectAsync(stopping).ConfigureAwait(false);
                        Log.ListenerReconnected(_logger, _settings.Channel, attempts);
                        attempts = 0;
                        delay = InitialDelay;
                        RaiseChange();
                        Interlocked.Increment(ref _connections);
                    }
                    catch (Exception) when (stopping.IsCancellationRequested)
                    {
                        break;
                    }
#pragma warning disable CA1031 // The listener must outlive any failure while the store lives: it retries.
                    catch (Exception exception) when (!stopping.IsCancellationRequested)
#pragma warning restore CA1031
                    {
                        Log.ListenerReconnectFailed(_logger, _settings.Channel, delay.TotalMilliseconds, exception);
                        try
                        {
                            await Task.Delay(delay, stopping).ConfigureAwait(false);
                        }
                        catch (OperationCanceledException)
                        {
                            break;
                        }

                        delay = delay * 2 > MaxDelay ? MaxDelay : delay * 2;
                        continue;
                    }
                }

                try
                {
                    if (!await connection.WaitAsync(KeepAliveInterval, stopping).ConfigureAwait(false))
                    {
                        using var ping = new NpgsqlCommand("SELECT 1", connection);
                        ping.CommandTimeout = _settings.CommandTimeoutSeconds;
                        await ping.ExecuteNonQueryAsync(stopping).ConfigureAwait(false);
                    }
                }
                catch (Exception) when (stopping.IsCancellationRequested)
                {
                    break;
                }
#pragma warning disable CA1031 // The listener must outlive any failure while the store lives: it reconnects.
                catch (Exception exception) when (!stopping.IsCancellationRequested)
#pragma warning restore CA1031
                {
                    Log.ListenerLost(_logger, _settings.Channel, exception);
                    await DropAsync(connection).ConfigureAwait(false);
                    connection = null;

                    // The server (or the network) went away: the pool's idle connections are probably dead as well.
                    if (PostgreSqlErrors.IsConnectionLoss(exception))
                    {
                        _dataSource.Clear();
                    }
                }
            }
        }
        finally
        {
            if (connection is not null)
            {
                await DropAsync(connection).ConfigureAwait(false);
            }
        }
    }

    private async Task DropAsync(NpgsqlConnection connection)
    {
        connection.Notification -= OnNotification;
        try
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception exception) when (PostgreSqlErrors.IsDatabaseError(exception) || exception is InvalidOperationException)
        {
            // Already broken; nothing to give back.
        }
    }

    private void OnNotification(object sender, NpgsqlNotificationEventArgs e)
    {
        // Our own writes fired the token when they committed; a late echo would fire a token taken after them.
        if (string.Equals(e.Channel, _settings.Channel, StringComparison.Ordinal)
            && !e.Payload.StartsWith(_ownPayloadPrefix, StringComparison.Ordinal))
        {
            RaiseChange(RevisionOf(e.Payload));
        }
    }

    /// <summary>The revision at the end of a payload (<c>"&lt;store&gt; changed &lt;revision&gt;"</c>); null for a payload without one.</summary>
    private static long? RevisionOf(string payload)
    {
        var space = payload.LastIndexOf(' ');
        var culture = System.Globalization.CultureInfo.InvariantCulture;
        return space >= 0 && long.TryParse(payload.AsSpan(space + 1), System.Globalization.NumberStyles.None, culture, out var revision)
            ? revision
            : null;
    }

    private void RaiseChange(long? revision = null)
    {
        try
        {
            if (revision is { } known)
            {
                _signal.FireIfNewer(known);
            }
            else
            {
                _signal.Fire();
            }
        }
#pragma warning disable CA1031 // A subscriber's failure must not stop the listener.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            Log.ChangeCallbackFailed(_logger, exception);
        }
    }
}
