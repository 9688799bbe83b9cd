using Amazon.Runtime;

namespace RegistryCredentials.Aws.Internal;

/// <summary>
/// Gives the AWS SDK's STS client the <see cref="AwsEcrOptions.HttpClientName"/> client of
/// <see cref="IHttpClientFactory"/>, so proxy and TLS settings are configured in one place.
/// </summary>
internal sealed class SdkHttpClientFactory(IHttpClientFactory factory) : HttpClientFactory
{
    public override HttpClient CreateHttpClient(IClientConfig clientConfig) => factory.CreateClient(AwsEcrOptions.HttpClientName);

    // IHttpClientFactory pools the handlers; the SDK must neither cache its clients forever nor keep them.
    public override bool UseSDKHttpClientCaching(IClientConfig clientConfig) => false;

    public override bool DisposeHttpClientsAfterUse(IClientConfig clientConfig) => true;
}
