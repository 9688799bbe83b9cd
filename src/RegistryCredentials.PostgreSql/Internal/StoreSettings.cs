namespace RegistryCredentials.PostgreSql.Internal;

/// <summary>The options a store runs with, checked once when it is created.</summary>
internal sealed record StoreSettings(string Schema, string Channel, int CommandTimeoutSeconds, int ChangeRetentionSeconds)
{
    public static StoreSettings From(PostgreSqlRegistryStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var hasConnectionString = !string.IsNullOrWhiteSpace(options.ConnectionString);
        if (hasConnectionString == (options.DataSource is not null))
        {
            throw new ArgumentException(
                "Give the PostgreSQL registry store either a ConnectionString or a DataSource (exactly one).", nameof(options));
        }

        if (!Identifier.IsValid(options.Schema))
        {
            throw new ArgumentException(
                $"'{options.Schema}' is not a usable schema name: use lower-case letters, digits "
                + $"and '_', starting with a letter or '_', at most {Identifier.MaxLength} characters.",
                nameof(options));
        }

        var channel = options.NotifyChannel ?? options.Schema;
        if (!Identifier.IsValid(channel))
        {
            throw new ArgumentException(
                $"'{channel}' is not a usable notification channel: use lower-case letters, digits "
                + $"and '_', starting with a letter or '_', at most {Identifier.MaxLength} characters.",
                nameof(options));
        }

        var timeout = options.CommandTimeout;
        if (timeout < TimeSpan.FromSeconds(1) || timeout > TimeSpan.FromSeconds(int.MaxValue))
        {
            throw new ArgumentException($"CommandTimeout must be at least one second, not {timeout}.", nameof(options));
        }

        var retention = options.ChangeRetention;
        if (retention < TimeSpan.FromSeconds(1) || retention > TimeSpan.FromDays(30))
        {
            throw new ArgumentException($"ChangeRetention must be at least one second and at most 30 days, not {retention}.", nameof(options));
        }

        return new StoreSettings(options.Schema, channel, (int)Math.Ceiling(timeout.TotalSeconds), (int)Math.Ceiling(retention.TotalSeconds));
    }
}
