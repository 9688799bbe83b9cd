using System.Security.Cryptography;

namespace RegistryCredentials.Tests.Support.Cloud;

/// <summary>Test credentials made up per run: nothing that looks like a real AWS key is committed.</summary>
public sealed record AwsTestKeys(string AccessKeyId, string SecretAccessKey, string? SessionToken = null)
{
    private const string KeyIdAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    /// <summary>Long-term keys: an <c>AKIA…</c> key id (20 characters, like AWS's) and a 40-character secret.</summary>
    public static AwsTestKeys NewLongTerm() => new("AKIA" + Random(KeyIdAlphabet, 16), RandomSecret());

    /// <summary>Temporary keys: an <c>ASIA…</c> key id, a secret and a session token.</summary>
    public static AwsTestKeys NewSession() => new(
        "ASIA" + Random(KeyIdAlphabet, 16),
        RandomSecret(),
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(96)));

    /// <summary>A 12-digit account id.</summary>
    public static string NewAccountId() => Random("0123456789", 12);

    private static string RandomSecret() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(30)); // 40 characters

    private static string Random(string alphabet, int length) => RandomNumberGenerator.GetString(alphabet, length);
}
