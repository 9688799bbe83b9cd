namespace RegistryCredentials.Internal;

/// <summary>
/// The primary handler behind <see cref="RegistryAuthenticationHandler"/>: sends each request through
/// <see cref="RegistryTransport"/>, so that the TLS settings of the entry the request was resolved to apply
/// (its CA bundle, or no verification for the hosts its scope covers).
/// </summary>
internal sealed class RegistryTransportHandler(RegistryTransport transport) : HttpMessageHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Options.TryGetValue(RegistryAuthenticationHandler.EntryOption, out var entry);
        return transport.For(request.RequestUri!, entry).Invoker.SendAsync(request, cancellationToken);
    }
}
