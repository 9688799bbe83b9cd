using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;
using Npgsql;

namespace RegistryCredentials.PostgreSql.Internal;

/// <summary>
/// Everything of the store but its data operations: the data source (made from the connection string, or the caller's),
/// preparing the store once (schema migrated by <see cref="SchemaMigrator"/>, then the <see cref="ChangeSource"/>
/// listening), running each operation with database errors turned into <see cref="PostgreSqlStoreException"/> (and idle
/// pooled connections dropped when the server went away), firing the change signal after a change, and closing it all.
/// </summary>
internal sealed class StoreLifecycle : IAsyncDisposable, IDisposable
{
    private static readonly TimeSpan WatchStartTimeout = TimeSpan.FromSeconds(5);

    private readonly NpgsqlDataSource _dataSource;
    private readonly bool _ownsDataSource;
    private readonly StoreSettings _settings;
    private readonly ILogger _logger;
    private readonly RegistryChangeSignal _signal = new();
    private readonly ChangeSource _changes;
    private readonly SemaphoreSlim _startGate = new(1, 1);
    private volatile bool _started;
    private volatile bool _unlistenedTokens;
    private int _disposed;

    /// <param name="options">The options, for the connection string or data source.</param>
    /// <param name="settings">The checked settings.</param>
    /// <param name="logger">The logger.</param>
    public StoreLifecycle(PostgreSqlRegistryStoreOptions options, StoreSettings settings, ILogger logger)
    {
        _settings = settings;
        _logger = logger;
        if (options.DataSource is { } dataSource)
        {
            _dataSource = dataSource;
        }
        else
        {
            var builder = new NpgsqlDataSourceBuilder(options.ConnectionString);
            if (string.IsNullOrEmpty(builder.ConnectionStringBuilder.ApplicationName))
            {
                builder.ConnectionStringBuilder.ApplicationName = "RegistryCredentials";
            }

            _dataSource = builder.Build();
            _ownsDataSource = true;
        }

        var instance = Guid.NewGuid().ToString("N");
        NotifyPayload = instance + " changed";
        _changes = new ChangeSource(_dataSource, _settings, instance, _signal, _logger);
    }

    public NpgsqlDataSource DataSource => _dataSource;

    /// <summary>The payload of this store's notifications; its change source skips them, its writes fired the signal already.</summary>
    public string NotifyPayload { get; }

    /// <summary>How many times the listening connection was established: 1 once started, one more per reconnect.</summary>
    public int ListenerConnections => _changes.Connections;

    /// <summary>Runs an operation that changes no entry: prepares the store if needed, translates database errors.</summary>
    public Task<T> RunAsync<T>(string description, Func<CancellationToken, Task<T>> operation, CancellationToken cancellationToken) =>
        RunCoreAsync(description, operation, write: false, cancellationToken);

    /// <summary>
    /// Runs an operation that may change an entry, and fires the change signal when it did. When it fails with the
    /// connection lost or the call cancelled, the change may have committed unheard of: the signal fires as well.
    /// </summary>
    public async Task<T> RunChangeAsync<T>(
        string description, Func<CancellationToken, Task<(T Result, long? Revision)>> operation, CancellationToken cancellationToken)
    {
        var (result, revision) = await RunCoreAsync(description, operation, write: true, cancellationToken).ConfigureAwait(false);
        if (revision is { } committed)
        {
            _signal.Fire(committed);
        }

        return result;
    }

    /// <summary>
    /// Returns the signal's token. The first call on a store that no other call has started prepares it first, waiting
    /// at most five seconds; past that the token is handed out anyway and fires once the store starts listening.
    /// </summary>
    public IChangeToken Watch()
    {
        if (!_started && Volatile.Read(ref _disposed) == 0)
        {
            // Blocks a thread once per store at most; every await below runs with ConfigureAwait(false).
            if (!StartInBackgroundAsync().Wait(WatchStartTimeout) || !_started)
            {
                _unlistenedTokens = true;
            }
        }

        return _signal.Watch();
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _signal.Dispose();
        await _changes.DisposeAsync().ConfigureAwait(false);
        if (_ownsDataSource)
        {
            await _dataSource.DisposeAsync().ConfigureAwait(false);
        }

        _startGate.Dispose();
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _signal.Dispose();
        _changes.Dispose();
        if (_ownsDataSource)
        {
            _dataSource.Dispose();
        }
    }

    /// <summary>
    /// Prepares the store once (schema migrated, listener connected), then runs <paramref name="operation"/>, turning
    /// database errors into <see cref="PostgreSqlStoreException"/>. Cancellation is passed through as it is.
    /// </summary>
    private async Task<T> RunCoreAsync<T>(string description, Func<CancellationToken, Task<T>> operation, bool write, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, typeof(PostgreSqlRegistryStore));
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            await EnsureStartedAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (PostgreSqlErrors.IsDatabaseError(exception))
        {
            throw Translate(exception, "prepare its schema and change listener", cancellationToken);
        }

        try
        {
            return await operation(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (PostgreSqlErrors.IsDatabaseError(exception))
        {
            if (write && (PostgreSqlErrors.IsConnectionLoss(exception) || cancellationToken.IsCancellationRequested))
            {
                // The write may have committed without our hearing of it; our listener skips our own notifications.
                _signal.Fire();
            }

            throw Translate(exception, description, cancellationToken);
        }
    }

    /// <summary>
    /// The exception to throw for a database error: cancellation when the caller cancelled (Npgsql may report a
    /// cancelled command as a broken connection), a <see cref="PostgreSqlStoreException"/> otherwise.
    /// </summary>
    private Exception Translate(Exception exception, string description, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return new OperationCanceledException($"The PostgreSQL registry store call to {description} was cancelled.", exception, cancellationToken);
        }

        if (PostgreSqlErrors.IsConnectionLoss(exception))
        {
            // Idle pooled connections are most likely dead as well (server restarted): open fresh ones next time.
            _dataSource.Clear();
        }

        return PostgreSqlErrors.Translate(exception, description, _settings.Schema);
    }

    private async Task EnsureStartedAsync(CancellationToken cancellationToken)
    {
        if (_started)
        {
            return;
        }

        await _startGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_started)
            {
                return;
            }

            await SchemaMigrator.MigrateAsync(_dataSource, _settings, _logger, cancellationToken).ConfigureAwait(false);

            // Listening before the first read: a change committed after that read is notified.
            await _changes.StartAsync(cancellationToken).ConfigureAwait(false);
            _started = true;
            if (_unlistenedTokens)
            {
                // Watch handed out tokens before we listened: changes since then may have been missed.
                _signal.Fire();
            }
        }
        finally
        {
            _startGate.Release();
        }
    }

    private async Task StartInBackgroundAsync()
    {
        try
        {
            await EnsureStartedAsync(CancellationToken.None).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Background start: the next call reports the failure to its caller.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            Log.BackgroundStartFailed(_logger, _settings.Schema, exception);
        }
    }
}
