namespace RegistryCredentials.Internal;

/// <summary><see cref="RegistryCredentialsOptions"/> parsed once for the hot path.</summary>
internal sealed class ResolverSettings
{
    private ResolverSettings(RegistryScope? defaultRegistry, RegistryScope[] allowed, bool skipInactive, string account)
    {
        DefaultRegistry = defaultRegistry;
        Allowed = allowed;
        SkipInactive = skipInactive;
        Account = account;
        Policy = new PolicyRules(defaultRegistry, allowed, restricted: false);
    }

    /// <summary>The default registry, or null for Docker Hub.</summary>
    public RegistryScope? DefaultRegistry { get; }

    public RegistryScope[] Allowed { get; }

    public bool SkipInactive { get; }

    public string Account { get; }

    /// <summary>The policy of the options: in force until a policy is stored.</summary>
    public PolicyRules Policy { get; }

    /// <summary>Parses options, collecting every error.</summary>
    public static ResolverSettings Create(RegistryCredentialsOptions options, List<string>? errors)
    {
        RegistryScope? defaultRegistry = null;
        if (!string.IsNullOrEmpty(options.DefaultRegistry)
            && ParseScope(nameof(options.DefaultRegistry), options.DefaultRegistry, errors) is { } scope)
        {
            if (scope.IsGlob || scope.Path.Length > 0)
            {
                errors?.Add($"{nameof(options.DefaultRegistry)} '{options.DefaultRegistry}' must be a registry host[:port], without '*' or a path.");
            }
            else if (scope.Registry != Grammar.DockerHub)
            {
                defaultRegistry = scope;
            }
        }

        var allowed = new List<RegistryScope>();
        for (var i = 0; i < options.AllowedRegistries.Count; i++)
        {
            if (ParseScope($"{nameof(options.AllowedRegistries)}[{i}]", options.AllowedRegistries[i], errors) is { } item)
            {
                allowed.Add(item);
            }
        }

        if (options.ValidationTimeout <= TimeSpan.Zero || options.ValidationTimeout > TimeSpan.FromMinutes(10))
        {
            errors?.Add($"{nameof(options.ValidationTimeout)} must be more than zero and at most 10 minutes, not {options.ValidationTimeout}.");
        }

        if (!RegistryAccounts.IsValid(options.Account))
        {
            errors?.Add($"{nameof(options.Account)} '{options.Account}' is not a valid account name: use 1-128 letters, digits, '.', '_', '-' or '@'.");
        }

        return new ResolverSettings(defaultRegistry, [.. allowed], options.SkipInactiveEntries, options.Account);
    }

    private static RegistryScope? ParseScope(string option, string? value, List<string>? errors)
    {
        try
        {
            return RegistryScope.Parse(value ?? string.Empty);
        }
        catch (RegistryScopeFormatException e)
        {
            errors?.Add($"{option}: {e.Message}");
            return null;
        }
    }

    public bool IsAllowed(string host, int? port, string repository)
    {
        if (Allowed.Length == 0)
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
