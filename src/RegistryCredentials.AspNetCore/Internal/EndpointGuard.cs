using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;

namespace RegistryCredentials.AspNetCore.Internal;

/// <summary>Whether an endpoint is protected by an authorization policy, as the authorization middleware will see it.</summary>
internal static class EndpointGuard
{
    public static bool IsProtected(Endpoint endpoint, AuthorizationPolicy? fallbackPolicy)
    {
        var metadata = endpoint.Metadata;
        if (metadata.GetMetadata<IAllowAnonymous>() is not null)
        {
            return false;
        }

        return metadata.GetOrderedMetadata<IAuthorizeData>().Count > 0
            || metadata.GetOrderedMetadata<AuthorizationPolicy>().Count > 0
            || metadata.GetOrderedMetadata<IAuthorizationRequirementData>().Count > 0
            || fallbackPolicy is not null;
    }

    public static bool IsOurs(Endpoint endpoint) =>
        endpoint.Metadata.GetMetadata<RegistryEndpointMetadata>() is not null;

    public static string Describe(Endpoint endpoint) => endpoint.DisplayName ?? endpoint.ToString() ?? "endpoint";
}
