
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
    /// <c>/v1/</c> or <c>/v2/</c> path means the host (as Docker and the kubelet read it); a further path is a namespace key
    /// of containers-auth.json (<c>quay.io/ns</c>), which covers the repositories below it: the subtree <c>quay.io/ns/*</c>.
    /// containers/image looks a reference up under its repository and then each parent path, whole segments
    /// (pkg/docker/config/config.go, authKeyLookupOrder; docs/containers-auth.json.5.md), so such a key also covers the
    /// repository of the same name: see <see cref="RepositoryTwin"/>.
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

        return RegistryScope.Parse(path.Length == 0 ? host : host + "/" + path + "/*");
    }

    /// <summary>
    /// The repository a containers-auth.json namespace key also covers, as a scope (<c>quay.io/ns/*</c> → <c>quay.io/ns</c>),
    /// or null: for a registry, and for a one-segment Docker Hub namespace (<c>docker.io/acme/*</c>), whose repository
    /// would be <c>docker.io/library/acme</c>, which the key <c>docker.io/acme</c> never matches there.
    /// </summary>
    public static RegistryScope? RepositoryTwin(RegistryScope subtree)
    {
        ArgumentNullException.ThrowIfNull(subtree);
        if (subtree.Kind != RegistryScopeKind.Subtree || (IsDockerHub(subtree) && !subtree.Path.Contains('/', StringComparison.Ordinal)))
        {
            return null;
        }

        return RegistryScope.Parse(subtree.Registry + "/" + subtree.Path);
    }

    /// <summary>
    /// The key Docker uses for a scope: <c>https://index.docker.io/v1/</c> for all of Docker Hub, <c>host[:port]</c> for a
    /// registry, and the containers-auth.json namespace key <c>host[:port]/path</c> for a subtree or a repository (that key
    /// covers the repository <c>path</c> and everything below it).
    /// </summary>
    public static string ToServerUrl(RegistryScope scope)
    {
        ArgumentNullException.ThrowIfNull(scope);
        return IsWholeDockerHub(scope) ? DockerHubServerUrl
            : scope.Kind == RegistryScopeKind.Registry ? scope.Value
            : scope.Registry + "/" + scope.Path;
    }

    public static bool IsDockerHub(RegistryScope scope) => string.Equals(scope.Registry, "docker.io", StringComparison.Ordinal);

    public static bool IsWholeDockerHub(RegistryScope scope) => IsDockerHub(scope) && scope.Path.Length == 0;
}
