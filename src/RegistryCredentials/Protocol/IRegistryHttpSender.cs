namespace RegistryCredentials;

/// <summary>
/// Sends HTTP requests to registries and their token services the way the library itself does, for provider packages:
/// the TLS policy of the entry (<see cref="RegistryEntry.VerifyTls"/>, <see cref="RegistryEntry.CaCertificates"/>),
/// redirects of body-less requests followed with the <c>Authorization</c> header kept only on the same origin and never
/// from HTTPS to HTTP, a request with a body never redirected, and transport failures as
/// <see cref="RegistryAuthenticationException"/> whose outcome names DNS/TCP or TLS (untrusted, name mismatch, expired).
/// </summary>
public interface IRegistryHttpSender
{
    /// <summary>Sends a request.</summary>
    /// <param name="request">The request; its URI must be absolute.</param>
    /// <param name="entry">The entry on whose behalf it is sent (its TLS settings apply to the hosts its scope covers), or null.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The response; a redirect the sender may not follow is returned as is for a request with a body.</returns>
    /// <exception cref="RegistryAuthenticationException">The host could not be reached, TLS failed, or a redirect was refused.</exception>
    Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, RegistryEntry? entry, CancellationToken cancellationToken = default);

    /// <summary>Reads a response body of at most 1 MiB.</summary>
    /// <param name="response">The response.</param>
    /// <param name="what">What the body is, for the error message (such as <c>token response</c>).</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The body.</returns>
    /// <exception cref="RegistryAuthenticationException">The body is larger than 1 MiB (<see cref="RegistryValidationOutcome.ProtocolError"/>).</exception>
    Task<byte[]> ReadBodyAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken = default);
}
