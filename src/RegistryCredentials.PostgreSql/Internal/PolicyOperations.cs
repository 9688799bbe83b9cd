using Npgsql;

namespace RegistryCredentials.PostgreSql.Internal;

/// <summary>The policy operations (<see cref="IRegistryPolicyStore"/>).</summary>
internal sealed class PolicyOperations(NpgsqlDataSource dataSource, StoreSettings settings, string payload)
{
    private readonly PolicySchema _statements = new(settings.Schema, settings.ChangeRetentionSeconds);

    public async Task<RegistryPolicy?> GetAsync(string account, CancellationToken cancellationToken)
    {
        using var command = Command(_statements.Get).WithText(account);
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? Read(reader) : null;
        }
    }

    public async Task<IReadOnlyList<RegistryPolicy>> ListAsync(CancellationToken cancellationToken)
    {
        using var command = Command(_statements.List);
        var policies = new List<RegistryPolicy>();
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                policies.Add(Read(reader));
            }
        }

        return policies;
    }

    /// <summary>Writes the policy from the expected version; returns the revision it committed (null when it changed nothing).</summary>
    public async Task<(RegistryPolicy? Result, long? Revision)> TrySetAsync(RegistryPolicy policy, long expectedVersion, CancellationToken cancellationToken)
    {
        using var command = Command(expectedVersion == 0 ? _statements.Insert : _statements.Update)
            .WithText(policy.Account)
            .WithNullableText(policy.DefaultRegistry)
            .WithTextArray([.. policy.AllowedRegistries])
            .WithTimestamp(policy.UpdatedOn);
        if (expectedVersion != 0)
        {
            command.WithBigint(expectedVersion);
        }

        command.WithText(settings.Channel).WithText(payload);
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                return (null, null);
            }

            return (new RegistryPolicy
            {
                Account = policy.Account,
                DefaultRegistry = policy.DefaultRegistry,
                AllowedRegistries = [.. policy.AllowedRegistries],
                UpdatedOn = policy.UpdatedOn,
                Version = reader.GetInt64(0),
            }, reader.GetInt64(1));
        }
    }

    private static RegistryPolicy Read(NpgsqlDataReader reader) => new()
    {
        Account = reader.GetString(0),
        DefaultRegistry = reader.IsDBNull(1) ? null : reader.GetString(1),
        AllowedRegistries = reader.GetFieldValue<string[]>(2),
        UpdatedOn = reader.GetFieldValue<DateTimeOffset>(3),
        Version = reader.GetInt64(4),
    };

    private NpgsqlCommand Command(string sql)
    {
        var command = dataSource.CreateCommand(sql);
        command.CommandTimeout = settings.CommandTimeoutSeconds;
        return command;
    }
}
