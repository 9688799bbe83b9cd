using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using RegistryCredentials.AspNetCore.Internal;

namespace RegistryCredentials.AspNetCore;

/// <summary>Registers the services of the Registries HTTP API and the management page on a <see cref="RegistryCredentialsBuilder"/>.</summary>
public static class RegistryCredentialsAspNetCoreBuilderExtensions
{
    /// <summary>
    /// Adds what <c>MapRegistryCredentialsApi</c> and <c>MapRegistryCredentialsDashboard</c> need: their options,
    /// antiforgery, the settings store (in memory unless another is chosen), the start-up check that refuses endpoints
    /// without an authorization policy, and the OpenAPI transformers (tag, examples, write-only password).
    /// </summary>
    /// <param name="builder">The builder from <c>AddRegistryCredentials</c>.</param>
    /// <param name="configure">Changes the options; optional.</param>
    /// <returns>The builder.</returns>
    public static RegistryCredentialsBuilder AddHttpApi(this RegistryCredentialsBuilder builder, Action<RegistryCredentialsApiOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        var options = services.AddOptions<RegistryCredentialsApiOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        if (services.Any(d => d.ServiceType == typeof(MappedRegistryEndpoints)))
        {
            return builder; // the rest is registered already
        }

        services.AddAntiforgery();
        services.AddSingleton<MappedRegistryEndpoints>();
        services.TryAddSingleton<IRegistrySettingsStore, InMemoryRegistrySettingsStore>();
        services.AddSingleton<IPostConfigureOptions<RegistryCredentialsOptions>, StoredSettingsOptionsSetup>();
        services.AddSingleton<IOptionsChangeTokenSource<RegistryCredentialsOptions>, StoredSettingsChangeTokenSource>();
        services.AddSingleton<IStartupFilter, EndpointGuardStartupFilter>();
        services.ConfigureAll<OpenApiOptions>(o =>
        {
            o.AddSchemaTransformer<RegistrySchemaTransformer>();
            o.AddOperationTransformer<RegistryOperationTransformer>();
        });
        return builder;
    }

    /// <summary>Keeps the settings written through the API in a JSON file (see <see cref="JsonFileRegistrySettingsStore"/>).</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="path">The file; relative to the working folder.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty.</exception>
    public static RegistryCredentialsBuilder UseSettingsFile(this RegistryCredentialsBuilder builder, string path)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        builder.Services.RemoveAll<IRegistrySettingsStore>();
        builder.Services.AddSingleton<IRegistrySettingsStore>(_ => new JsonFileRegistrySettingsStore(path));
        return builder;
    }

    /// <summary>Keeps the settings written through the API in a store of your own, replacing any chosen before.</summary>
    /// <typeparam name="TStore">The store; resolved as a singleton.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static RegistryCredentialsBuilder UseSettingsStore<TStore>(this RegistryCredentialsBuilder builder)
        where TStore : class, IRegistrySettingsStore
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.RemoveAll<IRegistrySettingsStore>();
        builder.Services.AddSingleton<IRegistrySettingsStore, TStore>();
        return builder;
    }
}
