using System.Globalization;

namespace RegistryCredentials.Internal;

/// <summary>Checks and canonicalises the fields of a <see cref="RegistryPolicyUpdate"/>, with the options validator's rules.</summary>
internal static class PolicyText
{
    public const string DefaultRegistryField = nameof(RegistryPolicyUpdate.DefaultRegistry);
    public const string AllowedRegistriesField = nameof(RegistryPolicyUpdate.AllowedRegistries);

    /// <summary>The canonical default registry: null for Docker Hub.</summary>
    /// <exception cref="RegistryFieldException">Not a registry host[:port].</exception>
    public static string? DefaultRegistry(string value)
    {
        var text = value.Trim();
        if (text.Length == 0)
        {
            return null;
        }

        RegistryScope scope;
        try
        {
            scope = RegistryScope.Parse(text);
        }
        catch (RegistryScopeFormatException e)
        {
            throw new RegistryFieldException(DefaultRegistryField, RegistryFieldProblem.Invalid, $"The default registry '{value}' is not valid: {e.Message}");
        }

        if (scope.IsGlob || scope.Path.Length > 0)
        {
            throw new RegistryFieldException(
                DefaultRegistryField, RegistryFieldProblem.Invalid, $"The default registry '{value}' must be a registry host[:port], without '*' or a path.");
        }

        return scope.Registry == Grammar.DockerHub ? null : scope.Value;
    }

    /// <summary>The canonical allow-list: blank items skipped, duplicates kept once, in the order given.</summary>
    /// <exception cref="RegistryFieldException">Too many items, or an item is not a scope.</exception>
    public static string[] AllowedRegistries(IReadOnlyList<string> items)
    {
        if (items.Count > RegistryPolicyUpdate.MaxAllowedRegistries)
        {
            throw new RegistryFieldException(
                AllowedRegistriesField,
                RegistryFieldProblem.TooLarge,
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"At most {RegistryPolicyUpdate.MaxAllowedRegistries} allowed registries can be listed, not {items.Count}."));
        }

        var allowed = new List<string>(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(items[i]))
            {
                continue;
            }

            RegistryScope scope;
            try
            {
                scope = RegistryScope.Parse(items[i].Trim());
            }
            catch (RegistryScopeFormatException e)
            {
                throw new RegistryFieldException(
                    AllowedRegistriesField, RegistryFieldProblem.Invalid, string.Create(CultureInfo.InvariantCulture, $"AllowedRegistries[{i}]: {e.Message}"));
            }

            if (!allowed.Contains(scope.Value, StringComparer.Ordinal))
            {
                allowed.Add(scope.Value);
            }
        }

        return [.. allowed];
    }
}
