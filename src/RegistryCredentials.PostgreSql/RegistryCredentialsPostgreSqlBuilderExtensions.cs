using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace RegistryCredentials.PostgreSql;

/// <summary>Chooses the PostgreSQL store on a <see cref="RegistryCredentialsBuilder"/>.</summary>
public static class RegistryCredentialsPostgreSqlBuilderExtensions
{
    /// <summary>
    /// Keeps entries in PostgreSQL (schema <c>registry_credentials</c>), replacing any store chosen before. The store
    /// creates its own data source from the connection string, migrates its schema on first use and listens for other
    /// nodes' changes.
    /// </summary>
    /// <param name="builder">The builder from <c>AddRegistryCredentials()</c>.</param>
    /// <param name="connectionString">An Npgsql connection string, such as <c>Host=db;Database=app;Username=app;Password=…</c>.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentException">The connection string is empty.</exception>
    public static RegistryCredentialsBuilder UsePostgreSqlStore(this RegistryCredentialsBuilder builder, string connectionString) =>
        UsePostgreSqlStore(builder, connectionString, _ => { });

    /// <summary>
    /// Keeps entries in PostgreSQL, replacing any store chosen before. The store creates its own data source from the
    /// connection string, migrates its schema on first use and listens for other nodes' changes.
    /// </summary>
    /// <param name="builder">The builder from <c>AddRegistryCredentials()</c>.</param>
    /// <param name="connectionString">An Npgsql connection string, such as <c>Host=db;Database=app;Username=app;Password=…</c>.</param>
    /// <param name="configure">Changes the other options (schema, channel, timeout).</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentException">The connection string is empty or the options are not usable.</exception>
    public static RegistryCredentialsBuilder UsePostgreSqlStore(
        this RegistryCredentialsBuilder builder,
        string connectionString,
        Action<PostgreSqlRegistryStoreOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        ArgumentNullException.ThrowIfNull(configure);
        var options = new PostgreSqlRegistryStoreOptions();
        configure(options);
        options.ConnectionString = connectionString;
        options.DataSource = null;
        return Register(builder, options);
    }

    /// <summary>
    /// Keeps entries in PostgreSQL (schema <c>registry_credentials</c>) through a data source you own (and dispose),
    /// replacing any store chosen before.
    /// </summary>
    /// <param name="builder">The builder from <c>AddRegistryCredentials()</c>.</param>
    /// <param name="dataSource">The data source; not disposed by the store.</param>
    /// <returns>The builder.</returns>
    public static RegistryCredentialsBuilder UsePostgreSqlStore(this RegistryCredentialsBuilder builder, NpgsqlDataSource dataSource) =>
        UsePostgreSqlStore(builder, dataSource, _ => { });

    /// <summary>
    /// Keeps entries in PostgreSQL through a data source you own (and dispose), replacing any store chosen before.
    /// </summary>
    /// <param name="builder">The builder from <c>AddRegistryCredentials()</c>.</param>
    /// <param name="dataSource">The data source; not disposed by the store.</param>
    /// <param name="configure">Changes the other options (schema, channel, timeout).</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentException">The options are not usable.</exception>
    public static RegistryCredentialsBuilder UsePostgreSqlStore(
        this RegistryCredentialsBuilder builder,
        NpgsqlDataSource dataSource,
        Action<PostgreSqlRegistryStoreOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(configure);
        var options = new PostgreSqlRegistryStoreOptions();
        configure(options);
        options.ConnectionString = null;
        options.DataSource = dataSource;
        return Register(builder, options);
    }

    private static RegistryCredentialsBuilder Register(RegistryCredentialsBuilder builder, PostgreSqlRegistryStoreOptions options)
    {
        // Fail at registration, not at the first resolve, when the options are unusable.
        _ = Internal.StoreSettings.From(options);
        var services = builder.Services;
        services.RemoveAll<IRegistryStore>();
        services.RemoveAll<PostgreSqlRegistryStore>();
        services.AddSingleton(sp => new PostgreSqlRegistryStore(options, sp.GetService<ILogger<PostgreSqlRegistryStore>>()));
        services.AddSingleton<IRegistryStore>(sp => sp.GetRequiredService<PostgreSqlRegistryStore>());

        // Secrets in a database outlive the process, so their key must too (unless a custom protector is registered).
        // Every node of a fleet needs the same key: set SecretProtectionOptions.Key, REGCRED_SECRET_KEY or a shared key file.
        return builder.EnsureDurableSecretProtection();
    }
}
