using Microsoft.Data.Sqlite;

namespace RegistryCredentials.Sqlite.Internal;

/// <summary>The policy operations (<see cref="IRegistryPolicyStore"/>), on the connections <see cref="StoreLifecycle"/> hands them.</summary>
internal static class PolicyOperations
{
    public static RegistryPolicy? Get(StoreConnection connection, string account)
    {
        using var reader = connection.Command(PolicySchema.Get).With("$account", account).ExecuteReader();
        return reader.Read() ? Read(reader) : null;
    }

    public static IReadOnlyList<RegistryPolicy> List(StoreConnection connection, int unused)
    {
        var policies = new List<RegistryPolicy>();
        using var reader = connection.Command(PolicySchema.List).ExecuteReader();
        while (reader.Read())
        {
            policies.Add(Read(reader));
        }

        return policies;
    }

    /// <summary>Writes the policy from the expected version in one write transaction; returns the revision it committed.</summary>
    public static (RegistryPolicy? Result, long? Revision) TrySet(StoreConnection writer, (RegistryPolicy Policy, long Expected) state)
    {
        var (policy, expected) = state;
        writer.Command("BEGIN IMMEDIATE").ExecuteNonQuery();
        var command = writer.Command(expected == 0 ? PolicySchema.Insert : PolicySchema.Update)
            .With("$account", policy.Account)
            .With("$default_registry", policy.DefaultRegistry)
            .With("$allowed_registries", string.Join('\n', policy.AllowedRegistries))
            .With("$updated_on", EntryRows.FormatTime(policy.UpdatedOn));
        if (expected != 0)
        {
            command.With("$expected", expected);
        }

        if (command.ExecuteNonQuery() == 0)
        {
            writer.Command("ROLLBACK").ExecuteNonQuery();
            return (null, null);
        }

        var revision = Convert.ToInt64(writer.Command(Statements.Revision).ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        writer.Command("COMMIT").ExecuteNonQuery();
        return (Stored(policy, expected + 1), revision);
    }

    /// <summary>The policies changed after a revision, inside the feed's read transaction (<see cref="DataOperations.GetChanges"/>).</summary>
    public static List<RegistryPolicyChange> ChangesAfter(StoreConnection connection, long after)
    {
        var changes = new List<RegistryPolicyChange>();
        using var reader = connection.Command(PolicyFeedSchema.ChangesAfter).With("$after", after).ExecuteReader();
        while (reader.Read())
        {
            var account = reader.GetString(0);
            var policy = reader.IsDBNull(4) ? null : new RegistryPolicy
            {
                Account = account,
                DefaultRegistry = reader.IsDBNull(1) ? null : reader.GetString(1),
                AllowedRegistries = reader.GetString(2) is { Length: > 0 } allowed ? allowed.Split('\n') : [],
                UpdatedOn = EntryRows.ParseTime(reader.GetString(3)),
                Version = reader.GetInt64(4),
            };
            changes.Add(new RegistryPolicyChange(reader.GetInt64(5), account, policy));
        }

        return changes;
    }

    private static RegistryPolicy Stored(RegistryPolicy policy, long version) => new()
    {
        Account = policy.Account,
        DefaultRegistry = policy.DefaultRegistry,
        AllowedRegistries = [.. policy.AllowedRegistries],
        UpdatedOn = policy.UpdatedOn,
        Version = version,
    };

    private static RegistryPolicy Read(SqliteDataReader reader)
    {
        var allowed = reader.GetString(2);
        return new RegistryPolicy
        {
            Account = reader.GetString(0),
            DefaultRegistry = reader.IsDBNull(1) ? null : reader.GetString(1),
            AllowedRegistries = allowed.Length == 0 ? [] : allowed.Split('\n'),
            UpdatedOn = EntryRows.ParseTime(reader.GetString(3)),
            Version = reader.GetInt64(4),
        };
    }
}
