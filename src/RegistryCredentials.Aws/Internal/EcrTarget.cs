using System.Text;
using Amazon;

namespace RegistryCredentials.Aws.Internal;

/// <summary>One <c>GetAuthorizationToken</c> call: where it goes, how it is signed, and its body.</summary>
internal sealed class EcrTarget
{
    public EcrTarget(EcrRegistryHost host, string region, Uri endpoint)
    {
        Host = host;
        Region = region;
        Endpoint = endpoint;
        RegionEndpoint = RegionEndpoint.GetBySystemName(region);
        Operation = host.IsPublic
            ? "SpencerFrontendService.GetAuthorizationToken"
            : "AmazonEC2ContainerRegistry_V20150921.GetAuthorizationToken";
        Body = Encoding.UTF8.GetBytes(host.AccountId is { } account ? "{\"registryIds\":[\"" + account + "\"]}" : "{}");
    }

    /// <summary>The ECR registry the token is for.</summary>
    public EcrRegistryHost Host { get; }

    /// <summary>The signing region.</summary>
    public string Region { get; }

    /// <summary>The SDK's region object for <see cref="Region"/>.</summary>
    public RegionEndpoint RegionEndpoint { get; }

    /// <summary>The API endpoint the request is posted to.</summary>
    public Uri Endpoint { get; }

    /// <summary>The <c>X-Amz-Target</c> header.</summary>
    public string Operation { get; }

    /// <summary>The JSON body: <c>{"registryIds":["&lt;account&gt;"]}</c>, or <c>{}</c> for ECR Public and a <c>*</c> account.</summary>
    public byte[] Body { get; }
}
