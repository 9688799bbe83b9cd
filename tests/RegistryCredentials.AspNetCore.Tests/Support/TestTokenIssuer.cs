using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace RegistryCredentials.AspNetCore.Tests.Support;

/// <summary>
/// A token issuer for one test run: an RSA key made per run (its public half written as PEM for the server's
/// <c>RegistryServer:Jwt:SigningKeyFiles</c>), RS256 JWTs as RFC 7519/7515 define them (header.payload.signature,
/// base64url, PKCS#1 v1.5 with SHA-256).
/// </summary>
public sealed class TestTokenIssuer : IDisposable
{
    public const string Issuer = "https://issuer.test.invalid/";
    public const string Audience = "registry-server";

    private readonly RSA _key = RSA.Create(2048);

    public TestTokenIssuer(string directory)
    {
        PublicKeyPath = Path.Combine(directory, "token-signing.pem");
        File.WriteAllText(PublicKeyPath, _key.ExportSubjectPublicKeyInfoPem());
    }

    public string PublicKeyPath { get; }

    /// <summary>A token valid for ten minutes from now; <paramref name="claims"/> adds or replaces claims (null removes one).</summary>
    public string Issue(string subject, IReadOnlyDictionary<string, object?>? claims = null)
    {
        var now = TimeProvider.System.GetUtcNow().ToUnixTimeSeconds();
        var payload = new Dictionary<string, object?>
        {
            ["iss"] = Issuer, ["aud"] = Audience, ["sub"] = subject, ["iat"] = now, ["nbf"] = now - 5, ["exp"] = now + 600,
        };
        foreach (var (name, value) in claims ?? new Dictionary<string, object?>())
        {
            if (value is null)
            {
                payload.Remove(name);
            }
            else
            {
                payload[name] = value;
            }
        }

        return Sign(_key, payload);
    }

    /// <summary>A token signed with <paramref name="key"/> (another issuer's) instead of this issuer's key.</summary>
    public static string Sign(RSA key, IReadOnlyDictionary<string, object?> payload)
    {
        var header = Base64Url(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["alg"] = "RS256", ["typ"] = "JWT" }));
        var body = Base64Url(JsonSerializer.SerializeToUtf8Bytes(payload));
        var signature = key.SignData(Encoding.ASCII.GetBytes(header + "." + body), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return header + "." + body + "." + Base64Url(signature);
    }

    public void Dispose() => _key.Dispose();

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
