namespace RegistryCredentials.Sqlite;

/// <summary>
/// The SQLite registry database could not be used: it is not a database, damaged, truncated, someone else's, written by
/// a newer version, or stayed locked. The message names the file; the file is never changed by the failed call.
/// </summary>
public sealed class SqliteStoreException : RegistryCredentialsException
{
    /// <summary>Creates the exception with a default message.</summary>
    public SqliteStoreException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What happened.</param>
    public SqliteStoreException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">What happened.</param>
    /// <param name="innerException">The cause.</param>
    public SqliteStoreException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a database file.</summary>
    /// <param name="databasePath">The full path of the database file.</param>
    /// <param name="kind">Why the file could not be used.</param>
    /// <param name="message">What happened; it should name the file.</param>
    /// <param name="innerException">The cause, or null.</param>
    public SqliteStoreException(string databasePath, SqliteStoreErrorKind kind, string message, Exception? innerException = null)
        : base(message, innerException!)
    {
        DatabasePath = databasePath;
        Kind = kind;
    }

    /// <summary>The full path of the database file, if known.</summary>
    public string? DatabasePath { get; }

    /// <summary>Why the file could not be used.</summary>
    public SqliteStoreErrorKind Kind { get; }

    /// <summary>
    /// <see cref="RegistryErrorReason.StoreIncompatible"/> for a file that is not a registry database, is damaged, is
    /// another application's or was written by a newer version; <see cref="RegistryErrorReason.StoreUnavailable"/> when the
    /// file stayed locked or could not be opened, read or written.
    /// </summary>
    public override RegistryErrorReason Reason => Kind switch
    {
        SqliteStoreErrorKind.NotADatabase or SqliteStoreErrorKind.Corrupt or SqliteStoreErrorKind.Foreign or SqliteStoreErrorKind.NewerSchema
            => RegistryErrorReason.StoreIncompatible,
        _ => RegistryErrorReason.StoreUnavailable,
    };

    /// <summary>True only for <see cref="SqliteStoreErrorKind.Locked"/>: the lock may be gone when the call is retried.</summary>
    public override bool IsTransient => Kind == SqliteStoreErrorKind.Locked;
}
