using System.Globalization;
using Microsoft.Data.Sqlite;

namespace RegistryCredentials.Sqlite.Internal;

/// <summary>
/// The store's data operations, each on the connection <see cref="StoreLifecycle"/> hands it: a pooled reader for reads,
/// the single writer, inside the writers' turn, for writes. A write runs in one <c>BEGIN IMMEDIATE</c> transaction and
/// returns, beside its result, the revision it committed for the change signal (null when it changed no entry).
/// Static, with their inputs as state, so that no call allocates a delegate.
/// </summary>
internal static class DataOperations
{
    public static RegistryRecord? Get(StoreConnection connection, (string Account, RegistryScope Scope) key)
    {
        using var reader = connection.Command(Statements.Get)
            .With("$account", key.Account)
            .With("$scope", key.Scope.Value)
            .ExecuteReader();
        return reader.Read() ? EntryRows.Read(reader, connection.Path) : null;
    }

    public static IReadOnlyList<RegistryRecord> List(StoreConnection connection, string? account)
    {
        var command = account is null
            ? connection.Command(Statements.ListAll)
            : connection.Command(Statements.ListAccount).With("$account", account);
        return ReadRecords(connection, command);
    }

    public static IReadOnlyList<RegistryRecord> ListForRegistry(StoreConnection connection, (string? Account, string Registry) query)
    {
        var registry = query.Registry.ToLowerInvariant();
        var command = query.Account is null
            ? connection.Command(Statements.ForRegistryAll)
            : connection.Command(Statements.ForRegistryAccount).With("$account", query.Account);
        command.With("$registry", registry).With("$paths", registry + "/").With("$pathsEnd", registry + "0");
        return ReadRecords(connection, command);
    }

    /// <summary>Runs a query of entry rows and reads every row it returns.</summary>
    private static List<RegistryRecord> ReadRecords(StoreConnection connection, SqliteCommand command)
    {
        var records = new List<RegistryRecord>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            records.Add(EntryRows.Read(reader, connection.Path));
        }

        return records;
    }

    /// <exception cref="RegistryConflictException">The scope exists in the account.</exception>
    public static (RegistryRecord Result, long? Revision) Add(StoreConnection writer, RegistryRecord record)
    {
        var entry = record.Entry;
        writer.Command("BEGIN IMMEDIATE").ExecuteNonQuery();
        if (EntryRows.Bind(writer.Command(Statements.Add), entry, record.ProtectedSecret).ExecuteNonQuery() == 0)
        {
            writer.Command("ROLLBACK").ExecuteNonQuery();
            throw new RegistryConflictException(entry.Account, entry.Scope);
        }

        return (record.WithEntry(entry with { Version = 1 }), CommitEntries(writer));
    }

    /// <exception cref="RegistryConcurrencyException">The entry is at another version.</exception>
    /// <exception cref="RegistryNotFoundException">There is no such entry.</exception>
    public static (RegistryRecord Result, long? Revision) Update(StoreConnection writer, (RegistryRecord Record, long Expected) state)
    {
        var (record, expected) = state;
        var entry = record.Entry;
        writer.Command("BEGIN IMMEDIATE").ExecuteNonQuery();
        if (EntryRows.Bind(writer.Command(Statements.Update), entry, record.ProtectedSecret).With("$expected", expected).ExecuteNonQuery() == 0)
        {
            var actual = ReadVersion(writer, entry.Account, entry.Scope);
            writer.Command("ROLLBACK").ExecuteNonQuery();
            throw actual is { } version
                ? new RegistryConcurrencyException(entry.Account, entry.Scope, expected, version)
                : new RegistryNotFoundException(entry.Account, entry.Scope);
        }

        return (record.WithEntry(entry with { Version = expected + 1 }), CommitEntries(writer));
    }

    /// <exception cref="RegistryConcurrencyException">The entry is at another version than the one expected.</exception>
    public static (bool Result, long? Revision) Delete(StoreConnection writer, (string Account, RegistryScope Scope, long? Expected) state)
    {
        var (account, scope, expected) = state;
        writer.Command("BEGIN IMMEDIATE").ExecuteNonQuery();
        var deleted = writer.Command(Statements.Delete)
            .With("$account", account)
            .With("$scope", scope.Value)
            .With("$expected", expected)
            .ExecuteNonQuery();
        if (deleted == 0)
        {
            var actual = ReadVersion(writer, account, scope);
            writer.Command("ROLLBACK").ExecuteNonQuery();
            return actual is { } version && expected is { } wanted
                ? throw new RegistryConcurrencyException(account, scope, wanted, version)
                : (false, null);
        }

        return (true, CommitEntries(writer));
    }

    public static long GetRevision(StoreConnection connection, int unused) =>
        Convert.ToInt64(connection.Command(Statements.Revision).ExecuteScalar(), CultureInfo.InvariantCulture);

    /// <summary>The feed after a revision, read in one read transaction so that the revision and the rows agree.</summary>
    public static RegistryChangeSet GetChanges(StoreConnection connection, long after)
    {
        connection.Command("BEGIN").ExecuteNonQuery();
        try
        {
            var revision = GetRevision(connection, 0);
            var oldest = connection.Command(Statements.OldestChange).ExecuteScalar();

            // Revisions are dense: the feed covers everything after oldest - 1 (after the current revision when it is empty).
            var floor = oldest is null or DBNull ? revision : Convert.ToInt64(oldest, CultureInfo.InvariantCulture) - 1;
            if (after > revision || after < floor)
            {
                return RegistryChangeSet.Gap(revision);
            }

            var changes = new List<RegistryChange>();
            using (var reader = connection.Command(Statements.ChangesAfter).With("$after", after).ExecuteReader())
            {
                while (reader.Read())
                {
                    var scope = RegistryScope.Parse(reader.GetString(1));
                    var record = reader.IsDBNull(2) ? null : EntryRows.Read(reader, connection.Path);
                    changes.Add(new RegistryChange(reader.GetInt64(14), reader.GetString(0), scope, record));
                }
            }

            return RegistryChangeSet.Of(revision, changes, PolicyOperations.ChangesAfter(connection, after));
        }
        finally
        {
            connection.Command("COMMIT").ExecuteNonQuery();
        }
    }

    public static IReadOnlyList<string> GetKeyIds(StoreConnection connection) => ReadKeyIds(connection);

    /// <summary>
    /// Reads and replaces the key ids in one write transaction, so writers in any process take turns. Key ids are not
    /// entries: no revision, no change token.
    /// </summary>
    public static (bool Result, long? Revision) ReplaceKeyIds(StoreConnection writer, (string[] Before, string[] Wanted, TimeProvider Time) state)
    {
        writer.Command("BEGIN IMMEDIATE").ExecuteNonQuery();
        var current = ReadKeyIds(writer);
        if (!current.SequenceEqual(state.Before, StringComparer.Ordinal))
        {
            writer.Command("ROLLBACK").ExecuteNonQuery();
            return (false, null);
        }

        foreach (var gone in current.Except(state.Wanted, StringComparer.Ordinal))
        {
            writer.Command(Statements.DeleteKeyId).With("$key_id", gone).ExecuteNonQuery();
        }

        var now = EntryRows.FormatTime(state.Time.GetUtcNow());
        foreach (var keyId in state.Wanted)
        {
            writer.Command(Statements.InsertKeyId).With("$key_id", keyId).With("$added_on", now).ExecuteNonQuery();
        }

        writer.Command("COMMIT").ExecuteNonQuery();
        return (true, null);
    }

    private static long? ReadVersion(StoreConnection connection, string account, RegistryScope scope)
    {
        var value = connection.Command(Statements.Version)
            .With("$account", account)
            .With("$scope", scope.Value)
            .ExecuteScalar();
        return value is null or DBNull ? null : Convert.ToInt64(value, CultureInfo.InvariantCulture);
    }

    private static List<string> ReadKeyIds(StoreConnection connection)
    {
        var ids = new List<string>();
        using var reader = connection.Command(Statements.KeyIds).ExecuteReader();
        while (reader.Read())
        {
            ids.Add(reader.GetString(0));
        }

        ids.Sort(StringComparer.Ordinal);
        return ids;
    }

    /// <summary>Commits the open write transaction of an entry change, returning the revision it produced for the change signal.</summary>
    private static long CommitEntries(StoreConnection writer)
    {
        var revision = Convert.ToInt64(writer.Command(Statements.Revision).ExecuteScalar(), CultureInfo.InvariantCulture);
        writer.Command("COMMIT").ExecuteNonQuery();
        return revision;
    }
}
