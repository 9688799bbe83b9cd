namespace RegistryCredentials.Internal;

/// <summary>Maps registry types to their providers; the provider registered last wins for a type.</summary>
internal static class ProviderMap
{
    public static Dictionary<RegistryType, RegistryCredentialProvider> Create(IEnumerable<RegistryCredentialProvider> providers)
    {
        var map = new Dictionary<RegistryType, RegistryCredentialProvider>();
        foreach (var provider in providers)
        {
            map[provider.Type] = provider;
        }

        return map;
    }
}
