using RegistryCredentials.Aws;
using RegistryCredentials.Azure;
using RegistryCredentials.Google;

namespace RegistryCredentials.Cli.Hosting;

/// <summary>regcred's cloud providers (ECR, Google, Azure): not part of the lookup executable.</summary>
internal sealed partial class RegcredHost
{
    public static partial RegistryCredentialsBuilder ConfigureProviders(RegistryCredentialsBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);

        // The native providers: awsecr, gcr and acr entries get their token flows. The ECR API endpoint follows the AWS
        // SDKs' service-specific endpoint variable (AWS_ENDPOINT_URL_ECR), as STS follows AWS_ENDPOINT_URL_STS in the SDK.
        return builder.AddAwsEcr(o => o.ServiceUrl ??= EndpointFromEnvironment("AWS_ENDPOINT_URL_ECR")).AddGoogle().AddAzure();
    }

    private static Uri? EndpointFromEnvironment(string name) =>
        Uri.TryCreate(Environment.GetEnvironmentVariable(name), UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http" ? uri : null;
}
