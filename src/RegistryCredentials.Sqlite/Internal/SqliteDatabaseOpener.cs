using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace RegistryCredentials.Sqlite.Internal;

/// <summary>
/// Opens a registry database: refuses anything that is not one (without writing to it), creates a missing or empty
/// file, puts it in WAL mode, has <see cref="SchemaMigrator"/> bring its schema forward, and returns the connection the
/// store writes through.
/// </summary>
internal static class SqliteDatabaseOpener
{
    /// <summary>Opens the database.</summary>
    /// <param name="settings">The store's settings, with the full path of the file.</param>
    /// <param name="time">The clock, for the migration rows.</param>
    /// <param name="logger">The logger.</param>
    /// <param name="revision">The database revision after opening.</param>
    /// <returns>The writer connection.</returns>
    /// <exception cref="SqliteStoreException">The file is not a registry database this version can use.</exception>
    /// <exception cref="SqliteException">A lock could not be had (busy); the caller retries.</exception>
    public static StoreConnection Open(StoreSettings settings, TimeProvider time, ILogger logger, out long revision)
    {
        var (connection, opened) = Refusing(settings.Path, logger, () => (OpenCore(settings.Path, settings, time, logger, out var r), r));
        revision = opened;
        return connection;
    }

    /// <summary>
    /// Opens the database read-only (<see cref="SqliteRegistryStoreOptions.ReadOnly"/>): one read-only connection, the file
    /// classified and (when asked) checked on it, nothing created, migrated or switched to WAL.
    /// </summary>
    /// <param name="settings">The store's settings, with the full path of the file.</param>
    /// <param name="logger">The logger.</param>
    /// <param name="revision">The database revision when opened.</param>
    /// <returns>The read-only connection, the store's first reader.</returns>
    /// <exception cref="SqliteStoreException">
    /// The file is not a registry database this version can use, or it would have to be created or migrated first
    /// (<see cref="SqliteStoreErrorKind.ReadOnly"/>).
    /// </exception>
    /// <exception cref="SqliteException">A lock could not be had (busy); the caller retries.</exception>
    public static StoreConnection OpenReadOnly(StoreSettings settings, ILogger logger, out long revision)
    {
        var (connection, opened) = Refusing(settings.Path, logger, () => (OpenReadOnlyCore(settings, logger, out var r), r));
        revision = opened;
        return connection;
    }

    private static StoreConnection OpenReadOnlyCore(StoreSettings settings, ILogger logger, out long revision)
    {
        var path = settings.Path;
        if (SqliteFileProbe.Inspect(path) != SqliteFileState.Database)
        {
            throw new SqliteStoreException(
                path,
                SqliteStoreErrorKind.ReadOnly,
                $"The registry database '{path}' does not exist or is empty, and a read-only store does not create it. "
                + "Open it once with a store that is not read-only, or point this one at an existing registry database.");
        }

        var reader = StoreConnection.Open(path, SqliteOpenMode.ReadOnly, settings.BusyTimeout);
        try
        {
            var version = SchemaMigrator.Classify(reader, path);
            if (version != Schema.LatestVersion)
            {
                throw new SqliteStoreException(
                    path,
                    SqliteStoreErrorKind.ReadOnly,
                    $"The registry database '{path}' has schema version {version}; this version uses {Schema.LatestVersion}, and a "
                    + "read-only store does not migrate it. Open it once with a store that is not read-only: that migrates it.");
            }

            if (settings.CheckIntegrityOnOpen)
            {
                CheckIntegrity(reader, path);
            }

            revision = Convert.ToInt64(reader.Scalar(Statements.Revision), CultureInfo.InvariantCulture);
            Log.OpenedReadOnly(logger, path, version);
            return reader;
        }
        catch
        {
            reader.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Runs an open and turns its refusals into the store's: a <see cref="SqliteStoreException"/> logged (as a refusal, or
    /// for <see cref="SqliteStoreErrorKind.ReadOnly"/> as a file a writable store must open first), SQLite's own errors
    /// translated; a busy file is left to the caller's retries.
    /// </summary>
    private static T Refusing<T>(string path, ILogger logger, Func<T> open)
    {
        try
        {
            return open();
        }
        catch (SqliteStoreException e) when (e.Kind == SqliteStoreErrorKind.ReadOnly)
        {
            // Not a fault of the file: a store that may write opens it.
            Log.NotOpenedReadOnly(logger, path, e.Message);
            throw;
        }
        catch (SqliteStoreException e)
        {
            Log.Refused(logger, path, e.Message);
            throw;
        }
        catch (SqliteException e) when (!SqliteErrors.IsBusy(e))
        {
            var error = SqliteErrors.Translate(e, path, 0);
            Log.Refused(logger, path, error.Message);
            throw error;
        }
    }

    private static StoreConnection OpenCore(string path, StoreSettings settings, TimeProvider time, ILogger logger, out long revision)
    {
        var state = SqliteFileProbe.Inspect(path);
        if (state == SqliteFileState.Database)
        {
            // Look before touching: a read-only connection cannot change the file, whatever it turns out to be.
            using var look = StoreConnection.Open(path, SqliteOpenMode.ReadOnly, settings.BusyTimeout);
            SchemaMigrator.Classify(look, path);
            if (settings.CheckIntegrityOnOpen)
            {
                CheckIntegrity(look, path);
            }
        }
        else if (state == SqliteFileState.Missing)
        {
            var folder = System.IO.Path.GetDirectoryName(path);
            if (!string.IsNullOrEmpty(folder))
            {
                Directory.CreateDirectory(folder);
            }
        }

        var mode = state == SqliteFileState.Database ? SqliteOpenMode.ReadWrite : SqliteOpenMode.ReadWriteCreate;
        var writer = StoreConnection.Open(path, mode, settings.BusyTimeout);
        try
        {
            var journalMode = Convert.ToString(writer.Scalar("PRAGMA journal_mode = WAL"), CultureInfo.InvariantCulture) ?? "unknown";
            if (!string.Equals(journalMode, "wal", StringComparison.OrdinalIgnoreCase))
            {
                Log.NotWal(logger, path, journalMode);
            }

            var version = SchemaMigrator.Migrate(writer, path, time, logger);
            revision = Convert.ToInt64(writer.Scalar(Statements.Revision), CultureInfo.InvariantCulture);
            Log.Opened(logger, path, version, journalMode);
            return writer;
        }
        catch
        {
            writer.TryRollback();
            writer.Dispose();
            throw;
        }
    }

    private static void CheckIntegrity(StoreConnection connection, string path)
    {
        var problems = new List<string>();
        using var command = connection.Connection.CreateCommand();
        command.CommandText = "PRAGMA quick_check(5)";
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            problems.Add(reader.GetString(0));
        }

        if (problems is not ["ok"])
        {
            throw SqliteFileProbe.Corrupt(path, "SQLite's integrity check found: " + string.Join("; ", problems));
        }
    }
}
