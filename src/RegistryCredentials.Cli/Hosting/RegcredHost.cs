using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RegistryCredentials.Aws;
using RegistryCredentials.Azure;
using RegistryCredentials.Google;
using RegistryCredentials.Sqlite;

namespace RegistryCredentials.Cli.Hosting;

/// <summary>
/// The library, composed for one run of the tool: the chosen store, secret protection (key file), the persisted settings
/// and the credential providers. Built only by commands that need the store.
/// </summary>
internal sealed class RegcredHost : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private RegcredHost(ServiceProvider services) => _services = services;

    public IRegistryManager Manager => _services.GetRequiredService<IRegistryManager>();

    public IRegistryCredentialResolver Resolver => _services.GetRequiredService<IRegistryCredentialResolver>();

    public TimeProvider Time => _services.GetRequiredService<TimeProvider>();

    public RegistryCredentialsOptions Options => _services.GetRequiredService<IOptions<RegistryCredentialsOptions>>().Value;

    /// <param name="store">The store.</param>
    /// <param name="keyFile">
    /// The secret key file; null for the library's default (<see cref="SecretProtectionOptions.DefaultKeyFile"/>, or
    /// <c>REGCRED_SECRET_KEY</c>).
    /// </param>
    /// <param name="account">The account; null for the library's default.</param>
    /// <param name="settings">The persisted settings.</param>
    /// <param name="createKeyFile">Whether a missing key file is created (only the commands that may create a store).</param>
    public static RegcredHost Create(StoreLocation store, string? keyFile, string? account, ToolSettings settings, bool createKeyFile)
    {
        var services = new ServiceCollection();
        var builder = services.AddRegistryCredentials(options =>
        {
            settings.ApplyTo(options);
            if (account is not null)
            {
                options.Account = account;
            }
        });
        store.Apply(builder);
        builder.UseSecretProtection(o =>
        {
            if (keyFile is not null)
            {
                o.KeyFile = keyFile;
            }

            o.CreateKeyFile = createKeyFile;
        });

        ConfigureProviders(builder);

        var provider = services.BuildServiceProvider();
        try
        {
            // Fail now, in one message, when the settings file holds something the library refuses.
            _ = provider.GetRequiredService<IOptionsMonitor<RegistryCredentialsOptions>>().CurrentValue;
            return new RegcredHost(provider);
        }
        catch
        {
            provider.Dispose();
            throw;
        }
    }

    /// <summary>
    /// THE place where credential providers are registered. The core registers <c>docker_v2</c>; here the ECR
    /// (<c>awsecr</c>), Google (<c>gcr</c>) and Azure (<c>acr</c>) providers join, with their default options
    /// (<c>awsauto</c> and Application Default Credentials stay refused).
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static RegistryCredentialsBuilder ConfigureProviders(RegistryCredentialsBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);

        // The native providers: awsecr, gcr and acr entries get their token flows.
        return builder.AddAwsEcr().AddGoogle().AddAzure();
    }

    /// <summary>Reads (or creates) the key and opens (or creates) a SQLite file now, rather than on first use.</summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when both are ready.</returns>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        _ = _services.GetRequiredService<ISecretProtector>();
        if (_services.GetService<SqliteRegistryStore>() is { } sqlite)
        {
            await sqlite.InitializeAsync(cancellationToken);
        }
    }

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}
