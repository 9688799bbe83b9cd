using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Primitives;
using RegistryCredentials.Shared;
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
/// own errors. Protected secrets are stored as the bytes they are; this store never sees a secret in clear. A store with
/// <see cref="SqliteRegistryStoreOptions.ReadOnly"/> creates and migrates nothing and refuses every write (kind
/// <see cref="SqliteStoreErrorKind.ReadOnly"/>).
/// <para>
/// It has a change feed (<see cref="IRegistryChangeFeed"/>): every change of an entry or a policy is numbered by the
/// database's revision counter and logged in the same statement; the newest 10,000 changes are kept (a reader further
/// behind gets a gap and reads every entry again).
/// </para>
/// </remarks>
public sealed partial class SqliteRegistryStore : IRegistryStore, IRegistryChangeFeed, IDisposable, IAsyncDisposable
{
    private readonly StoreLifecycle _lifecycle;
    private readonly TimeProvider _time;

    /// <summary>Creates a store on a file; nothing is opened until first use or <see cref="InitializeAsync"/>.</summary>
    /// <param name="options">The file and its settings; copied, so later changes have no effect.</param>
    /// <param name="timeProvider">The clock for retry delays, change polling and migration records; the system clock when null.</param>
    /// <param name="logger">The logger; none when null.</param>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public SqliteRegistryStore(SqliteRegistryStoreOptions options, TimeProvider? timeProvider = null, ILogger<SqliteRegistryStore>? logger = null)
    {
        var settings = StoreSettings.From(options);
        DatabasePath = settings.Path;
        _time = timeProvider ?? TimeProvider.System;
        _lifecycle = new StoreLifecycle(settings, _time, (ILogger?)logger ?? NullLogger.Instance);
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
    public ValueTask InitializeAsync(CancellationToken cancellationToken = default) => _lifecycle.InitializeAsync(cancellationToken);

    /// <inheritdoc />
    public ValueTask<RegistryRecord?> GetAsync(string account, RegistryScope scope, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(scope);
        return _lifecycle.ReadAsync("SqliteRegistryStore.Get", (account, scope), DataOperations.Get, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<RegistryRecord>> ListAsync(string? account, CancellationToken cancellationToken = default) =>
        _lifecycle.ReadAsync("SqliteRegistryStore.List", account, DataOperations.List, cancellationToken);

    /// <inheritdoc />
    public ValueTask<RegistryRecord> AddAsync(RegistryRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        return _lifecycle.WriteAsync("SqliteRegistryStore.Add", record, DataOperations.Add, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<RegistryRecord> UpdateAsync(RegistryRecord record, long expectedVersion, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        return _lifecycle.WriteAsync("SqliteRegistryStore.Update", (record, expectedVersion), DataOperations.Update, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<bool> DeleteAsync(string account, RegistryScope scope, long? expectedVersion = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(scope);
        return _lifecycle.WriteAsync("SqliteRegistryStore.Delete", (account, scope, expectedVersion), DataOperations.Delete, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<string>> GetKeyIdsAsync(CancellationToken cancellationToken = default) =>
        _lifecycle.ReadAsync("SqliteRegistryStore.GetKeyIds", 0, static (connection, _) => DataOperations.GetKeyIds(connection), cancellationToken);

    /// <inheritdoc />
    /// <remarks>One write transaction (<c>BEGIN IMMEDIATE</c>) reads and replaces the ids, so writers in any process take turns.</remarks>
    public ValueTask<bool> ReplaceKeyIdsAsync(
        IReadOnlyCollection<string> expected,
        IReadOnlyCollection<string> keyIds,
        CancellationToken cancellationToken = default)
    {
        var (before, wanted) = KeyIdArguments.Canonical(expected, keyIds);
        return _lifecycle.WriteAsync("SqliteRegistryStore.ReplaceKeyIds", (before, wanted, _time), DataOperations.ReplaceKeyIds, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<long> GetRevisionAsync(CancellationToken cancellationToken = default) =>
        _lifecycle.ReadAsync("SqliteRegistryStore.GetRevision", 0, DataOperations.GetRevision, cancellationToken);

    /// <inheritdoc />
    public ValueTask<RegistryChangeSet> GetChangesAsync(long afterRevision, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(afterRevision);
        return _lifecycle.ReadAsync("SqliteRegistryStore.GetChanges", afterRevision, DataOperations.GetChanges, cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>
    /// Changes made through this store fire the token at once; changes made by other stores or processes on the same
    /// file fire it within <see cref="SqliteRegistryStoreOptions.ChangePollInterval"/>, found by polling SQLite's
    /// <c>data_version</c> and a one-row revision counter (never by reading the entries). The first call opens the file
    /// if no operation has yet, so that the token stands for the file as it is now.
    /// </remarks>
    public IChangeToken Watch() => _lifecycle.Watch();

    /// <summary>
    /// Stops change polling, closes the file and closes the change signal: tokens from <see cref="Watch"/> never fire
    /// afterwards (see <see cref="RegistryChangeSignal"/>).
    /// </summary>
    public void Dispose() => _lifecycle.Dispose();

    /// <summary>Stops change polling, closes the file and closes the change signal, as <see cref="Dispose"/> does.</summary>
    /// <returns>A task that completes when the file is closed.</returns>
    public ValueTask DisposeAsync() => _lifecycle.DisposeAsync();
}
