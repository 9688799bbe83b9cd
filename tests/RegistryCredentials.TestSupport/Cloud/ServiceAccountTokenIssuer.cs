using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace RegistryCredentials.Tests.Support.Cloud;

/// <summary>
/// A Kubernetes cluster's service-account token issuer, made up per run: an RSA key, its key id and the cluster's OIDC
/// issuer URL. <see cref="Issue"/> writes a projected service-account token as the kubelet does (RS256, header
/// <c>kid</c>; claims <c>iss sub aud exp iat nbf</c> and <c>kubernetes.io</c> {namespace, pod, serviceaccount}), and
/// <see cref="Validate"/> checks one the way a relying party does: signature with the issuer's key, issuer, audience
/// (a string or an array, RFC 7519 §4.1.3), expiry and not-before. Tokens are checked against the real clock, as the
/// services that read them (STS, the Pod Identity agent) have no test clock.
/// </summary>
public sealed class ServiceAccountTokenIssuer : IDisposable
{
    private readonly RSA _key = RSA.Create(2048);

    /// <summary>An EKS-style OIDC issuer URL with a random cluster id.</summary>
    public string Issuer { get; } = "https://oidc.eks.us-east-1.amazonaws.com/id/" + Convert.ToHexString(RandomNumberGenerator.GetBytes(16));

    /// <summary>The key id: 40 lower-case hex characters, the form the EKS Pod Identity agent requires.</summary>
    public string KeyId { get; } = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20));

    public string Namespace { get; } = "registry";

    public string ServiceAccount { get; } = "puller";

    /// <summary><c>system:serviceaccount:&lt;namespace&gt;:&lt;name&gt;</c>.</summary>
    public string Subject => $"system:serviceaccount:{Namespace}:{ServiceAccount}";

    /// <summary>A token for <paramref name="audience"/>, valid from now for <paramref name="lifetime"/> (negative: already expired).</summary>
    public string Issue(string audience, TimeSpan? lifetime = null, RSA? signWith = null, string? issuer = null)
    {
        var now = TimeProvider.System.GetUtcNow().ToUnixTimeSeconds();
        var header = new JsonObject { ["alg"] = "RS256", ["kid"] = KeyId };
        var claims = new JsonObject
        {
            ["aud"] = new JsonArray(audience),
            ["exp"] = now + (long)(lifetime ?? TimeSpan.FromHours(1)).TotalSeconds,
            ["iat"] = now - 60,
            ["iss"] = issuer ?? Issuer,
            ["kubernetes.io"] = new JsonObject
            {
                ["namespace"] = Namespace,
                ["pod"] = new JsonObject { ["name"] = "puller-7d9f", ["uid"] = Guid.NewGuid().ToString() },
                ["serviceaccount"] = new JsonObject { ["name"] = ServiceAccount, ["uid"] = Guid.NewGuid().ToString() },
            },
            ["nbf"] = now - 60,
            ["sub"] = Subject,
        };
        var signingInput = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(header.ToJsonString()))
            + "."
            + Base64Url.EncodeToString(Encoding.UTF8.GetBytes(claims.ToJsonString()));
        var signature = (signWith ?? _key).SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return signingInput + "." + Base64Url.EncodeToString(signature);
    }

    /// <summary>
    /// Checks a token: three base64url parts, <c>alg</c> RS256 and this issuer's <c>kid</c>, a valid signature with this
    /// issuer's key, <c>iss</c>, <paramref name="audience"/> among <c>aud</c>, and now within <c>nbf</c>..<c>exp</c>.
    /// Returns the claims, or null and what is wrong.
    /// </summary>
    public JsonObject? Validate(string token, string audience, out TokenProblem problem)
    {
        problem = TokenProblem.Malformed;
        var parts = token.Split('.');
        if (parts.Length != 3)
        {
            return null;
        }

        JsonObject header;
        JsonObject claims;
        byte[] signature;
        try
        {
            header = JsonNode.Parse(Base64Url.DecodeFromChars(parts[0]))!.AsObject();
            claims = JsonNode.Parse(Base64Url.DecodeFromChars(parts[1]))!.AsObject();
            signature = Base64Url.DecodeFromChars(parts[2]);
        }
        catch (Exception e) when (e is FormatException or JsonException or InvalidOperationException or NullReferenceException)
        {
            return null;
        }

        if ((string?)header["alg"] != "RS256" || (string?)header["kid"] != KeyId
            || !_key.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1))
        {
            problem = TokenProblem.BadSignature;
            return null;
        }

        if ((string?)claims["iss"] != Issuer)
        {
            problem = TokenProblem.WrongIssuer;
            return null;
        }

        var audiences = claims["aud"] switch
        {
            JsonArray array => array.Select(a => (string?)a).ToArray(),
            JsonValue value => [(string?)value],
            _ => [],
        };
        if (!audiences.Contains(audience))
        {
            problem = TokenProblem.WrongAudience;
            return null;
        }

        var now = TimeProvider.System.GetUtcNow().ToUnixTimeSeconds();
        if (claims["exp"] is not JsonValue exp || exp.GetValue<long>() <= now)
        {
            problem = TokenProblem.Expired;
            return null;
        }

        if (claims["nbf"] is JsonValue nbf && nbf.GetValue<long>() > now)
        {
            problem = TokenProblem.NotYetValid;
            return null;
        }

        problem = TokenProblem.None;
        return claims;
    }

    public void Dispose() => _key.Dispose();
}
