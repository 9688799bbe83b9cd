using RegistryCredentials.Azure.Internal;

namespace RegistryCredentials.Azure;

/// <summary>Adds the Azure Container Registry provider to a <see cref="RegistryCredentialsBuilder"/>.</summary>
public static class RegistryCredentialsAzureBuilderExtensions
{
    /// <summary>
    /// Adds <see cref="AzureCredentialProvider"/> for <see cref="RegistryType.Azure"/> (<c>acr</c>) entries with the core's
    /// provider kit (<see cref="RegistryCredentialsBuilder.AddProvider{TProvider, TOptions, TValidator}"/>): admin user and
    /// service principal pass through as Basic credentials; Entra ID entries get an ACR refresh token, cached in
    /// <see cref="RegistryTokenCache"/> and refreshed ahead of its expiry. Options are validated when the host starts, or
    /// at the latest when the provider is first created. Calling it again only adds <paramref name="configure"/>.
    /// </summary>
    /// <param name="builder">The builder from <c>AddRegistryCredentials</c>.</param>
    /// <param name="configure">Changes the options; optional.</param>
    /// <returns>The builder.</returns>
    public static RegistryCredentialsBuilder AddAzure(this RegistryCredentialsBuilder builder, Action<AzureOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddProvider<AzureCredentialProvider, AzureOptions, AzureOptionsValidator>(configure);
    }
}
