using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Primitives;
using RegistryCredentials.PostgreSql.Internal;
using RegistryCredentials.Shared;

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
/// It has a change feed (<see cref="IRegistryChangeFeed"/>): every change of an entry raises a one-row revision counter and
/// logs its revision in a change table in the same statement; the counter's row lock makes changes commit in revision
/// order (writers of entries take turns at commit). The notification payload ends with the revision. Changes older than
/// <see cref="PostgreSqlRegistryStoreOptions.ChangeRetention"/> are trimmed; a reader further behind gets a gap.
/// </para>
/// <para>
/// Database failures surface as <see cref="PostgreSqlStoreException"/>; when the connection was lost or the server is
/// restarting, <see cref="PostgreSqlStoreException.IsTransient"/> is true and later calls succeed once the server is
/// back (idle pooled connections are dropped, new ones are opened).
/// </para>
/// </remarks>
public sealed partial class PostgreSqlRegistryStore : IRegistryStore, IRegistryChangeFeed, IAsyncDisposable, IDisposable
{
    private readonly StoreLifecycle _lifecycle;
    private readonly DataOperations _data;
    private readonly StoreSettings _settings;

    /// <summary>Creates a store. Nothing is sent to the server until the first call.</summary>
    /// <param name="options">The connection string or data source, schema, channel and timeout.</param>
    /// <param name="logger">Logs migrations and listener reconnects; optional.</param>
    /// <exception cref="ArgumentException">
    /// The options name neither or both of a connection string and a data source, or an unusable schema, channel or
    /// timeout.
    /// </exception>
    public PostgreSqlRegistryStore(PostgreSqlRegistryStoreOptions options, ILogger<PostgreSqlRegistryStore>? logger = null)
    {
        var settings = StoreSettings.From(options);
        _settings = settings;
        _lifecycle = new StoreLifecycle(options, settings, (ILogger?)logger ?? NullLogger.Instance);
        _data = new DataOperations(_lifecycle.DataSource, settings, _lifecycle.NotifyPayload);
    }

    /// <summary>How many times the listening connection was established: 1 once started, one more per reconnect.</summary>
    internal int ListenerConnections => _lifecycle.ListenerConnections;

    /// <inheritdoc />
    /// <exception cref="PostgreSqlStoreException">The database could not be reached or refused the call.</exception>
    public async ValueTask<RegistryRecord?> GetAsync(string account, RegistryScope scope, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(scope);
        using var activity = Telemetry.Start("get", account);
        return await _lifecycle.RunAsync("read an entry", ct => _data.GetAsync(account, scope, ct), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <exception cref="PostgreSqlStoreException">The database could not be reached or refused the call.</exception>
    public async ValueTask<IReadOnlyList<RegistryRecord>> ListAsync(string? account, CancellationToken cancellationToken = default)
    {
        using var activity = Telemetry.Start("list", account);
        var records = await _lifecycle.RunAsync("list entries", ct => _data.ListAsync(account, ct), cancellationToken).ConfigureAwait(false);
        activity?.SetTag("registrycredentials.entries", records.Count);
        return records;
    }

    /// <inheritdoc />
    /// <exception cref="PostgreSqlStoreException">The database could not be reached or refused the call.</exception>
    public async ValueTask<RegistryRecord> AddAsync(RegistryRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        using var activity = Telemetry.Start("add", record.Entry.Account);
        return await _lifecycle.RunChangeAsync("add an entry", ct => _data.AddAsync(record, ct), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <exception cref="PostgreSqlStoreException">The database could not be reached or refused the call.</exception>
    public async ValueTask<RegistryRecord> UpdateAsync(RegistryRecord record, long expectedVersion, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        using var activity = Telemetry.Start("update", record.Entry.Account);
        return await _lifecycle.RunChangeAsync(
            "update an entry",
            ct => _data.UpdateAsync(record, expectedVersion, ct),
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <exception cref="PostgreSqlStoreException">The database could not be reached or refused the call.</exception>
    public async ValueTask<bool> DeleteAsync(string account, RegistryScope scope, long? expectedVersion = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(scope);
        using var activity = Telemetry.Start("delete", account);
        return await _lifecycle.RunChangeAsync(
            "delete an entry",
            ct => _data.DeleteAsync(account, scope, expectedVersion, ct),
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <exception cref="PostgreSqlStoreException">The database could not be reached or refused the call.</exception>
    public async ValueTask<IReadOnlyList<string>> GetKeyIdsAsync(CancellationToken cancellationToken = default)
    {
        using var activity = Telemetry.Start("get_key_ids", null);
        return await _lifecycle.RunAsync("read the secret key ids", _data.GetKeyIdsAsync, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>One transaction locks the key table against other replacements (readers go on), compares and replaces.</remarks>
    /// <exception cref="PostgreSqlStoreException">The database could not be reached or refused the call.</exception>
    public async ValueTask<bool> ReplaceKeyIdsAsync(
        IReadOnlyCollection<string> expected,
        IReadOnlyCollection<string> keyIds,
        CancellationToken cancellationToken = default)
    {
        var (before, wanted) = KeyIdArguments.Canonical(expected, keyIds);
        using var activity = Telemetry.Start("replace_key_ids", null);
        return await _lifecycle.RunAsync(
            "replace the secret key ids",
            ct => _data.ReplaceKeyIdsAsync(before, wanted, ct),
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <exception cref="PostgreSqlStoreException">The database could not be reached or refused the call.</exception>
    public async ValueTask<long> GetRevisionAsync(CancellationToken cancellationToken = default) =>
        await _lifecycle.RunAsync("read the revision", _data.GetRevisionAsync, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    /// <exception cref="PostgreSqlStoreException">The database could not be reached or refused the call.</exception>
    public async ValueTask<RegistryChangeSet> GetChangesAsync(long afterRevision, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(afterRevision);
        using var activity = Telemetry.Start("get_changes", null);
        return await _lifecycle.RunAsync("read the change feed", ct => _data.GetChangesAsync(afterRevision, ct), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>
    /// The first call on a store that no other call has started prepares it (schema, listening connection) before
    /// handing out the token, waiting at most five seconds, so that a change another node makes after this call is
    /// signalled. If the server cannot be reached by then, the token is handed out anyway and fires once the store
    /// starts listening.
    /// </remarks>
    public IChangeToken Watch() => _lifecycle.Watch();

    /// <summary>
    /// Closes the change signal (tokens from <see cref="Watch"/> never fire afterwards, see <see cref="RegistryChangeSignal"/>),
    /// stops listening and, when the store created it from a connection string, disposes its data source.
    /// </summary>
    /// <returns>A task that completes when the listener has stopped.</returns>
    public ValueTask DisposeAsync() => _lifecycle.DisposeAsync();

    /// <summary>
    /// Closes the change signal, stops listening without waiting and, when the store created it, disposes its data source.
    /// Prefer <see cref="DisposeAsync"/>.
    /// </summary>
    public void Dispose() => _lifecycle.Dispose();
}
