using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Primitives;
using Npgsql;
using NpgsqlTypes;
using RegistryCredentials.PostgreSql.Internal;

namespace RegistryCredentials.PostgreSql;

/// <summary>
/// An <see cref="IRegistryStore"/> in a PostgreSQL database, shared by every process and machine that points at it.
/// </summary>
/// <remarks>
/// <para>
/// The schema (<see cref="PostgreSqlRegistryStoreOptions.Schema"/>) is created or migrated on first use, under an
/// advisory lock, so several nodes may start at once. Entries live in one table keyed by account and scope; updates
/// and deletes check the version (optimistic concurrency); the secret is kept only as the protected bytes
/// (<c>bytea</c>). Timestamps are kept to the microsecond, PostgreSQL's precision, and come back in UTC.
/// </para>
/// <para>
/// Every write sends <c>pg_notify</c> on <see cref="PostgreSqlRegistryStoreOptions.NotifyChannel"/> in its own
/// transaction, and every store keeps one connection listening on it, so the token from <see cref="Watch"/> fires
/// within milliseconds of a change made by any node (and at once for this store's own writes). When the listening
/// connection drops, the store reconnects with backoff and fires the token once, since changes may have been missed.
/// </para>
/// <para>
/// Database failures surface as <see cref="PostgreSqlStoreException"/>; when the connection was lost or the server is
/// restarting, <see cref="PostgreSqlStoreException.IsTransient"/> is true and later calls succeed once the server is
/// back (idle pooled connections are dropped, new ones are opened).
/// </para>
/// </remarks>
public sealed class PostgreSqlRegistryStore : IRegistryStore, IAsyncDisposable, IDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly bool _ownsDataSource;
    private readonly StoreSettings _settings;
    private readonly Sql _sql;
    private readonly ILogger _logger;
    private readonly RegistryChangeSignal _signal = new();
    private readonly ChangeListener _listener;
    private readonly string _payload;
    private readonly SemaphoreSlim _startGate = new(1, 1);
    private static readonly TimeSpan WatchStartTimeout = TimeSpan.FromSeconds(5);
    private volatile bool _started;
    private volatile bool _unlistenedTokens;
    private int _disposed;

    /// <summary>Creates a store. Nothing is sent to the server until the first call.</summary>
    /// <param name="options">The connection string or data source, schema, channel and timeout.</param>
    /// <param name="logger">Logs migrations and listener reconnects; optional.</param>
    /// <exception cref="ArgumentException">The options name neither or both of a connection string and a data source, or an unusable schema, channel or timeout.</exception>
    public PostgreSqlRegistryStore(PostgreSqlRegistryStoreOptions options, ILogger<PostgreSqlRegistryStore>? logger = null)
    {
        _settings = StoreSettings.From(options);
        _logger = (ILogger?)logger ?? NullLogger.Instance;
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

        _sql = new Sql(_settings.Schema);
        var instance = Guid.NewGuid().ToString("N");
        _payload = instance + " changed";
        _listener = new ChangeListener(_dataSource, _settings, instance, _signal.Fire, _logger);
    }

    /// <summary>How many times the listening connection was established: 1 once started, one more per reconnect.</summary>
    internal int ListenerConnections => _listener.Connections;

    /// <inheritdoc />
    /// <exception cref="PostgreSqlStoreException">The database could not be reached or refused the call.</exception>
    public async ValueTask<RegistryRecord?> GetAsync(string account, RegistryScope scope, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(scope);
        using var activity = Telemetry.Start("get", account);
        return await RunAsync(
            "read an entry",
            async ct =>
            {
                using var command = Command(_sql.Get);
                command.Parameters.Add(Text(account));
                command.Parameters.Add(Text(scope.Value));
                var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    return await reader.ReadAsync(ct).ConfigureAwait(false) ? ReadRecord(reader) : null;
                }
            },
            write: false,
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <exception cref="PostgreSqlStoreException">The database could not be reached or refused the call.</exception>
    public async ValueTask<IReadOnlyList<RegistryRecord>> ListAsync(string? account, CancellationToken cancellationToken = default)
    {
        using var activity = Telemetry.Start("list", account);
        return await RunAsync<IReadOnlyList<RegistryRecord>>(
            "list entries",
            async ct =>
            {
                using var command = Command(account is null ? _sql.ListAll : _sql.ListAccount);
                if (account is not null)
                {
                    command.Parameters.Add(Text(account));
                }

                var records = new List<RegistryRecord>();
                var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    while (await reader.ReadAsync(ct).ConfigureAwait(false))
                    {
                        records.Add(ReadRecord(reader));
                    }
                }

                activity?.SetTag("registrycredentials.entries", records.Count);
                return records;
            },
            write: false,
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <exception cref="PostgreSqlStoreException">The database could not be reached or refused the call.</exception>
    public async ValueTask<RegistryRecord> AddAsync(RegistryRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        var entry = Normalise(record.Entry) with { Version = 1 };
        using var activity = Telemetry.Start("add", entry.Account);
        var added = await RunAsync(
            "add an entry",
            async ct =>
            {
                using var command = Command(_sql.Add);
                AddEntryParameters(command, entry, record.ProtectedSecret);
                command.Parameters.Add(Text(_settings.Channel));
                command.Parameters.Add(Text(_payload));
                return await ExecuteWriteAsync(command, ct).ConfigureAwait(false) is not null;
            },
            write: true,
            cancellationToken).ConfigureAwait(false);
        if (!added)
        {
            throw new RegistryConflictException(entry.Account, entry.Scope);
        }

        _signal.Fire();
        return record.WithEntry(entry);
    }

    /// <inheritdoc />
    /// <exception cref="PostgreSqlStoreException">The database could not be reached or refused the call.</exception>
    public async ValueTask<RegistryRecord> UpdateAsync(RegistryRecord record, long expectedVersion, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        var entry = Normalise(record.Entry);
        using var activity = Telemetry.Start("update", entry.Account);
        var version = await RunAsync(
            "update an entry",
            async ct =>
            {
                while (true)
                {
                    using (var command = Command(_sql.Update))
                    {
                        AddEntryParameters(command, entry, record.ProtectedSecret);
                        command.Parameters.Add(Int64(expectedVersion));
                        command.Parameters.Add(Text(_settings.Channel));
                        command.Parameters.Add(Text(_payload));
                        if (await ExecuteWriteAsync(command, ct).ConfigureAwait(false) is { } updated)
                        {
                            return updated;
                        }
                    }

                    var actual = await ReadVersionAsync(entry.Account, entry.Scope, ct).ConfigureAwait(false)
                        ?? throw new RegistryNotFoundException(entry.Account, entry.Scope);
                    if (actual != expectedVersion)
                    {
                        throw new RegistryConcurrencyException(entry.Account, entry.Scope, expectedVersion, actual);
                    }

                    // Deleted and added again at the expected version between the two statements: try again.
                }
            },
            write: true,
            cancellationToken).ConfigureAwait(false);
        _signal.Fire();
        return record.WithEntry(entry with { Version = version });
    }

    /// <inheritdoc />
    /// <exception cref="PostgreSqlStoreException">The database could not be reached or refused the call.</exception>
    public async ValueTask<bool> DeleteAsync(string account, RegistryScope scope, long? expectedVersion = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(scope);
        using var activity = Telemetry.Start("delete", account);
        var deleted = await RunAsync(
            "delete an entry",
            async ct =>
            {
                while (true)
                {
                    using (var command = Command(expectedVersion is null ? _sql.Delete : _sql.DeleteExpected))
                    {
                        command.Parameters.Add(Text(account));
                        command.Parameters.Add(Text(scope.Value));
                        if (expectedVersion is { } expected)
                        {
                            command.Parameters.Add(Int64(expected));
                        }

                        command.Parameters.Add(Text(_settings.Channel));
                        command.Parameters.Add(Text(_payload));
                        if (await ExecuteWriteAsync(command, ct).ConfigureAwait(false) is not null)
                        {
                            return true;
                        }
                    }

                    if (expectedVersion is not { } stale)
                    {
                        return false;
                    }

                    var actual = await ReadVersionAsync(account, scope, ct).ConfigureAwait(false);
                    if (actual is null)
                    {
                        return false;
                    }

                    if (actual != stale)
                    {
                        throw new RegistryConcurrencyException(account, scope, stale, actual.Value);
                    }
                }
            },
            write: true,
            cancellationToken).ConfigureAwait(false);
        if (deleted)
        {
            _signal.Fire();
        }

        return deleted;
    }

    /// <inheritdoc />
    /// <exception cref="PostgreSqlStoreException">The database could not be reached or refused the call.</exception>
    public async ValueTask<IReadOnlyList<string>> GetKeyIdsAsync(CancellationToken cancellationToken = default)
    {
        using var activity = Telemetry.Start("get_key_ids", null);
        return await RunAsync<IReadOnlyList<string>>(
            "read the secret key ids",
            async ct =>
            {
                using var command = Command(_sql.KeyIds);
                return await ReadKeyIdsAsync(command, ct).ConfigureAwait(false);
            },
            write: false,
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>One transaction locks the key table against other replacements (readers go on), compares and replaces.</remarks>
    /// <exception cref="PostgreSqlStoreException">The database could not be reached or refused the call.</exception>
    public async ValueTask<bool> ReplaceKeyIdsAsync(IReadOnlyCollection<string> expected, IReadOnlyCollection<string> keyIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(keyIds);
        if (keyIds.Count == 0)
        {
            throw new ArgumentException("A store's key ids are replaced by at least one.", nameof(keyIds));
        }

        string[] wanted = [.. keyIds.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        string[] before = [.. expected.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        using var activity = Telemetry.Start("replace_key_ids", null);
        return await RunAsync(
            "replace the secret key ids",
            async ct =>
            {
                var connection = await _dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
                await using (connection.ConfigureAwait(false))
                {
                    var transaction = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
                    await using (transaction.ConfigureAwait(false))
                    {
                        using (var lockCommand = new NpgsqlCommand(_sql.LockKeyIds, connection, transaction) { CommandTimeout = _settings.CommandTimeoutSeconds })
                        {
                            await lockCommand.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                        }

                        using (var read = new NpgsqlCommand(_sql.KeyIds, connection, transaction) { CommandTimeout = _settings.CommandTimeoutSeconds })
                        {
                            if (!(await ReadKeyIdsAsync(read, ct).ConfigureAwait(false)).SequenceEqual(before, StringComparer.Ordinal))
                            {
                                return false; // rolled back on dispose
                            }
                        }

                        using (var replace = new NpgsqlCommand(_sql.ReplaceKeyIds, connection, transaction) { CommandTimeout = _settings.CommandTimeoutSeconds })
                        {
                            replace.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = wanted, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
                            await replace.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                        }

                        await transaction.CommitAsync(ct).ConfigureAwait(false);
                        return true;
                    }
                }
            },
            write: false,
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>
    /// The first call on a store that no other call has started prepares it (schema, listening connection) before
    /// handing out the token, waiting at most five seconds, so that a change another node makes after this call is
    /// signalled. If the server cannot be reached by then, the token is handed out anyway and fires once the store
    /// starts listening.
    /// </remarks>
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

    /// <summary>
    /// Closes the change signal (tokens from <see cref="Watch"/> never fire afterwards, see <see cref="RegistryChangeSignal"/>),
    /// stops listening and, when the store created it from a connection string, disposes its data source.
    /// </summary>
    /// <returns>A task that completes when the listener has stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _signal.Dispose();
        await _listener.DisposeAsync().ConfigureAwait(false);
        if (_ownsDataSource)
        {
            await _dataSource.DisposeAsync().ConfigureAwait(false);
        }

        _startGate.Dispose();
    }

    /// <summary>
    /// Closes the change signal, stops listening without waiting and, when the store created it, disposes its data source.
    /// Prefer <see cref="DisposeAsync"/>.
    /// </summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _signal.Dispose();
        _listener.Stop();
        if (_ownsDataSource)
        {
            _dataSource.Dispose();
        }
    }

    private static RegistryEntry Normalise(RegistryEntry entry) => entry with
    {
        CreatedOn = ToStoredPrecision(entry.CreatedOn),
        UpdatedOn = ToStoredPrecision(entry.UpdatedOn),
    };

    /// <summary>UTC, truncated to the microsecond: what <c>timestamptz</c> keeps, so what a write returns equals what a read gives.</summary>
    private static DateTimeOffset ToStoredPrecision(DateTimeOffset value)
    {
        var ticks = value.UtcTicks;
        return new DateTimeOffset(ticks - (ticks % 10), TimeSpan.Zero);
    }

    private static NpgsqlParameter<string> Text(string value) => new() { TypedValue = value, NpgsqlDbType = NpgsqlDbType.Text };

    private static NpgsqlParameter NullableText(string? value) => new() { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text };

    private static NpgsqlParameter<long> Int64(long value) => new() { TypedValue = value, NpgsqlDbType = NpgsqlDbType.Bigint };

    private static NpgsqlParameter<bool> Boolean(bool value) => new() { TypedValue = value, NpgsqlDbType = NpgsqlDbType.Boolean };

    private static NpgsqlParameter<DateTimeOffset> Timestamp(DateTimeOffset value) => new() { TypedValue = value, NpgsqlDbType = NpgsqlDbType.TimestampTz };

    /// <summary>Parameters $1 to $13: the entry's fields and the protected secret.</summary>
    private static void AddEntryParameters(NpgsqlCommand command, RegistryEntry entry, ReadOnlyMemory<byte> protectedSecret)
    {
        var parameters = command.Parameters;
        parameters.Add(Text(entry.Account));
        parameters.Add(Text(entry.Scope.Value));
        parameters.Add(Text(entry.Name));
        parameters.Add(Text(entry.Type.Value));
        parameters.Add(Text(entry.Username));
        parameters.Add(NullableText(entry.Email));
        parameters.Add(Boolean(entry.VerifyTls));
        parameters.Add(Boolean(entry.InsecureHttp));
        parameters.Add(NullableText(entry.CaCertificates));
        parameters.Add(Boolean(entry.IsActive));
        parameters.Add(Timestamp(entry.CreatedOn));
        parameters.Add(Timestamp(entry.UpdatedOn));
        parameters.Add(new NpgsqlParameter<ReadOnlyMemory<byte>> { TypedValue = protectedSecret, NpgsqlDbType = NpgsqlDbType.Bytea });
    }

    /// <summary>Runs a write statement that returns the new version when it changed a row, and nothing otherwise.</summary>
    private static async Task<long?> ExecuteWriteAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? reader.GetInt64(0) : null;
        }
    }

    private static async Task<List<string>> ReadKeyIdsAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var ids = new List<string>();
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                ids.Add(reader.GetString(0));
            }
        }

        ids.Sort(StringComparer.Ordinal);
        return ids;
    }

    private RegistryRecord ReadRecord(NpgsqlDataReader reader)
    {
        var account = reader.GetString(0);
        var scope = reader.GetString(1);
        try
        {
            var entry = new RegistryEntry
            {
                Account = account,
                Scope = RegistryScope.Parse(scope),
                Name = reader.GetString(2),
                Type = RegistryType.Parse(reader.GetString(3)),
                Username = reader.GetString(4),
                Email = reader.IsDBNull(5) ? null : reader.GetString(5),
                VerifyTls = reader.GetBoolean(6),
                InsecureHttp = reader.GetBoolean(7),
                CaCertificates = reader.IsDBNull(8) ? null : reader.GetString(8),
                IsActive = reader.GetBoolean(9),
                CreatedOn = reader.GetFieldValue<DateTimeOffset>(10),
                UpdatedOn = reader.GetFieldValue<DateTimeOffset>(11),
                Version = reader.GetInt64(12),
            };
            return new RegistryRecord(entry, reader.GetFieldValue<byte[]>(13));
        }
        catch (Exception exception) when (exception is FormatException or ArgumentException)
        {
            throw new PostgreSqlStoreException(
                $"The stored entry '{scope}' in account '{account}' (schema '{_settings.Schema}') cannot be read: {exception.Message}",
                isTransient: false,
                sqlState: null,
                exception);
        }
    }

    private NpgsqlCommand Command(string sql)
    {
        var command = _dataSource.CreateCommand(sql);
        command.CommandTimeout = _settings.CommandTimeoutSeconds;
        return command;
    }

    private async Task<long?> ReadVersionAsync(string account, RegistryScope scope, CancellationToken cancellationToken)
    {
        using var command = Command(_sql.Version);
        command.Parameters.Add(Text(account));
        command.Parameters.Add(Text(scope.Value));
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long version ? version : null;
    }

    /// <summary>
    /// Prepares the store once (schema migrated, listener connected), then runs <paramref name="operation"/>, turning
    /// database errors into <see cref="PostgreSqlStoreException"/>. Cancellation is passed through as it is.
    /// </summary>
    private async Task<T> RunAsync<T>(string description, Func<CancellationToken, Task<T>> operation, bool write, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            await EnsureStartedAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (StoreErrors.IsDatabaseError(exception))
        {
            throw Translate(exception, "prepare its schema and change listener", cancellationToken);
        }

        try
        {
            return await operation(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (StoreErrors.IsDatabaseError(exception))
        {
            if (write && (StoreErrors.IsConnectionLoss(exception) || cancellationToken.IsCancellationRequested))
            {
                // The write may have committed without our hearing of it; our listener skips our own notifications.
                _signal.Fire();
            }

            throw Translate(exception, description, cancellationToken);
        }
    }

    /// <summary>The exception to throw for a database error: cancellation when the caller cancelled (Npgsql may report a cancelled command as a broken connection), a <see cref="PostgreSqlStoreException"/> otherwise.</summary>
    private Exception Translate(Exception exception, string description, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return new OperationCanceledException($"The PostgreSQL registry store call to {description} was cancelled.", exception, cancellationToken);
        }

        if (StoreErrors.IsConnectionLoss(exception))
        {
            // Idle pooled connections are most likely dead as well (server restarted): open fresh ones next time.
            _dataSource.Clear();
        }

        return StoreErrors.Translate(exception, description, _settings.Schema);
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
            await _listener.StartAsync(cancellationToken).ConfigureAwait(false);
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
