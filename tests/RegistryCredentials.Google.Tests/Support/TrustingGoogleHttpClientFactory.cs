using Google.Apis.Http;
using RegistryCredentials.Tests.Support.Registry;

namespace RegistryCredentials.Google.Tests.Support;

/// <summary>Google.Apis.Auth's HTTP client factory with TLS that trusts only the test CA (for an HTTPS token endpoint).</summary>
public sealed class TrustingGoogleHttpClientFactory(TestCertificates certificates) : HttpClientFactory
{
    protected override HttpMessageHandler CreateHandler(CreateHttpClientArgs args) => certificates.CreateTrustingHandler();
}
