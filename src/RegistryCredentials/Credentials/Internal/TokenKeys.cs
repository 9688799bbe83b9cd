namespace RegistryCredentials.Internal;

/// <summary>
/// The keys of <see cref="RegistryTokenCache"/> that this package makes itself: the registry bearer tokens fetched from a
/// token realm (<see cref="ForToken"/>).
/// </summary>
internal static class TokenKeys
{
    /// <summary>
    /// A bearer token fetched for a repository scope at an origin with an entry's credential (or anonymously, with no
    /// entry): the entry's account and scope make the manager drop it with the entry's other tokens, and its version is a
    /// part, so a token made with an older version of the entry is not reused. No secret is in the key, so the parts are
    /// kept as they are (no hash on the handler's hot path).
    /// </summary>
    public static RegistryTokenKey ForToken(string account, RegistryEntry? entry, string origin, string? scope) =>
        new(account, entry?.Scope, null, (entry?.Version ?? 0) + "\n" + origin + "\n" + scope);
}
