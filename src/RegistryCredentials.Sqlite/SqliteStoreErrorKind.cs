namespace RegistryCredentials.Sqlite;

/// <summary>Why a <see cref="SqliteStoreException"/> was thrown.</summary>
public enum SqliteStoreErrorKind
{
    /// <summary>Another SQLite error, such as a full disk, a read-only file or a file that cannot be opened.</summary>
    Unavailable = 0,

    /// <summary>The file is not a SQLite database at all (for example a text file).</summary>
    NotADatabase,

    /// <summary>The file is a damaged or truncated SQLite database.</summary>
    Corrupt,

    /// <summary>The file is a SQLite database, but not a registry database (it has other tables).</summary>
    Foreign,

    /// <summary>The file was written by a newer version of the package, with a schema this version does not know.</summary>
    NewerSchema,

    /// <summary>The file stayed locked by another connection or process for longer than the configured timeout and retries.</summary>
    Locked,

    /// <summary>
    /// The store is read-only (<see cref="SqliteRegistryStoreOptions.ReadOnly"/>) and the operation would write: a change,
    /// or opening a file that must first be created or migrated to this version's schema. Nothing was written.
    /// </summary>
    ReadOnly,
}
