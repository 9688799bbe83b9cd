using Npgsql;

namespace RegistryCredentials.PostgreSql;

/// <summary>
/// Where and how a <see cref="PostgreSqlRegistryStore"/> keeps its entries: the server (a connection string or an
/// <see cref="NpgsqlDataSource"/>), the schema, the notification channel and the command timeout.
/// </summary>
public sealed class PostgreSqlRegistryStoreOptions
{
    /// <summary>The schema used when none is given: <c>registry_credentials</c>.</summary>
    public const string DefaultSchema = "registry_credentials";

    /// <summary>
    /// An Npgsql connection string. The store creates (and disposes) its own <see cref="NpgsqlDataSource"/> from it.
    /// Give either this or <see cref="DataSource"/>.
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// A data source owned by the caller (configured with its own pooling, authentication, logging). The store uses it
    /// and never disposes it. Give either this or <see cref="ConnectionString"/>.
    /// </summary>
    public NpgsqlDataSource? DataSource { get; set; }

    /// <summary>
    /// The schema that holds the store's tables; created and migrated on first use. Lower-case letters, digits and
    /// <c>_</c>, starting with a letter or <c>_</c>, at most 63 characters. Default <see cref="DefaultSchema"/>.
    /// </summary>
    public string Schema { get; set; } = DefaultSchema;

    /// <summary>
    /// The <c>LISTEN/NOTIFY</c> channel every write notifies and every store listens on; same rules as
    /// <see cref="Schema"/>. Null (the default) uses the schema name, so stores on different schemas of one database
    /// do not wake each other.
    /// </summary>
    public string? NotifyChannel { get; set; }

    /// <summary>How long one database command may run before it fails. Default 30 seconds; whole seconds, at least 1.</summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long the change feed (<see cref="IRegistryChangeFeed"/>) keeps a change: older ones are trimmed by the writes
    /// that follow, and a reader further behind gets a gap and reads every entry again. Default 1 hour; whole seconds,
    /// at least 1 second and at most 30 days.
    /// </summary>
    public TimeSpan ChangeRetention { get; set; } = TimeSpan.FromHours(1);
}
