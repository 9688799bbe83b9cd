namespace RegistryCredentials.Internal;

/// <summary>
/// Keys of <see cref="RegistryTokenCache"/> entries made by this package: account, entry scope and version first, so
/// that changing or deleting an entry drops every token made from it (<see cref="ForEntry"/> is the prefix).
/// </summary>
internal static class TokenKeys
{
    public static string ForEntry(string account, RegistryScope? scope) => account + "\n" + (scope?.Value ?? "-") + "\n";

    public static string ForToken(string account, RegistryEntry? entry, string origin, string? scope) =>
        ForEntry(account, entry?.Scope) + (entry?.Version ?? 0) + "\n" + origin + "\n" + scope;
}
