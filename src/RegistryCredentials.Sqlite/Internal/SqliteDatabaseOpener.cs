using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace RegistryCredentials.Sqlite.Internal;

/// <summary>
/// Opens a registry database: refuses anything that is not one (without writing to it), creates a missing or empty
/// file, applies forward migrations, and returns the connection the store writes through.
/// </summary>
internal static class SqliteDatabaseOpener
{
    /// <summary>Opens the database.</summary>
    /// <param name="path">The full path.</param>
    /// <param name="options">The store's settings.</param>
    /// <param name="time">The clock, for the migration rows.</param>
    /// <param name="logger">The logger.</param>
    /// <param name="revision">The database revision after opening.</param>
    /// <returns>The writer connection.</returns>
    /// <exception cref="SqliteStoreException">The file is not a registry database this version can use.</exception>
    /// <exception cref="SqliteException">A lock could not be had (busy); the caller retries.</exception>
    public static StoreConnection Open(string path, SqliteRegistryStoreOptions options, TimeProvider time, ILogger logger, out long revision)
    {
        try
        {
            return OpenCore(path, options, time, logger, out revision);
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

    private static StoreConnection OpenCore(string path, SqliteRegistryStoreOptions options, TimeProvider time, ILogger logger, out long revision)
    {
        var state = SqliteFileProbe.Inspect(path);
        if (state == SqliteFileState.Database)
        {
            // Look before touching: a read-only connection cannot change the file, whatever it turns out to be.
            using var look = StoreConnection.Open(path, SqliteOpenMode.ReadOnly, options.BusyTimeout);
            Classify(look, path);
            if (options.CheckIntegrityOnOpen)
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
        var writer = StoreConnection.Open(path, mode, options.BusyTimeout);
        try
        {
            var journalMode = Convert.ToString(writer.Scalar("PRAGMA journal_mode = WAL"), CultureInfo.InvariantCulture) ?? "unknown";
            if (!string.Equals(journalMode, "wal", StringComparison.OrdinalIgnoreCase))
            {
                Log.NotWal(logger, path, journalMode);
            }

            var version = Migrate(writer, path, time, logger);
            revision = Convert.ToInt64(writer.Scalar(SqliteSchema.SelectRevision), CultureInfo.InvariantCulture);
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

    /// <summary>Brings the schema to <see cref="SqliteSchema.CurrentVersion"/> in one write transaction, checking the file again under the lock.</summary>
    private static int Migrate(StoreConnection writer, string path, TimeProvider time, ILogger logger)
    {
        writer.Execute("BEGIN IMMEDIATE");
        var from = Classify(writer, path);
        if (from == SqliteSchema.CurrentVersion)
        {
            writer.Execute("COMMIT");
            return from;
        }

        if (from == 0)
        {
            writer.Execute($"PRAGMA application_id = {SqliteSchema.ApplicationId}");
        }

        foreach (var migration in SqliteSchema.Migrations)
        {
            if (migration.Version <= from)
            {
                continue;
            }

            writer.Execute(migration.Sql);
            using var record = writer.Connection.CreateCommand();
            record.CommandText = $"INSERT INTO {SqliteSchema.VersionTable} (version, description, applied_on) VALUES ($version, $description, $applied_on)";
            record.With("$version", migration.Version)
                .With("$description", migration.Description)
                .With("$applied_on", EntryRows.FormatTime(time.GetUtcNow()))
                .ExecuteNonQuery();
        }

        writer.Execute("COMMIT");
        if (from == 0)
        {
            Log.Created(logger, path, SqliteSchema.CurrentVersion);
        }
        else
        {
            Log.Migrated(logger, path, from, SqliteSchema.CurrentVersion);
        }

        return from;
    }

    /// <summary>Says which schema version the database has: 0 for an empty database.</summary>
    /// <exception cref="SqliteStoreException">Another application's database, a damaged registry database, or a newer schema.</exception>
    private static int Classify(StoreConnection connection, string path)
    {
        var applicationId = Convert.ToInt64(connection.Scalar("PRAGMA application_id"), CultureInfo.InvariantCulture);
        var tables = new List<string>();
        using (var command = connection.Connection.CreateCommand())
        {
            command.CommandText = "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                tables.Add(reader.GetString(0));
            }
        }

        if (tables.Count == 0 && applicationId is 0 or SqliteSchema.ApplicationId)
        {
            return 0;
        }

        if (applicationId != SqliteSchema.ApplicationId)
        {
            var shown = tables.Count == 0 ? "no tables" : "tables " + string.Join(", ", tables.Take(5)) + (tables.Count > 5 ? ", …" : string.Empty);
            throw new SqliteStoreException(
                path,
                SqliteStoreErrorKind.Foreign,
                $"The file '{path}' is a SQLite database of another application (application id {applicationId}, {shown}), not a registry database. It was left as it is; point the store at another path.");
        }

        if (!tables.Contains(SqliteSchema.VersionTable, StringComparer.Ordinal))
        {
            throw SqliteFileProbe.Corrupt(path, $"it is marked as a registry database but has no {SqliteSchema.VersionTable} table");
        }

        var version = Convert.ToInt64(connection.Scalar($"SELECT COALESCE(MAX(version), 0) FROM {SqliteSchema.VersionTable}"), CultureInfo.InvariantCulture);
        if (version > SqliteSchema.CurrentVersion)
        {
            throw new SqliteStoreException(
                path,
                SqliteStoreErrorKind.NewerSchema,
                $"The registry database '{path}' has schema version {version}, written by a newer version of RegistryCredentials.Sqlite; this version knows schema versions up to {SqliteSchema.CurrentVersion}. It was left as it is; upgrade the package to use it.");
        }

        if (version >= 1 && !(tables.Contains("registry_entries", StringComparer.Ordinal) && tables.Contains("registry_revision", StringComparer.Ordinal)))
        {
            throw SqliteFileProbe.Corrupt(path, $"it has schema version {version} but lacks the registry_entries or registry_revision table");
        }

        if (version >= 2 && !tables.Contains(SqliteSchema.KeyTable, StringComparer.Ordinal))
        {
            throw SqliteFileProbe.Corrupt(path, $"it has schema version {version} but lacks the {SqliteSchema.KeyTable} table");
        }

        return (int)version;
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
