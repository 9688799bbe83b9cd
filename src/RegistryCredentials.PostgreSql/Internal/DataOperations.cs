using Npgsql;

namespace RegistryCredentials.PostgreSql.Internal;

/// <summary>
/// The store's data operations, each on connections from the data source that <see cref="StoreLifecycle"/> prepared.
/// Every change of an entry is one statement that also sends <c>pg_notify</c>, so the notification goes out exactly when
/// the change commits; a change returns, beside its result, whether it changed an entry, for the change signal.
/// </summary>
/// <param name="dataSource">The data source.</param>
/// <param name="settings">The store's settings.</param>
/// <param name="payload">The notification payload that marks this store's own changes.</param>
internal sealed class DataOperations(NpgsqlDataSource dataSource, StoreSettings settings, string payload)
{
    private readonly Statements _statements = new(settings.Schema, settings.ChangeRetentionSeconds);

    public async Task<RegistryRecord?> GetAsync(string account, RegistryScope scope, CancellationToken cancellationToken)
    {
        using var command = Command(_statements.Get).WithText(account).WithText(scope.Value);
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? EntryRows.Read(reader, settings.Schema) : null;
        }
    }

    public async Task<IReadOnlyList<RegistryRecord>> ListAsync(string? account, CancellationToken cancellationToken)
    {
        using var command = account is null ? Command(_statements.ListAll) : Command(_statements.ListAccount).WithText(account);
        return await ReadRecordsAsync(command, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<RegistryRecord>> ListForRegistryAsync(string? account, string registry, CancellationToken cancellationToken)
    {
        registry = registry.ToLowerInvariant();
        using var command = account is null ? Command(_statements.ForRegistryAll) : Command(_statements.ForRegistryAccount).WithText(account);
        command.WithText(registry).WithText(registry + "/").WithText(registry + "0");
        return await ReadRecordsAsync(command, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs a query of entry rows and reads every row it returns.</summary>
    private async Task<IReadOnlyList<RegistryRecord>> ReadRecordsAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var records = new List<RegistryRecord>();
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                records.Add(EntryRows.Read(reader, settings.Schema));
            }
        }

        return records;
    }

    /// <exception cref="RegistryConflictException">The scope exists in the account.</exception>
    public async Task<(RegistryRecord Result, long? Revision)> AddAsync(RegistryRecord record, CancellationToken cancellationToken)
    {
        var entry = EntryRows.Normalise(record.Entry) with { Version = 1 };
        using var command = EntryRows.Bind(Command(_statements.Add), entry, record.ProtectedSecret)
            .WithText(settings.Channel)
            .WithText(payload);
        return await ExecuteWriteAsync(command, cancellationToken).ConfigureAwait(false) is { } written
            ? (record.WithEntry(entry), written.Revision)
            : throw new RegistryConflictException(entry.Account, entry.Scope);
    }

    /// <exception cref="RegistryConcurrencyException">The entry is at another version.</exception>
    /// <exception cref="RegistryNotFoundException">There is no such entry.</exception>
    public async Task<(RegistryRecord Result, long? Revision)> UpdateAsync(RegistryRecord record, long expectedVersion, CancellationToken cancellationToken)
    {
        var entry = EntryRows.Normalise(record.Entry);
        while (true)
        {
            using (var command = EntryRows.Bind(Command(_statements.Update), entry, record.ProtectedSecret)
                .WithBigint(expectedVersion)
                .WithText(settings.Channel)
                .WithText(payload))
            {
                if (await ExecuteWriteAsync(command, cancellationToken).ConfigureAwait(false) is { } updated)
                {
                    return (record.WithEntry(entry with { Version = updated.Version }), updated.Revision);
                }
            }

            var actual = await ReadVersionAsync(entry.Account, entry.Scope, cancellationToken).ConfigureAwait(false)
                ?? throw new RegistryNotFoundException(entry.Account, entry.Scope);
            if (actual != expectedVersion)
            {
                throw new RegistryConcurrencyException(entry.Account, entry.Scope, expectedVersion, actual);
            }

            // Deleted and added again at the expected version between the two statements: try again.
        }
    }

    /// <exception cref="RegistryConcurrencyException">The entry is at another version than the one expected.</exception>
    public async Task<(bool Result, long? Revision)> DeleteAsync(
        string account, RegistryScope scope, long? expectedVersion, CancellationToken cancellationToken)
    {
        while (true)
        {
            using (var command = Command(expectedVersion is null ? _statements.Delete : _statements.DeleteExpected).WithText(account).WithText(scope.Value))
            {
                if (expectedVersion is { } expected)
                {
                    command.WithBigint(expected);
                }

                command.WithText(settings.Channel).WithText(payload);
                if (await ExecuteWriteAsync(command, cancellationToken).ConfigureAwait(false) is { } deleted)
                {
                    return (true, deleted.Revision);
                }
            }

            if (expectedVersion is not { } stale)
            {
                return (false, null);
            }

            var actual = await ReadVersionAsync(account, scope, cancellationToken).ConfigureAwait(false);
            if (actual is null)
            {
                return (false, null);
            }

            if (actual != stale)
            {
                throw new RegistryConcurrencyException(account, scope, stale, actual.Value);
            }
        }
    }

    public async Task<long> GetRevisionAsync(CancellationToken cancellationToken)
    {
        using var command = Command(_statements.Revision);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long revision ? revision : 0;
    }

    /// <summary>The feed after a revision, in one statement (one round trip, one snapshot).</summary>
    public async Task<RegistryChangeSet> GetChangesAsync(long after, CancellationToken cancellationToken)
    {
        using var command = Command(_statements.ChangesAfter).WithBigint(after);
        var changes = new List<RegistryChange>();
        var policyChanges = new List<RegistryPolicyChange>();
        long revision = 0;
        long? oldest = null;
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                revision = reader.GetInt64(15);
                oldest = reader.IsDBNull(16) ? null : reader.GetInt64(16);
                if (reader.IsDBNull(0))
                {
                    continue; // nothing changed: the head row alone
                }

                if (reader.GetInt32(17) == 1)
                {
                    var account = reader.GetString(0);
                    var policy = reader.IsDBNull(21) ? null : new RegistryPolicy
                    {
                        Account = account,
                        DefaultRegistry = reader.IsDBNull(18) ? null : reader.GetString(18),
                        AllowedRegistries = reader.GetFieldValue<string[]>(19),
                        UpdatedOn = reader.GetFieldValue<DateTimeOffset>(20),
                        Version = reader.GetInt64(21),
                    };
                    policyChanges.Add(new RegistryPolicyChange(reader.GetInt64(14), account, policy));
                    continue;
                }

                var scope = RegistryScope.Parse(reader.GetString(1));
                var record = reader.IsDBNull(2) ? null : EntryRows.Read(reader, settings.Schema);
                changes.Add(new RegistryChange(reader.GetInt64(14), reader.GetString(0), scope, record));
            }
        }

        // Revisions are dense: the feed covers everything after oldest - 1 (after the current revision when it is empty).
        var floor = oldest is { } first ? first - 1 : revision;
        return after > revision || after < floor ? RegistryChangeSet.Gap(revision) : RegistryChangeSet.Of(revision, changes, policyChanges);
    }

    public async Task<IReadOnlyList<string>> GetKeyIdsAsync(CancellationToken cancellationToken)
    {
        using var command = Command(_statements.KeyIds);
        return await ReadKeyIdsAsync(command, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>One transaction locks the key table against other replacements (readers go on), compares and replaces.</summary>
    public async Task<bool> ReplaceKeyIdsAsync(string[] before, string[] wanted, CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                using (var lockCommand = new NpgsqlCommand(_statements.LockKeyIds, connection, transaction) { CommandTimeout = settings.CommandTimeoutSeconds })
                {
                    await lockCommand.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                using (var read = new NpgsqlCommand(_statements.KeyIds, connection, transaction) { CommandTimeout = settings.CommandTimeoutSeconds })
                {
                    if (!(await ReadKeyIdsAsync(read, cancellationToken).ConfigureAwait(false)).SequenceEqual(before, StringComparer.Ordinal))
                    {
                        return false; // rolled back on dispose
                    }
                }

                using (var replace = new NpgsqlCommand(_statements.ReplaceKeyIds, connection, transaction) { CommandTimeout = settings.CommandTimeoutSeconds })
                {
                    await replace.WithTextArray(wanted).ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return true;
            }
        }
    }

    /// <summary>Runs a write statement that returns the new version and the change's revision when it changed a row, and nothing otherwise.</summary>
    private static async Task<(long Version, long Revision)?> ExecuteWriteAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? (reader.GetInt64(0), reader.GetInt64(1)) : null;
        }
    }

    private static async Task<List<string>> ReadKeyIdsAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var ids = new List<string>();
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                ids.Add(reader.GetString(0));
            }
        }

        ids.Sort(StringComparer.Ordinal);
        return ids;
    }

    private NpgsqlCommand Command(string sql)
    {
        var command = dataSource.CreateCommand(sql);
        command.CommandTimeout = settings.CommandTimeoutSeconds;
        return command;
    }

    private async Task<long?> ReadVersionAsync(string account, RegistryScope scope, CancellationToken cancellationToken)
    {
        using var command = Command(_statements.Version).WithText(account).WithText(scope.Value);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long version ? version : null;
    }
}
