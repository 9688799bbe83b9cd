using System.Globalization;

namespace RegistryCredentials.AspNetCore.Internal;

/// <summary>Checks settings written through the API with the same rules the options validator applies, normalising each scope.</summary>
internal static class SettingsRules
{
    public const int MaxAllowedRegistries = 1000;

    public static RegistrySettings Check(RegistrySettingsDocument document)
    {
        string? defaultRegistry = null;
        if (!string.IsNullOrWhiteSpace(document.DefaultRegistry))
        {
            var scope = RegistryScope.Parse(document.DefaultRegistry.Trim());
            if (scope.IsGlob || scope.Path.Length > 0)
            {
                throw new ApiProblemException(
                    400, RegistryProblemTypes.InvalidScope, "Invalid registry scope",
                    $"The default registry '{document.DefaultRegistry}' must be a registry host[:port], without '*' or a path.", "default_registry");
            }

            defaultRegistry = scope.Value;
        }

        var allowed = new List<string>();
        var items = document.AllowedRegistries ?? [];
        if (items.Count > MaxAllowedRegistries)
        {
            throw ApiProblemException.InvalidField(
                "allowed_registries",
                $"At most {MaxAllowedRegistries} allowed registries can be listed, not {items.Count}.");
        }

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
                throw new ApiProblemException(
                    400, RegistryProblemTypes.InvalidScope, "Invalid registry scope",
                    string.Create(CultureInfo.InvariantCulture, $"allowed_registries[{i}]: {e.Message}"), "allowed_registries");
            }

            if (!allowed.Contains(scope.Value, StringComparer.Ordinal))
            {
                allowed.Add(scope.Value);
            }
        }

        return new RegistrySettings { DefaultRegistry = defaultRegistry, AllowedRegistries = allowed };
    }
}
