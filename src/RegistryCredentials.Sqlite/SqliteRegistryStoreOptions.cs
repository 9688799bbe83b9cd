namespace RegistryCredentials.Sqlite;

/// <summary>Settings of a <see cref="SqliteRegistryStore"/>.</summary>
public sealed class SqliteRegistryStoreOptions
{
    /// <summary>
    /// The database file. A relative path is resolved against the working folder when the store is created. A missing
    /// or empty file is created with the schema; any other file must be a registry database, or the store refuses it
    /// with a <see cref="SqliteStoreException"/> and leaves it untouched. Default <c>registries.db</c>.
    /// </summary>
    public string Path { get; set; } = "registries.db";

    /// <summary>
    /// How long one statement waits for a lock held by another connection or process before it is retried
    /// (SQLite's <c>busy_timeout</c>). Default 5 seconds.
    /// </summary>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How often the store checks whether another process changed the file, to fire the token from
    /// <see cref="SqliteRegistryStore.Watch"/>. Changes made through the store itself fire it at once. Each check reads
    /// SQLite's <c>PRAGMA data_version</c> (an integer in memory, no file read) and, only when it moved, the one-row revision
    /// counter, so a short interval is cheap. Default 50 milliseconds.
    /// </summary>
    public TimeSpan ChangePollInterval { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// Whether the store looks for changes made by other processes (every <see cref="ChangePollInterval"/>, on a connection
    /// of its own, from the first <see cref="SqliteRegistryStore.Watch"/>). False for a process that reads the store once
    /// and exits, such as a credential helper answering one lookup: no polling task and no extra connection are started,
    /// and tokens from <see cref="SqliteRegistryStore.Watch"/> fire only for changes made through this store. Default true.
    /// </summary>
    public bool WatchOtherProcesses { get; set; } = true;

    /// <summary>
    /// How many times an operation that still found the file locked after <see cref="BusyTimeout"/> is retried, with
    /// growing delays, before it fails with a <see cref="SqliteStoreException"/> of kind
    /// <see cref="SqliteStoreErrorKind.Locked"/>. Default 5.
    /// </summary>
    public int MaxRetries { get; set; } = 5;

    /// <summary>
    /// Whether the file is checked with SQLite's <c>quick_check</c> when it is opened, so that a damaged file is
    /// refused before it is used. Costs about a full read of the file once per store. Default true.
    /// </summary>
    public bool CheckIntegrityOnOpen { get; set; } = true;

    /// <summary>
    /// Whether the store only reads. It then opens one read-only connection (SQLite's <c>SQLITE_OPEN_READONLY</c>) and
    /// nothing else: no file is created, no schema is migrated, the journal mode is left as it is, and no byte of the file
    /// can be changed through it. For a process that answers one lookup and exits (a credential helper): opening costs one
    /// connection instead of three. Every change (add, update, delete, a key id or a policy change) fails with a
    /// <see cref="SqliteStoreException"/> of kind <see cref="SqliteStoreErrorKind.ReadOnly"/>, as does opening a file that
    /// is missing, empty or of an older schema (a store without this setting creates or migrates it). Default false.
    /// </summary>
    public bool ReadOnly { get; set; }
}
