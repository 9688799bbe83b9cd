using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;

namespace RegistryCredentials.Sqlite.Internal;

/// <summary>
/// Everything of the store but its data operations: opens the database once (created, migrated or refused, by
/// <see cref="SqliteDatabaseOpener"/>), hands each operation a connection (the single writer, in the writers' turn, or a
/// pooled reader), retries it with growing delays while another process holds a lock, turns SQLite's errors into
/// <see cref="SqliteStoreException"/>, fires the change signal after a committed change (its <see cref="ChangeSource"/>
/// fires it for other processes' changes), and closes it all.
/// </summary>
internal sealed class StoreLifecycle : IDisposable, IAsyncDisposable
{
    private const int MaxIdleReaders = 4;
    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(25);
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(1);

    private readonly StoreSettings _settings;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly RegistryChangeSignal _signal = new();
    private readonly ChangeSource _changes;
    private readonly SemaphoreSlim _openLock = new(1, 1);
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly ConcurrentBag<StoreConnection> _readers = [];
    private readonly WriterTurnstile? _turnstile;
    private StoreConnection? _writer;
    private volatile bool _opened;
    private bool _fireOnOpen;
    private int _disposed;

    public StoreLifecycle(StoreSettings settings, TimeProvider time, ILogger logger)
    {
        _settings = settings;
        _time = time;
        _logger = logger;
        // A read-only store never writes: no writers' turnstile (nor the named mutex behind it).
        _turnstile = settings.ReadOnly ? null : new WriterTurnstile(settings.Path);
        _changes = new ChangeSource(settings, EnsureOpenAsync, _signal, time, logger);
    }

    private bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    private SqliteOpenMode ReaderMode => _settings.ReadOnly ? SqliteOpenMode.ReadOnly : SqliteOpenMode.ReadWrite;

    /// <summary>Opens the database now, retrying while it is locked.</summary>
    public ValueTask InitializeAsync(CancellationToken cancellationToken) =>
        new(RunAsync<int, bool>("SqliteRegistryStore.Initialize", 0, read: null, write: null, cancellationToken).AsTask());

    /// <summary>Runs a read on a pooled reader connection.</summary>
    public ValueTask<TResult> ReadAsync<TState, TResult>(
        string operation, TState state, Func<StoreConnection, TState, TResult> read, CancellationToken cancellationToken) =>
        RunAsync(operation, state, read, write: null, cancellationToken);

    /// <summary>
    /// Runs a write on the writer connection, in the writers' turn; when it returns a revision (it committed a change of
    /// entries), fires the change signal for it once the locks are released.
    /// </summary>
    public ValueTask<TResult> WriteAsync<TState, TResult>(
        string operation, TState state, Func<StoreConnection, TState, (TResult Result, long? Revision)> write, CancellationToken cancellationToken) =>
        RunAsync(operation, state, read: null, write, cancellationToken);

    /// <summary>Returns the signal's token, opening the database first and starting the change source.</summary>
    public IChangeToken Watch()
    {
        var token = _signal.Watch();
        if (!_opened && !IsDisposed)
        {
            // Open now, so that the revision this token stands for is known: a change made by another process between
            // this call and the store's first read must fire it.
            TryOpenForWatch();
        }

        if (!IsDisposed && _settings.WatchOtherProcesses)
        {
            _changes.Start();
        }

        return token;
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _changes.Dispose();
        CloseConnections();
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _changes.DisposeAsync().ConfigureAwait(false);
        CloseConnections();
    }

    [SuppressMessage("Security", "CA5394:Do not use insecure randomness", Justification = "Jitter for retry delays, not security.")]
    private static TimeSpan RetryDelay(int attempt)
    {
        var ceiling = Math.Min(MaxRetryDelay.TotalMilliseconds, FirstRetryDelay.TotalMilliseconds * Math.Pow(2, attempt));
        return TimeSpan.FromMilliseconds(ceiling / 2 + Random.Shared.NextDouble() * ceiling / 2);
    }

    /// <summary>
    /// Runs one operation (a read, a write, or with neither only the opening): opens the database if needed, takes a
    /// connection, and retries the whole operation with growing delays while another process holds a lock.
    /// </summary>
    private async ValueTask<TResult> RunAsync<TState, TResult>(
        string operation,
        TState state,
        Func<StoreConnection, TState, TResult>? read,
        Func<StoreConnection, TState, (TResult Result, long? Revision)>? write,
        CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(IsDisposed, typeof(SqliteRegistryStore));
        if (write is not null && _settings.ReadOnly)
        {
            throw new SqliteStoreException(
                _settings.Path,
                SqliteStoreErrorKind.ReadOnly,
                $"{operation} refused: the store on '{_settings.Path}' is read-only (SqliteRegistryStoreOptions.ReadOnly); nothing was written.");
        }

        using var activity = Telemetry.StartOperation(operation);
        for (var attempt = 0; ; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                await EnsureOpenAsync(cancellationToken).ConfigureAwait(false);
                if (write is not null)
                {
                    TResult written;
                    long? committed;
                    await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
                    try
                    {
                        (written, committed) = WriteLocked(state, write);
                    }
                    finally
                    {
                        _writeLock.Release();
                    }

                    // Outside the locks: the token's callbacks run on this thread and may read the store.
                    if (committed is { } revision)
                    {
                        _signal.Fire(revision);
                    }

                    return written;
                }

                return read is null ? default! : Read(state, read);
            }
            catch (SqliteException e) when (SqliteErrors.IsBusy(e) && attempt < _settings.MaxRetries)
            {
                var delay = RetryDelay(attempt);
                Log.BusyRetry(_logger, _settings.Path, operation, attempt + 1, delay.TotalMilliseconds);
                Telemetry.BusyRetries.Add(1);
                await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (SqliteException e)
            {
                throw SqliteErrors.Translate(e, _settings.Path, attempt);
            }
        }
    }

    /// <summary>Runs a write on the writer connection; the caller holds <see cref="_writeLock"/>.</summary>
    private (TResult Result, long? Revision) WriteLocked<TState, TResult>(TState state, Func<StoreConnection, TState, (TResult Result, long? Revision)> write)
    {
        ObjectDisposedException.ThrowIf(IsDisposed, typeof(SqliteRegistryStore));
        var writer = _writer ??= StoreConnection.Open(_settings.Path, SqliteOpenMode.ReadWrite, _settings.BusyTimeout);

        // Synchronous from here to the end of the turn: the mutex belongs to this thread.
        var turn = _turnstile?.Enter(_settings.BusyTimeout) ?? false;
        try
        {
            return write(writer, state);
        }
        catch
        {
            if (!writer.TryRollback())
            {
                writer.Dispose();
                _writer = null;
            }

            throw;
        }
        finally
        {
            if (turn)
            {
                _turnstile!.Exit();
            }
        }
    }

    private TResult Read<TState, TResult>(TState state, Func<StoreConnection, TState, TResult> read)
    {
        var reader = _readers.TryTake(out var pooled) ? pooled : StoreConnection.Open(_settings.Path, ReaderMode, _settings.BusyTimeout);
        var healthy = false;
        try
        {
            var result = read(reader, state);
            healthy = true;
            return result;
        }
        finally
        {
            if (healthy && !IsDisposed && _readers.Count < MaxIdleReaders)
            {
                _readers.Add(reader);
            }
            else
            {
                reader.Dispose();
            }
        }
    }

    private async ValueTask EnsureOpenAsync(CancellationToken cancellationToken)
    {
        if (_opened)
        {
            return;
        }

        await _openLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            OpenLocked();
        }
        finally
        {
            _openLock.Release();
        }
    }

    [SuppressMessage("Design", "CA1031:Do not catch general exception types", Justification = "Watch never throws; the error surfaces on the next operation.")]
    private void TryOpenForWatch()
    {
        _openLock.Wait();
        try
        {
            OpenLocked();
        }
        catch (Exception)
        {
            // The revision the token stands for is unknown: fire it once the file opens, to be safe.
            _fireOnOpen = true;
        }
        finally
        {
            _openLock.Release();
        }
    }

    /// <summary>Opens the database; the caller holds <see cref="_openLock"/>.</summary>
    private void OpenLocked()
    {
        if (_opened)
        {
            return;
        }

        ObjectDisposedException.ThrowIf(IsDisposed, typeof(SqliteRegistryStore));
        long revision;
        if (_settings.ReadOnly)
        {
            // One read-only connection, which becomes the first pooled reader: no writer is ever opened.
            _readers.Add(SqliteDatabaseOpener.OpenReadOnly(_settings, _logger, out revision));
        }
        else
        {
            _writer = SqliteDatabaseOpener.Open(_settings, _time, _logger, out revision);
        }

        _signal.SetBaseline(revision);
        _opened = true;
        if (_fireOnOpen)
        {
            _fireOnOpen = false;
            _signal.Fire(revision);
        }
    }

    private void CloseConnections()
    {
        // Wait for a write in flight to finish, so that its connection is not closed under it.
        var locked = _writeLock.Wait(_settings.BusyTimeout + TimeSpan.FromSeconds(5));
        try
        {
            _writer?.Dispose();
            _writer = null;
        }
        finally
        {
            if (locked)
            {
                _writeLock.Release();
            }
        }

        while (_readers.TryTake(out var reader))
        {
            reader.Dispose();
        }

        _signal.Dispose();
        _turnstile?.Dispose();
    }
}
