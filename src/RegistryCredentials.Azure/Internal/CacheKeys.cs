using System.Security.Cryptography;
using System.Text;

namespace RegistryCredentials.Azure.Internal;

/// <summary>
/// Keys of the ACR refresh tokens in <see cref="RegistryTokenCache"/>. They start with the core's per-entry prefix
/// (<c>account \n scope \n</c>), so that the manager's eviction on update, deactivate and delete drops them too, then
/// <c>acr \n</c> and a keyed hash of everything that changes the token (user name, secret, TLS settings): a check of an
/// updated entry never reuses the token of its old settings, and the token made when an entry is added serves its first
/// pulls.
/// </summary>
internal static class CacheKeys
{
    private static readonly byte[] HashKey = RandomNumberGenerator.GetBytes(32);

    /// <summary>The prefix of this provider's tokens for an entry, under the core's per-entry prefix.</summary>
    public static string ProviderPrefix(RegistryEntry entry) => RegistryTokenCache.EntryKeyPrefix(entry) + "acr\n";

    public static string For(RegistryEntry entry, RegistrySecret secret)
    {
        var material = string.Join(
            '\0',
            entry.Type.Value,
            entry.Username,
            secret.Reveal(),
            entry.VerifyTls ? "verify" : "skip",
            entry.InsecureHttp ? "http" : "https",
            entry.CaCertificates ?? string.Empty);
        return ProviderPrefix(entry) + Convert.ToHexStringLower(HMACSHA256.HashData(HashKey, Encoding.UTF8.GetBytes(material)));
    }
}
