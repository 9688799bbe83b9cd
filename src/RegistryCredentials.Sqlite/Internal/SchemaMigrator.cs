using System.Globalization;
using Microsoft.Extensions.Logging;

namespace RegistryCredentials.Sqlite.Internal;

/// <summary>
/// Says which schema version a database has (refusing what is not a registry database) and brings it forward. Migrations
/// only go forward, each applied once and recorded in <see cref="Schema.VersionTable"/>, all in one write transaction that
/// classifies the file again under SQLite's write lock, so processes that open it together migrate one after the other.
/// A schema recorded at a newer version than this package knows is refused, untouched.
/// </summary>
internal static class SchemaMigrator
{
    /// <summary>Brings the schema to <see cref="Schema.LatestVersion"/> in one write transaction, checking the file again under the lock.</summary>
    /// <param name="writer">The connection to write through; no transaction open.</param>
    /// <param name="path">The database file, for errors and logs.</param>
    /// <param name="time">The clock, for the migration rows.</param>
    /// <param name="logger">The logger.</param>
    /// <returns>The schema version the database had before.</returns>
    /// <exception cref="SqliteStoreException">The file is not a registry database this version can use.</exception>
    public static int Migrate(StoreConnection writer, string path, TimeProvider time, ILogger logger)
    {
        writer.Execute("BEGIN IMMEDIATE");
        var from = Classify(writer, path);
        if (from == Schema.LatestVersion)
        {
            writer.Execute("COMMIT");
            return from;
        }

        if (from == 0)
        {
            writer.Execute($"PRAGMA application_id = {Schema.ApplicationId}");
        }

        foreach (var migration in Schema.Migrations)
        {
            if (migration.Version <= from)
            {
                continue;
            }

            writer.Execute(migration.Sql);
            using var record = writer.Connection.CreateCommand();
            record.CommandText = $"INSERT INTO {Schema.VersionTable} (version, description, applied_on) VALUES ($version, $description, $applied_on)";
            record.With("$version", migration.Version)
                .With("$description", migration.Description)
                .With("$applied_on", EntryRows.FormatTime(time.GetUtcNow()))
                .ExecuteNonQuery();
        }

        writer.Execute("COMMIT");
        if (from == 0)
        {
            Log.Created(logger, path, Schema.LatestVersion);
        }
        else
        {
            Log.Migrated(logger, path, from, Schema.LatestVersion);
        }

        return from;
    }

    /// <summary>Says which schema version the database has: 0 for an empty database.</summary>
    /// <param name="connection">A connection to the database, read-only or not.</param>
    /// <param name="path">The database file, for errors.</param>
    /// <returns>The schema version.</returns>
    /// <exception cref="SqliteStoreException">Another application's database, a damaged registry database, or a newer schema.</exception>
    public static int Classify(StoreConnection connection, string path)
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

        if (tables.Count == 0 && applicationId is 0 or Schema.ApplicationId)
        {
            return 0;
        }

        if (applicationId != Schema.ApplicationId)
        {
            var shown = tables.Count == 0 ? "no tables" : "tables " + string.Join(", ", tables.Take(5)) + (tables.Count > 5 ? ", …" : string.Empty);
            throw new SqliteStoreException(
                path,
                SqliteStoreErrorKind.Foreign,
                $"The file '{path}' is a SQLite database of another application (application id {applicationId}, "
                + $"{shown}), not a registry database. It was left as it is; point the store at another path.");
        }

        if (!tables.Contains(Schema.VersionTable, StringComparer.Ordinal))
        {
            throw SqliteFileProbe.Corrupt(path, $"it is marked as a registry database but has no {Schema.VersionTable} table");
        }

        var version = Convert.ToInt64(connection.Scalar($"SELECT COALESCE(MAX(version), 0) FROM {Schema.VersionTable}"), CultureInfo.InvariantCulture);
        if (version > Schema.LatestVersion)
        {
            throw new SqliteStoreException(
                path,
                SqliteStoreErrorKind.NewerSchema,
                $"The registry database '{path}' has schema version {version}, written by a newer version of RegistryCredentials.Sqlite; "
                + $"this version knows schema versions up to {Schema.LatestVersion}. It was left as it is; upgrade the package to use it.");
        }

        if (version >= 1 && !(tables.Contains(Schema.EntryTable, StringComparer.Ordinal) && tables.Contains(Schema.RevisionTable, StringComparer.Ordinal)))
        {
            throw SqliteFileProbe.Corrupt(path, $"it has schema version {version} but lacks the {Schema.EntryTable} or {Schema.RevisionTable} table");
        }

        if (version >= 2 && !tables.Contains(Schema.KeyTable, StringComparer.Ordinal))
        {
            throw SqliteFileProbe.Corrupt(path, $"it has schema version {version} but lacks the {Schema.KeyTable} table");
        }

        if (version >= 3 && !tables.Contains(PolicySchema.Table, StringComparer.Ordinal))
        {
            throw SqliteFileProbe.Corrupt(path, $"it has schema version {version} but lacks the {PolicySchema.Table} table");
        }

        if (version >= 4 && !tables.Contains(Schema.ChangeTable, StringComparer.Ordinal))
        {
            throw SqliteFileProbe.Corrupt(path, $"it has schema version {version} but lacks the {Schema.ChangeTable} table");
        }

        return (int)version;
    }
}
