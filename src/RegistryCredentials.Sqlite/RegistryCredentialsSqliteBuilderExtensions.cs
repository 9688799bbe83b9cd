using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace RegistryCredentials.Sqlite;

/// <summary>Chooses the SQLite store on a <see cref="RegistryCredentialsBuilder"/>.</summary>
public static class RegistryCredentialsSqliteBuilderExtensions
{
    /// <summary>
    /// Keeps entries in a SQLite file (created when missing), replacing any store chosen before. The store is a
    /// singleton, available as <see cref="IRegistryStore"/> and as <see cref="SqliteRegistryStore"/>. Secrets are protected
    /// with <see cref="AesGcmSecretProtector"/> (key from <see cref="SecretProtectionOptions"/>: by default a key file under
    /// <c>~/.config/registry-credentials/</c>, created on first use) unless another protector is registered.
    /// </summary>
    /// <param name="builder">The builder from <c>AddRegistryCredentials</c>.</param>
    /// <param name="path">The database file, such as <c>registries.db</c>; relative to the working folder.</param>
    /// <param name="configure">Changes the other settings; optional.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty, or a setting is out of range.</exception>
    public static RegistryCredentialsBuilder UseSqliteStore(
        this RegistryCredentialsBuilder builder,
        string path,
        Action<SqliteRegistryStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var options = new SqliteRegistryStoreOptions { Path = path };
        configure?.Invoke(options);

        Internal.StoreSettings.Validate(options); // now, rather than when the store is first resolved

        var services = builder.Services;
        services.RemoveAll<IRegistryStore>();
        services.RemoveAll<SqliteRegistryStore>();
        services.AddSingleton(sp => new SqliteRegistryStore(options, sp.GetService<TimeProvider>(), sp.GetService<ILogger<SqliteRegistryStore>>()));
        services.AddSingleton<IRegistryStore>(sp => sp.GetRequiredService<SqliteRegistryStore>());

        // Secrets in a file outlive the process, so their key must too (unless a custom protector is registered).
        return builder.EnsureDurableSecretProtection();
    }
}
