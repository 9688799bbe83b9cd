using Microsoft.Data.Sqlite;

namespace RegistryCredentials.Sqlite.Internal;

/// <summary>Classifies SQLite result codes and turns what is left of them into <see cref="SqliteStoreException"/>.</summary>
internal static class SqliteErrors
{
    private const int Busy = 5;
    private const int Locked = 6;
    private const int ReadOnly = 8;
    private const int IoError = 10;
    private const int Corrupt = 11;
    private const int Full = 13;
    private const int CantOpen = 14;
    private const int NotADatabase = 26;

    /// <summary>SQLITE_BUSY or SQLITE_LOCKED, extended codes included: another connection holds a lock; try again.</summary>
    public static bool IsBusy(SqliteException e) => (e.SqliteErrorCode & 0xFF) is Busy or Locked;

    /// <summary>SQLITE_CORRUPT or SQLITE_NOTADB.</summary>
    public static bool IsCorrupt(SqliteException e) => (e.SqliteErrorCode & 0xFF) is Corrupt or NotADatabase;

    /// <summary>Wraps a SQLite error in the package's typed error, naming the file.</summary>
    /// <param name="e">The SQLite error.</param>
    /// <param name="path">The database file.</param>
    /// <param name="retries">How many times the operation was retried (for a busy error).</param>
    /// <returns>The typed error.</returns>
    public static SqliteStoreException Translate(SqliteException e, string path, int retries) => (e.SqliteErrorCode & 0xFF) switch
    {
        Busy or Locked => new SqliteStoreException(
            path,
            SqliteStoreErrorKind.Locked,
            $"The registry database '{path}' stayed locked by another connection or process "
            + $"through {retries} retries; try again later, or raise BusyTimeout or MaxRetries.",
            e),
        Corrupt => SqliteFileProbe.Corrupt(path, e.Message, e),
        NotADatabase => new SqliteStoreException(
            path,
            SqliteStoreErrorKind.NotADatabase,
            $"The file '{path}' is not a SQLite database, so it cannot be a registry database. "
            + $"It was left as it is; point the store at another path or move the file away.",
            e),
        ReadOnly or IoError or Full or CantOpen => new SqliteStoreException(
            path,
            SqliteStoreErrorKind.Unavailable,
            $"The registry database '{path}' cannot be used: {e.Message}",
            e),
        _ => new SqliteStoreException(path, SqliteStoreErrorKind.Unavailable, $"The registry database '{path}' failed: {e.Message}", e),
    };
}
