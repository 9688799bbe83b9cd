
namespace RegistryCredentials.Cli.Interop;

/// <summary>
/// Docker's server addresses (config-file keys and credential-helper server URLs) to and from scopes. This is the one
/// place that accepts URL-style input (<c>https://index.docker.io/v1/</c>, <c>http://host:5000/</c>): it reads what Docker
/// and containers-auth.json write. Everywhere else the library refuses a scheme.
/// </summary>
internal static class DockerServerAddress
{
    /// <summary>Docker Hub's key in config files and in the helper protocol.</summary>
    public const string DockerHubServerUrl = "https://index.docker.io/v1/";

    /// <summary>
    /// <c>https://index.docker.io/v1/</c> → <c>docker.io</c>; <c>http(s)://host[:port]/</c> → <c>host[:port]</c>; a
    /// <c>/v1/</c> or <c>/v2/</c> path means the host (as Docker and the kubelet read it); a further path is kept as a
    /// repository namespace (containers-auth.json's <c>host/namespace</c> keys).
    /// </summary>
    /// <exception cref="RegistryScopeFormatException">What remains is not a scope.</exception>
    public static RegistryScope ToScope(string serverAddress)
    {
        ArgumentNullException.ThrowIfNull(serverAddress);
        var text = serverAddress.Trim();
        foreach (var scheme in new[] { "https://", "http://" })
        {
            if (text.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
            {
                text = text[scheme.Length..];
                break;
            }
        }

        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var host = slash < 0 ? text : text[..slash];
        var path = slash < 0 ? string.Empty : text[(slash + 1)..].Trim('/');
        if (path is "v1" or "v2")
        {
            path = string.Empty;
        }
        else if (path.StartsWith("v1/", StringComparison.Ordinal) || path.StartsWith("v2/", StringComparison.Ordinal))
        {
            path = path[3..];
        }

        return RegistryScope.Parse(path.Length == 0 ? host : host + "/" + path);
    }

    /// <summary>The key Docker uses for a scope: <c>https://index.docker.io/v1/</c> for all of Docker Hub, else the scope text.</summary>
    public static string ToServerUrl(RegistryScope scope)
    {
        ArgumentNullException.ThrowIfNull(scope);
        return IsWholeDockerHub(scope) ? DockerHubServerUrl : scope.Value;
    }

    public static bool IsDockerHub(RegistryScope scope) => string.Equals(scope.Registry, "docker.io", StringComparison.Ordinal);

    public static bool IsWholeDockerHub(RegistryScope scope) => IsDockerHub(scope) && scope.Path.Length == 0;
}
