using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace RegistryCredentials.AspNetCore.Internal;

/// <summary>
/// What was mapped, and the start-up check over it: every endpoint of the API and the page must have an authorization
/// policy unless the host allows anonymous access, and a page needs an API to call.
/// </summary>
internal sealed class MappedRegistryEndpoints(IOptions<RegistryCredentialsApiOptions> options, IOptions<AuthorizationOptions> authorization)
{
    private readonly List<string> _apiPrefixes = [];
    private readonly List<string> _dashboards = [];
    private readonly Lock _lock = new();
    private volatile string? _apiPath;
    private volatile bool _verified;

    public AuthorizationPolicy? FallbackPolicy => authorization.Value.FallbackPolicy;

    public RegistryCredentialsApiOptions Options => options.Value;

    public void AddApi(string prefix)
    {
        lock (_lock)
        {
            _apiPrefixes.Add(prefix);
        }
    }

    public void AddDashboard(string path)
    {
        lock (_lock)
        {
            _dashboards.Add(path);
        }
    }

    /// <summary>The API's base path (without the host's path base): the route of its collection endpoint.</summary>
    public string ApiPath(IServiceProvider services)
    {
        if (_apiPath is { } known)
        {
            return known;
        }

        string? path = null;
        if (services.GetService<EndpointDataSource>() is { } source)
        {
            foreach (var endpoint in source.Endpoints)
            {
                if (endpoint is RouteEndpoint route && route.RoutePattern.Parameters.Count == 0
                    && endpoint.Metadata.GetOrderedMetadata<RegistryEndpointMetadata>().Contains(RegistryEndpointMetadata.ApiRoot))
                {
                    path = "/" + (route.RoutePattern.RawText ?? string.Empty).Trim('/');
                    break;
                }
            }
        }

        lock (_lock)
        {
            path ??= _apiPrefixes.Count > 0 ? "/" + _apiPrefixes[0].Trim('/') : throw RegistryApiErrors.Misconfigured(
                "The registries page calls the Registries HTTP API: map it with MapRegistryCredentialsApi() too.");
        }

        _apiPath = path;
        return path;
    }

    /// <summary>
    /// The start-up check; throws a <see cref="RegistryErrorReason.Misconfigured"/>
    /// <see cref="RegistryCredentialsException"/> naming every unprotected endpoint.
    /// </summary>
    public void Verify(IServiceProvider services)
    {
        lock (_lock)
        {
            if (_apiPrefixes.Count == 0 && _dashboards.Count == 0)
            {
                _verified = true;
                return;
            }

            if (_apiPrefixes.Count == 0)
            {
                throw RegistryApiErrors.Misconfigured(
                    "The registries page (MapRegistryCredentialsDashboard) calls the Registries HTTP API: map it with MapRegistryCredentialsApi() too.");
            }
        }

        var ours = services.GetService<EndpointDataSource>()?.Endpoints.Where(EndpointGuard.IsOurs).ToList() ?? [];
        if (!options.Value.AllowAnonymous)
        {
            var fallback = FallbackPolicy;
            var open = ours.Where(e => !EndpointGuard.IsProtected(e, fallback)).Select(EndpointGuard.Describe).ToList();
            if (open.Count > 0)
            {
                throw RegistryApiErrors.Misconfigured(
                    "The RegistryCredentials endpoints would be reachable without authorization: " + string.Join(", ", open) + ". "
                    + "Chain .RequireAuthorization(…) on what MapRegistryCredentialsApi() and MapRegistryCredentialsDashboard() return "
                    + "(or set an AuthorizationOptions.FallbackPolicy); to allow anonymous access on purpose, set "
                    + "RegistryCredentialsApiOptions.AllowAnonymous = true (and do not use .AllowAnonymous() otherwise).");
            }
        }

        _verified = true;
    }

    /// <summary>The same check for one endpoint at request time, for hosts whose start-up did not run it.</summary>
    public void EnsureProtected(HttpContext context)
    {
        if (options.Value.AllowAnonymous)
        {
            return;
        }

        if (!_verified && context.GetEndpoint() is { } endpoint && !EndpointGuard.IsProtected(endpoint, FallbackPolicy))
        {
            throw RegistryApiErrors.Misconfigured(
                $"The RegistryCredentials endpoint {EndpointGuard.Describe(endpoint)} has no authorization policy: chain .RequireAuthorization(…) "
                + "on what MapRegistryCredentialsApi() and MapRegistryCredentialsDashboard() "
                + "return, or set RegistryCredentialsApiOptions.AllowAnonymous = true.");
        }
    }
}
