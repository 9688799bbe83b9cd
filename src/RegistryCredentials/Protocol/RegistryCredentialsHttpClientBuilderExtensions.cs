using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RegistryCredentials.Internal;

namespace RegistryCredentials;

/// <summary>Adds registry authentication to an <see cref="HttpClient"/> made by <c>IHttpClientFactory</c>.</summary>
public static class RegistryCredentialsHttpClientBuilderExtensions
{
    /// <summary>
    /// Makes the client authenticate to registries: a request to <c>/v2/&lt;repository&gt;/…</c> is resolved to its
    /// credential (denied pulls throw <see cref="RegistryPullDeniedException"/>), the registry's Basic or Bearer
    /// challenge is answered (bearer tokens cached and shared), and each entry's TLS settings apply. The credential and
    /// its tokens go only to the origin (scheme, host, port) the request started at and to token realms that origin
    /// named: redirects to another origin are followed without them, and a 401/403 from another origin is returned
    /// untouched. A 403 to a token or a provider's expiring credential is retried once with a fresh one.
    /// Needs <c>AddRegistryCredentials()</c>.
    /// </summary>
    /// <param name="builder">The client builder from <c>AddHttpClient(…)</c>.</param>
    /// <returns>The builder.</returns>
    public static IHttpClientBuilder AddRegistryAuthentication(this IHttpClientBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.ConfigurePrimaryHttpMessageHandler(sp => new RegistryTransportHandler(sp.GetRequiredService<RegistryTransport>()));
        builder.AddHttpMessageHandler(sp => new RegistryAuthenticationHandler(
            sp.GetRequiredService<IRegistryCredentialResolver>(),
            sp.GetRequiredService<RegistryAuthenticator>(),
            sp.GetRequiredService<IOptionsMonitor<RegistryCredentialsOptions>>()));
        return builder;
    }
}
