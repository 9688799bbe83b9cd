using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.DependencyInjection;
using RegistryCredentials.AspNetCore.Internal;

namespace RegistryCredentials.AspNetCore;

/// <summary>Registers the services of the Registries HTTP API and the management page on a <see cref="RegistryCredentialsBuilder"/>.</summary>
public static class RegistryCredentialsAspNetCoreBuilderExtensions
{
    /// <summary>
    /// Adds what <c>MapRegistryCredentialsApi</c> and <c>MapRegistryCredentialsDashboard</c> need: their options,
    /// antiforgery, the start-up check that refuses endpoints
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
        services.AddSingleton<IStartupFilter, EndpointGuardStartupFilter>();
        services.ConfigureAll<OpenApiOptions>(o =>
        {
            o.AddSchemaTransformer<RegistrySchemaTransformer>();
            o.AddOperationTransformer<RegistryOperationTransformer>();
        });
        return builder;
    }
}
