using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using RegistryCredentials.Azure.Internal;

namespace RegistryCredentials.Azure;

/// <summary>Adds the Azure Container Registry provider to a <see cref="RegistryCredentialsBuilder"/>.</summary>
public static class RegistryCredentialsAzureBuilderExtensions
{
    /// <summary>
    /// Adds <see cref="AzureCredentialProvider"/> for <see cref="RegistryType.Azure"/> (<c>acr</c>) entries: admin user and
    /// service principal pass through as Basic credentials; Entra ID entries get an ACR refresh token, cached in
    /// <see cref="RegistryTokenCache"/> and refreshed ahead of its expiry. Options are validated when the host starts, or
    /// at the latest when the provider is first created.
    /// </summary>
    /// <param name="builder">The builder from <c>AddRegistryCredentials</c>.</param>
    /// <param name="configure">Changes the options; optional.</param>
    /// <returns>The builder.</returns>
    public static RegistryCredentialsBuilder AddAzure(this RegistryCredentialsBuilder builder, Action<AzureOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Services.AddOptions<AzureOptions>();
        options.ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AzureOptions>, AzureOptionsValidator>());
        return builder.AddProvider<AzureCredentialProvider>();
    }
}
