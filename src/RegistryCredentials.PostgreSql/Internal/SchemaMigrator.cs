using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;

namespace RegistryCredentials.PostgreSql.Internal;

/// <summary>
/// Creates and migrates the store's schema (<see cref="Schema"/>). Migrations only go forward, each applied once and recorded in
/// <c>schema_version</c>; they run in one transaction that first takes a transaction-scoped advisory lock derived from
/// the schema name, so nodes that start together migrate one after the other and the later ones find nothing to do.
/// A schema recorded at a newer version than this package knows is refused, untouched.
/// </summary>
internal static class SchemaMigrator
{
    public static async Task MigrateAsync(NpgsqlDataSource dataSource, StoreSettings settings, ILogger logger, CancellationToken cancellationToken)
    {
        var schema = Identifier.Quote(settings.Schema);
        var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            // Fast path, needing no CREATE privilege: the schema is already current.
            var current = await ReadVersionAsync(connection, null, settings, cancellationToken).ConfigureAwait(false);
            if (current == Schema.LatestVersion)
            {
                return;
            }

            ThrowIfTooNew(settings.Schema, current, logger);
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                using (var lockCommand = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", connection, transaction))
                {
                    lockCommand.CommandTimeout = settings.CommandTimeoutSeconds;
                    lockCommand.Parameters.Add(new NpgsqlParameter<string>
                    {
                        TypedValue = "RegistryCredentials.PostgreSql/migrate/" + settings.Schema,
                        NpgsqlDbType = NpgsqlDbType.Text,
                    });
                    await lockCommand.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                await ExecuteAsync(connection, transaction, settings, $"""
                    CREATE SCHEMA IF NOT EXISTS {schema};
                    CREATE TABLE IF NOT EXISTS {schema}.schema_version (
                        version integer PRIMARY KEY,
                        description text NOT NULL,
                        applied_on timestamptz NOT NULL DEFAULT now()
                    );
                    """, cancellationToken).ConfigureAwait(false);

                // Under the lock: whoever held it before us may have migrated already.
                var from = await ReadVersionAsync(connection, transaction, settings, cancellationToken).ConfigureAwait(false);
                ThrowIfTooNew(settings.Schema, from, logger);
                for (var version = from + 1; version <= Schema.LatestVersion; version++)
                {
                    var (description, sql) = Schema.Migrations[version - 1];
                    await ExecuteAsync(connection, transaction, settings, sql(schema), cancellationToken).ConfigureAwait(false);
                    using var record = new NpgsqlCommand(
                        $"INSERT INTO {schema}.schema_version (version, description) VALUES ($1, $2)",
                        connection,
                        transaction);
                    record.CommandTimeout = settings.CommandTimeoutSeconds;
                    record.Parameters.Add(new NpgsqlParameter<int> { TypedValue = version, NpgsqlDbType = NpgsqlDbType.Integer });
                    record.Parameters.Add(new NpgsqlParameter<string> { TypedValue = description, NpgsqlDbType = NpgsqlDbType.Text });
                    await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                if (from < Schema.LatestVersion)
                {
                    Log.SchemaMigrated(logger, settings.Schema, from, Schema.LatestVersion);
                }
            }
        }
    }

    /// <summary>The highest version recorded, or 0 when the schema or its version table does not exist.</summary>
    private static async Task<int> ReadVersionAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction? transaction,
        StoreSettings settings,
        CancellationToken cancellationToken)
    {
        var versionTable = Identifier.Quote(settings.Schema) + ".schema_version";
        using (var exists = new NpgsqlCommand("SELECT to_regclass($1) IS NOT NULL", connection, transaction))
        {
            exists.CommandTimeout = settings.CommandTimeoutSeconds;
            exists.Parameters.Add(new NpgsqlParameter<string> { TypedValue = versionTable, NpgsqlDbType = NpgsqlDbType.Text });
            if (!(bool)(await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!)
            {
                return 0;
            }
        }

        using var read = new NpgsqlCommand($"SELECT coalesce(max(version), 0) FROM {versionTable}", connection, transaction);
        read.CommandTimeout = settings.CommandTimeoutSeconds;
        return (int)(await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    private static async Task ExecuteAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        StoreSettings settings,
        string sql,
        CancellationToken cancellationToken)
    {
        using var command = new NpgsqlCommand(sql, connection, transaction);
        command.CommandTimeout = settings.CommandTimeoutSeconds;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static void ThrowIfTooNew(string schema, int version, ILogger logger)
    {
        if (version > Schema.LatestVersion)
        {
            Log.SchemaTooNew(logger, schema, version, Schema.LatestVersion);
            throw new PostgreSqlSchemaVersionException(schema, version, Schema.LatestVersion);
        }
    }
}
