namespace RegistryCredentials.Internal;

/// <summary>A policy parsed once for the hot path: the default registry and the allow-list as scopes.</summary>
internal sealed class PolicyRules
{
    public PolicyRules(RegistryScope? defaultRegistry, RegistryScope[] allowed, bool restricted)
    {
        DefaultRegistry = defaultRegistry;
        Allowed = allowed;
        Restricted = restricted || allowed.Length > 0;
    }

    /// <summary>The default registry, or null for Docker Hub.</summary>
    public RegistryScope? DefaultRegistry { get; }

    public RegistryScope[] Allowed { get; }

    /// <summary>True when an allow-list applies (even one whose stored items could not be read: it then allows nothing).</summary>
    public bool Restricted { get; }

    /// <summary>
    /// Parses a stored policy. An item that does not parse (a store written by hand) is left out, but the list still
    /// restricts: a damaged allow-list never widens into "every registry".
    /// </summary>
    public static PolicyRules FromStored(RegistryPolicy policy)
    {
        RegistryScope? defaultRegistry = null;
        if (RegistryScope.TryParse(policy.DefaultRegistry, out var scope) && !scope.IsGlob && scope.Path.Length == 0
            && scope.Registry != Grammar.DockerHub)
        {
            defaultRegistry = scope;
        }

        var allowed = new List<RegistryScope>(policy.AllowedRegistries.Count);
        foreach (var item in policy.AllowedRegistries)
        {
            if (RegistryScope.TryParse(item, out var parsed))
            {
                allowed.Add(parsed);
            }
        }

        return new PolicyRules(defaultRegistry, [.. allowed], policy.AllowedRegistries.Count > 0);
    }

    public bool IsAllowed(string host, int? port, string repository)
    {
        if (!Restricted)
        {
            return true;
        }

        foreach (var scope in Allowed)
        {
            if (scope.Matches(host, port, repository))
            {
                return true;
            }
        }

        return false;
    }
}
