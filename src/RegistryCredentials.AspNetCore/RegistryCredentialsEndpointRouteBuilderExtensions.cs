using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using RegistryCredentials.AspNetCore.Internal;

namespace RegistryCredentials.AspNetCore;

/// <summary>Maps the Registries HTTP API and the management page.</summary>
public static class RegistryCredentialsEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps Anchore's Registries endpoints (<c>GET|POST {prefix}</c>, <c>GET|PUT|DELETE {prefix}/{registry}</c>) plus
    /// Rancher's <c>activate</c>/<c>deactivate</c> actions, <c>_settings</c>, <c>_resolve</c> and <c>_antiforgery</c>.
    /// Chain <c>RequireAuthorization(…)</c> on the result: without an authorization policy the host refuses to start,
    /// unless <see cref="RegistryCredentialsApiOptions.AllowAnonymous"/> is true.
    /// </summary>
    /// <param name="endpoints">The application or a route group.</param>
    /// <param name="prefix">The route prefix. Default <c>/registries</c>.</param>
    /// <returns>The route group of the endpoints, for authorization, rate limiting and other conventions.</returns>
    /// <exception cref="RegistryCredentialsException">
    /// <see cref="RegistryErrorReason.Misconfigured"/>: <c>AddHttpApi()</c> was not called on the services.
    /// </exception>
    public static RouteGroupBuilder MapRegistryCredentialsApi(this IEndpointRouteBuilder endpoints, string prefix = "/registries")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(prefix);
        var mapped = Mapped(endpoints);
        var group = endpoints.MapGroup(prefix);
        group.WithMetadata(RegistryEndpointMetadata.Api).WithTags(RegistryApiEndpoints.Tag);
        RegistryApiEndpoints.Map(group, endpoints.ServiceProvider);
        mapped.AddApi(prefix);
        return group;
    }

    /// <summary>
    /// Maps the management page (plain HTML, CSS and JavaScript from the assembly) that calls the API mapped with
    /// <see cref="MapRegistryCredentialsApi"/>. Give it the same authorization as the API.
    /// </summary>
    /// <param name="endpoints">The application or a route group.</param>
    /// <param name="path">The page's path. Default <c>/registries-ui</c>.</param>
    /// <returns>The route group of the page, for authorization and other conventions.</returns>
    /// <exception cref="RegistryCredentialsException">
    /// <see cref="RegistryErrorReason.Misconfigured"/>: <c>AddHttpApi()</c> was not called on the services.
    /// </exception>
    public static RouteGroupBuilder MapRegistryCredentialsDashboard(this IEndpointRouteBuilder endpoints, string path = "/registries-ui")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(path);
        var mapped = Mapped(endpoints);
        var group = endpoints.MapGroup(path);
        group.WithMetadata(RegistryEndpointMetadata.Dashboard).ExcludeFromDescription();
        DashboardEndpoints.Map(group, endpoints.ServiceProvider);
        mapped.AddDashboard(path);
        return group;
    }

    private static MappedRegistryEndpoints Mapped(IEndpointRouteBuilder endpoints) =>
        endpoints.ServiceProvider.GetService<MappedRegistryEndpoints>() ?? throw RegistryApiErrors.Misconfigured(
            "The RegistryCredentials HTTP API services are missing: call services.AddRegistryCredentials(…).AddHttpApi(…) before mapping the endpoints.");
}
