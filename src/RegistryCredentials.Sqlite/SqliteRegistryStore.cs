using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Primitives;
using RegistryCredentials.Sqlite.Internal;

namespace RegistryCredentials.Sqlite;

/// <summary>
/// An <see cref="IRegistryStore"/> in one SQLite file: the embedded default. Several stores, in one process or in
/// several, may share the file; writes are serialised by SQLite and checked with each entry's version, and
/// <see cref="Watch"/> fires for changes made by any of them.
/// </summary>
/// <remarks>
/// The file is opened on first use (or by <see cref="InitializeAsync"/>): a missing or empty file is created with the
/// schema in WAL mode, an older schema is migrated forward, and a file that is not a registry database (not SQLite,
/// damaged, truncated, another application's, or of a newer schema) is refused with a <see cref="SqliteStoreException"/>
/// naming it, without a byte of it being changed. An operation that finds the file locked by another process waits
/// <see cref="SqliteRegistryStoreOptions.BusyTimeout"/> and retries with growing delays; callers never see SQLite's
/// own errors. Protected secrets are stored as the bytes they are; this store never sees a secret in clear.
/// </remarks>
public sealed class SqliteRegistryStore : IRegistryStore, IDisposable, IAsyncDisposable
{
    private const int MaxIdleReaders = 4;
    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(25);
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(1);

    private readonly TimeSpan _busyTimeout;
    private readonly TimeSpan _pollInterval;
    private readonly int _maxRetries;
    private readonly SqliteRegistryStoreOptions _openOptions;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly RegistryChangeSignal _signal = new();
    private readonly SemaphoreSlim _openLock = new(1, 1);
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly ConcurrentBag<StoreConnection> _readers = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _pollGate = new();
    private readonly WriterTurnstile _turnstile;
    private StoreConnection? _writer;
    private long? _committedRevision; // set by Commit under the write lock
    private volatile bool _opened;
    private bool _fireOnOpen;
    private Task? _pollTask;
    private int _disposed;

    /// <summary>Creates a store on a file; nothing is opened until first use or <see cref="InitializeAsync"/>.</summary>
    /// <param name="options">The file and its settings; copied, so later changes have no effect.</param>
    /// <param name="timeProvider">The clock for retry delays, change polling and migration records; the system clock when null.</param>
    /// <param name="logger">The logger; none when null.</param>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public SqliteRegistryStore(SqliteRegistryStoreOptions options, TimeProvider? timeProvider = null, ILogger<SqliteRegistryStore>? logger = null)
    {
        Validate(options);
        DatabasePath = System.IO.Path.GetFullPath(options.Path);
        _busyTimeout = options.BusyTimeout;
        _pollInterval = options.ChangePollInterval;
        _maxRetries = options.MaxRetries;
        _openOptions = new SqliteRegistryStoreOptions
        {
            Path = DatabasePath,
            BusyTimeout = options.BusyTimeout,
            ChangePollInterval = options.ChangePollInterval,
            MaxRetries = options.MaxRetries,
            CheckIntegrityOnOpen = options.CheckIntegrityOnOpen,
        };
        _turnstile = new WriterTurnstile(DatabasePath);
        _time = timeProvider ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>The full path of the database file.</summary>
    public string DatabasePath { get; }

    /// <summary>
    /// Opens the file now instead of on first use: creates or migrates it, or refuses it. Call it at start-up to fail
    /// early on a file that cannot be used.
    /// </summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the database is ready.</returns>
    /// <exception cref="SqliteStoreException">The file is not a registry database this version can use, or stayed locked.</exception>
    public ValueTask InitializeAsync(CancellationToken cancellationToken = default) =>
        new(RunAsync("SqliteRegistryStore.Initialize", 0, static (_, _, _) => true, Access.None, cancellationToken).AsTask());

    /// <inheritdoc />
    public ValueTask<RegistryRecord?> GetAsync(string account, RegistryScope scope, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(scope);
        return RunAsync("SqliteRegistryStore.Get", (account, scope), static (store, key, connection) =>
        {
            using var reader = connection.Command(SqliteSchema.SelectOne)
                .With("$account", key.account)
                .With("$scope", key.scope.Value)
                .ExecuteReader();
            return reader.Read() ? EntryRows.Read(reader, store.DatabasePath) : null;
        }, Access.Read, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<RegistryRecord>> ListAsync(string? account, CancellationToken cancellationToken = default) =>
        RunAsync<string?, IReadOnlyList<RegistryRecord>>("SqliteRegistryStore.List", account, static (store, account, connection) =>
        {
            var command = account is null
                ? connection.Command(SqliteSchema.SelectAll)
                : connection.Command(SqliteSchema.SelectAccount).With("$account", account);
            var records = new List<RegistryRecord>();
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                records.Add(EntryRows.Read(reader, store.DatabasePath));
            }

            return records;
        }, Access.Read, cancellationToken);

    /// <inheritdoc />
    public ValueTask<RegistryRecord> AddAsync(RegistryRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        return RunAsync("SqliteRegistryStore.Add", record, static (store, record, writer) =>
        {
            var entry = record.Entry;
            writer.Command("BEGIN IMMEDIATE").ExecuteNonQuery();
            if (writer.Command(SqliteSchema.Insert).BindRecord(record).ExecuteNonQuery() == 0)
            {
                writer.Command("ROLLBACK").ExecuteNonQuery();
                throw new RegistryConflictException(entry.Account, entry.Scope);
            }

            store.Commit(writer);
            return record.WithEntry(entry with { Version = 1 });
        }, Access.Write, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<RegistryRecord> UpdateAsync(RegistryRecord record, long expectedVersion, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        return RunAsync("SqliteRegistryStore.Update", (record, expectedVersion), static (store, state, writer) =>
        {
            var (record, expected) = state;
            var entry = record.Entry;
            writer.Command("BEGIN IMMEDIATE").ExecuteNonQuery();
            if (writer.Command(SqliteSchema.Update).BindRecord(record).With("$expected", expected).ExecuteNonQuery() == 0)
            {
                var actual = ReadVersion(writer, entry.Account, entry.Scope);
                writer.Command("ROLLBACK").ExecuteNonQuery();
                throw actual is { } version
                    ? new RegistryConcurrencyException(entry.Account, entry.Scope, expected, version)
                    : new RegistryNotFoundException(entry.Account, entry.Scope);
            }

            store.Commit(writer);
            return record.WithEntry(entry with { Version = expected + 1 });
        }, Access.Write, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<bool> DeleteAsync(string account, RegistryScope scope, long? expectedVersion = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(scope);
        return RunAsync("SqliteRegistryStore.Delete", (account, scope, expectedVersion), static (store, state, writer) =>
        {
            var (account, scope, expected) = state;
            writer.Command("BEGIN IMMEDIATE").ExecuteNonQuery();
            var deleted = writer.Command(SqliteSchema.Delete)
                .With("$account", account)
                .With("$scope", scope.Value)
                .With("$expected", expected)
                .ExecuteNonQuery();
            if (deleted == 0)
            {
                var actual = ReadVersion(writer, account, scope);
                writer.Command("ROLLBACK").ExecuteNonQuery();
                return actual is { } version && expected is { } wanted
                    ? throw new RegistryConcurrencyException(account, scope, wanted, version)
                    : false;
            }

            store.Commit(writer);
            return true;
        }, Access.Write, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<string>> GetKeyIdsAsync(CancellationToken cancellationToken = default) =>
        RunAsync<int, IReadOnlyList<string>>("SqliteRegistryStore.GetKeyIds", 0, static (_, _, connection) => ReadKeyIds(connection), Access.Read, cancellationToken);

    /// <inheritdoc />
    /// <remarks>One write transaction (<c>BEGIN IMMEDIATE</c>) reads and replaces the ids, so writers in any process take turns.</remarks>
    public ValueTask<bool> ReplaceKeyIdsAsync(IReadOnlyCollection<string> expected, IReadOnlyCollection<string> keyIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(keyIds);
        if (keyIds.Count == 0)
        {
            throw new ArgumentException("A store's key ids are replaced by at least one.", nameof(keyIds));
        }

        string[] wanted = [.. keyIds.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        string[] before = [.. expected.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        return RunAsync("SqliteRegistryStore.ReplaceKeyIds", (before, wanted), static (store, state, writer) =>
        {
            writer.Command("BEGIN IMMEDIATE").ExecuteNonQuery();
            var current = ReadKeyIds(writer);
            if (!current.SequenceEqual(state.before, StringComparer.Ordinal))
            {
                writer.Command("ROLLBACK").ExecuteNonQuery();
                return false;
            }

            foreach (var gone in current.Except(state.wanted, StringComparer.Ordinal))
            {
                writer.Command(SqliteSchema.DeleteKeyId).With("$key_id", gone).ExecuteNonQuery();
            }

            var now = EntryRows.FormatTime(store._time.GetUtcNow());
            foreach (var keyId in state.wanted)
            {
                writer.Command(SqliteSchema.InsertKeyId).With("$key_id", keyId).With("$added_on", now).ExecuteNonQuery();
            }

            // Key ids are not entries: no revision, no change token.
            writer.Command("COMMIT").ExecuteNonQuery();
            return true;
        }, Access.Write, cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>
    /// Changes made through this store fire the token at once; changes made by other stores or processes on the same
    /// file fire it within <see cref="SqliteRegistryStoreOptions.ChangePollInterval"/>, found by polling SQLite's
    /// <c>data_version</c> and a one-row revision counter (never by reading the entries). The first call opens the file
    /// if no operation has yet, so that the token stands for the file as it is now.
    /// </remarks>
    public IChangeToken Watch()
    {
        var token = _signal.Watch();
        if (!_opened && Volatile.Read(ref _disposed) == 0)
        {
            // Open now, so that the revision this token stands for is known: a change made by another process between
            // this call and the store's first read must fire it.
            TryOpenForWatch();
        }

        if (_pollTask is null && Volatile.Read(ref _disposed) == 0)
        {
            lock (_pollGate)
            {
                _pollTask ??= Task.Run(() => PollAsync(_stop.Token));
            }
        }

        return token;
    }

    /// <summary>
    /// Stops change polling, closes the file and closes the change signal: tokens from <see cref="Watch"/> never fire
    /// afterwards (see <see cref="RegistryChangeSignal"/>).
    /// </summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _stop.Cancel();
        try
        {
            _pollTask?.Wait(TimeSpan.FromSeconds(10));
        }
        catch (AggregateException)
        {
            // The poller ends by cancellation; it logs anything else itself.
        }

        CloseConnections();
    }

    /// <summary>Stops change polling, closes the file and closes the change signal, as <see cref="Dispose"/> does.</summary>
    /// <returns>A task that completes when the file is closed.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        if (_pollTask is { } poll)
        {
            await poll.WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        CloseConnections();
    }

    /// <summary>Checks the settings; the store's constructor and <c>UseSqliteStore</c> call it.</summary>
    /// <exception cref="ArgumentException">A setting is out of range.</exception>
    internal static void Validate(SqliteRegistryStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.Path))
        {
            throw new ArgumentException("SqliteRegistryStoreOptions.Path must name the database file.", nameof(options));
        }

        if (options.BusyTimeout <= TimeSpan.Zero || options.BusyTimeout.TotalMilliseconds > int.MaxValue)
        {
            throw new ArgumentException($"SqliteRegistryStoreOptions.BusyTimeout must be positive and at most {int.MaxValue} ms; it is {options.BusyTimeout}.", nameof(options));
        }

        if (options.ChangePollInterval <= TimeSpan.Zero)
        {
            throw new ArgumentException($"SqliteRegistryStoreOptions.ChangePollInterval must be positive; it is {options.ChangePollInterval}.", nameof(options));
        }

        if (options.MaxRetries < 0)
        {
            throw new ArgumentException($"SqliteRegistryStoreOptions.MaxRetries must not be negative; it is {options.MaxRetries}.", nameof(options));
        }
    }

    private static long? ReadVersion(StoreConnection connection, string account, RegistryScope scope)
    {
        var value = connection.Command(SqliteSchema.SelectVersion)
            .With("$account", account)
            .With("$scope", scope.Value)
            .ExecuteScalar();
        return value is null or DBNull ? null : Convert.ToInt64(value, CultureInfo.InvariantCulture);
    }

    private static List<string> ReadKeyIds(StoreConnection connection)
    {
        var ids = new List<string>();
        using var reader = connection.Command(SqliteSchema.SelectKeyIds).ExecuteReader();
        while (reader.Read())
        {
            ids.Add(reader.GetString(0));
        }

        ids.Sort(StringComparer.Ordinal);
        return ids;
    }

    /// <summary>Commits the open write transaction, noting the revision it produced for the change token.</summary>
    private void Commit(StoreConnection writer)
    {
        var revision = Convert.ToInt64(writer.Command(SqliteSchema.SelectRevision).ExecuteScalar(), CultureInfo.InvariantCulture);
        writer.Command("COMMIT").ExecuteNonQuery();
        _committedRevision = revision;
    }

    private enum Access
    {
        None,
        Read,
        Write,
    }

    /// <summary>
    /// Runs one operation: opens the database if needed, takes a connection (the single writer, or a pooled reader),
    /// and retries the whole operation with growing delays while another process holds a lock.
    /// </summary>
    private async ValueTask<TResult> RunAsync<TState, TResult>(
        string operation,
        TState state,
        Func<SqliteRegistryStore, TState, StoreConnection, TResult> body,
        Access access,
        CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        using var activity = Telemetry.ActivitySource.StartActivity(operation);
        for (var attempt = 0; ; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                await EnsureOpenAsync(cancellationToken).ConfigureAwait(false);
                switch (access)
                {
                    case Access.Write:
                        TResult written;
                        long? committed;
                        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
                        try
                        {
                            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
                            var writer = _writer ??= StoreConnection.Open(DatabasePath, SqliteOpenMode.ReadWrite, _busyTimeout);

                            // Synchronous from here to the end of the turn: the mutex belongs to this thread.
                            var turn = _turnstile.Enter(_busyTimeout);
                            try
                            {
                                _committedRevision = null;
                                written = body(this, state, writer);
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
                                    _turnstile.Exit();
                                }
                            }

                            committed = _committedRevision;
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

                    case Access.Read:
                        var reader = _readers.TryTake(out var pooled) ? pooled : StoreConnection.Open(DatabasePath, SqliteOpenMode.ReadWrite, _busyTimeout);
                        var healthy = false;
                        try
                        {
                            var result = body(this, state, reader);
                            healthy = true;
                            return result;
                        }
                        finally
                        {
                            if (healthy && Volatile.Read(ref _disposed) == 0 && _readers.Count < MaxIdleReaders)
                            {
                                _readers.Add(reader);
                            }
                            else
                            {
                                reader.Dispose();
                            }
                        }

                    default:
                        return body(this, state, null!);
                }
            }
            catch (SqliteException e) when (SqliteErrors.IsBusy(e) && attempt < _maxRetries)
            {
                var delay = RetryDelay(attempt);
                Log.BusyRetry(_logger, DatabasePath, operation, attempt + 1, delay.TotalMilliseconds);
                Telemetry.BusyRetries.Add(1);
                await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (SqliteException e)
            {
                throw SqliteErrors.Translate(e, DatabasePath, attempt);
            }
        }
    }

    [SuppressMessage("Security", "CA5394:Do not use insecure randomness", Justification = "Jitter for retry delays, not security.")]
    private static TimeSpan RetryDelay(int attempt)
    {
        var ceiling = Math.Min(MaxRetryDelay.TotalMilliseconds, FirstRetryDelay.TotalMilliseconds * Math.Pow(2, attempt));
        return TimeSpan.FromMilliseconds(ceiling / 2 + Random.Shared.NextDouble() * ceiling / 2);
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

        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        _writer = SqliteDatabaseOpener.Open(DatabasePath, _openOptions, _time, _logger, out var revision);
        _signal.SetBaseline(revision);
        _opened = true;
        if (_fireOnOpen)
        {
            _fireOnOpen = false;
            _signal.Fire(revision);
        }
    }

    /// <summary>
    /// Fires the change token for changes by other connections: every interval, reads <c>PRAGMA data_version</c> (which
    /// changes when another connection commits) on a connection of its own, and only then the revision counter.
    /// </summary>
    [SuppressMessage("Design", "CA1031:Do not catch general exception types", Justification = "The poller must survive any failure; it logs and tries again.")]
    private async Task PollAsync(CancellationToken stop)
    {
        StoreConnection? watcher = null;
        long? dataVersion = null;
        try
        {
            using var timer = new PeriodicTimer(_pollInterval, _time);
            do
            {
                try
                {
                    await EnsureOpenAsync(stop).ConfigureAwait(false);
                    watcher ??= StoreConnection.Open(DatabasePath, SqliteOpenMode.ReadOnly, _busyTimeout);
                    var current = Convert.ToInt64(watcher.Command("PRAGMA data_version").ExecuteScalar(), CultureInfo.InvariantCulture);
                    if (current != dataVersion)
                    {
                        var revision = Convert.ToInt64(watcher.Command(SqliteSchema.SelectRevision).ExecuteScalar(), CultureInfo.InvariantCulture);
                        dataVersion = current;
                        if (_signal.FireIfNewer(revision))
                        {
                            Log.ExternalChange(_logger, DatabasePath, revision);
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
                    Log.PollFailed(_logger, e, DatabasePath);
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

    private void CloseConnections()
    {
        // Wait for a write in flight to finish, so that its connection is not closed under it.
        var locked = _writeLock.Wait(_busyTimeout + TimeSpan.FromSeconds(5));
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
        _stop.Dispose();
        _turnstile.Dispose();
    }
}
