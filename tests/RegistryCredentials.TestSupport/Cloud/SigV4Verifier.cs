using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace RegistryCredentials.Tests.Support.Cloud;

/// <summary>
/// Checks an AWS Signature Version 4 the way AWS does, written from the specification and independent of the SDK that
/// signed the request: the canonical request (method, URI, query, the signed headers as received, payload hash), the
/// string to sign (algorithm, <c>X-Amz-Date</c>, credential scope, hash of the canonical request) and the signing key
/// derived from the secret (<c>HMAC("AWS4" + secret, date) → region → service → "aws4_request"</c>).
/// </summary>
public static partial class SigV4Verifier
{
    public const string Algorithm = "AWS4-HMAC-SHA256";

    public static SigV4Result Verify(HttpRequest request, byte[] body, Func<string, AwsTestKeys?> lookup, string expectedService)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (string.IsNullOrEmpty(authorization))
        {
            return SigV4Result.Fail("MissingAuthenticationTokenException", "Missing Authentication Token");
        }

        var match = AuthorizationHeader().Match(authorization);
        if (!match.Success)
        {
            return SigV4Result.Fail(
                "IncompleteSignatureException",
                "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' with AWS4-HMAC-SHA256.");
        }

        var accessKeyId = match.Groups["key"].Value;
        var date = match.Groups["date"].Value;
        var region = match.Groups["region"].Value;
        var service = match.Groups["service"].Value;
        var signedHeaderList = match.Groups["headers"].Value;
        var signature = match.Groups["signature"].Value;
        var keys = lookup(accessKeyId);
        if (keys is null)
        {
            return SigV4Result.Fail("UnrecognizedClientException", "The security token included in the request is invalid.", accessKeyId);
        }

        var sessionToken = request.Headers["X-Amz-Security-Token"].ToString();
        if (!string.Equals(sessionToken, keys.SessionToken ?? string.Empty, StringComparison.Ordinal))
        {
            return SigV4Result.Fail("UnrecognizedClientException", "The security token included in the request is invalid.", accessKeyId);
        }

        var amzDate = request.Headers["X-Amz-Date"].ToString();
        if (!DateTime.TryParseExact(
            amzDate,
            "yyyyMMdd'T'HHmmss'Z'",
            CultureInfo.InvariantCulture,
            DateTimeStyles.AdjustToUniversal,
            out _) || !amzDate.StartsWith(date, StringComparison.Ordinal))
        {
            return SigV4Result.Fail(
                "IncompleteSignatureException",
                $"X-Amz-Date '{amzDate}' is missing, malformed or not the credential scope's date {date}.",
                accessKeyId);
        }

        if (!string.Equals(service, expectedService, StringComparison.Ordinal))
        {
            return SigV4Result.Fail("InvalidSignatureException", $"Credential should be scoped to correct service: '{expectedService}'.", accessKeyId);
        }

        var signedHeaders = signedHeaderList.Split(';');
        if (!signedHeaders.SequenceEqual(signedHeaders.Order(StringComparer.Ordinal)) || signedHeaders.Any(h => h.Any(char.IsAsciiLetterUpper))
            || !signedHeaders.Contains("host") || !signedHeaders.Contains("x-amz-date")
            || (sessionToken.Length > 0 && !signedHeaders.Contains("x-amz-security-token")))
        {
            return SigV4Result.Fail(
                "InvalidSignatureException",
                "SignedHeaders must be lower-case, sorted, and include host, x-amz-date (and x-amz-security-token with a session).",
                accessKeyId);
        }

        var payloadHash = Hex(SHA256.HashData(body));
        var declaredHash = request.Headers["X-Amz-Content-SHA256"].ToString();
        if (declaredHash.Length > 0 && !string.Equals(declaredHash, payloadHash, StringComparison.Ordinal))
        {
            return SigV4Result.Fail("InvalidSignatureException", "The provided x-amz-content-sha256 header does not match what was computed.", accessKeyId);
        }

        var canonicalRequest = new StringBuilder()
            .Append(request.Method).Append('\n')
            .Append(CanonicalUri(request.Path.Value)).Append('\n')
            .Append(CanonicalQuery(request.QueryString.Value)).Append('\n');
        foreach (var name in signedHeaders)
        {
            var values = request.Headers[name];
            canonicalRequest.Append(name).Append(':')
                .Append(string.Join(',', values.Select(v => Spaces().Replace((v ?? string.Empty).Trim(), " "))))
                .Append('\n');
        }

        canonicalRequest.Append('\n').Append(signedHeaderList).Append('\n').Append(payloadHash);
        var scope = $"{date}/{region}/{service}/aws4_request";
        var stringToSign = $"{Algorithm}\n{amzDate}\n{scope}\n{Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest.ToString())))}";
        var signingKey = Hmac(Hmac(Hmac(Hmac(Encoding.UTF8.GetBytes("AWS4" + keys.SecretAccessKey), date), region), service), "aws4_request");
        var expected = Hex(Hmac(signingKey, stringToSign));
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(signature)))
        {
            return SigV4Result.Fail(
                "InvalidSignatureException",
                "The request signature we calculated does not match the signature you provided. Check your "
                + "AWS Secret Access Key and signing method. Consult the service documentation for details.",
                accessKeyId);
        }

        return new SigV4Result(true, null, null, accessKeyId, region, service, sessionToken.Length > 0 ? sessionToken : null, signedHeaders, amzDate);
    }

    private static string CanonicalUri(string? path)
    {
        if (string.IsNullOrEmpty(path))
        {
            return "/";
        }

        return string.Join('/', path.Split('/').Select(segment => Uri.EscapeDataString(Uri.UnescapeDataString(segment))));
    }

    private static string CanonicalQuery(string? query)
    {
        if (string.IsNullOrEmpty(query) || query == "?")
        {
            return string.Empty;
        }

        return string.Join('&', query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair =>
            {
                var equals = pair.IndexOf('=', StringComparison.Ordinal);
                var key = Uri.UnescapeDataString(equals < 0 ? pair : pair[..equals]);
                var value = equals < 0 ? string.Empty : Uri.UnescapeDataString(pair[(equals + 1)..]);
                return (Key: Uri.EscapeDataString(key), Value: Uri.EscapeDataString(value));
            })
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .ThenBy(p => p.Value, StringComparer.Ordinal)
            .Select(p => p.Key + "=" + p.Value));
    }

    private static byte[] Hmac(byte[] key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);

    [GeneratedRegex(
        @"^AWS4-HMAC-SHA256 Credential=(?<key>[A-Za-z0-9]+)/(?<date>\d{8})/(?<region>[a-z0-9-]+)/(?<service>[a-z0-9-]+)/aws4_request,"
        + @"\s*SignedHeaders=(?<headers>[a-z0-9;-]+),\s*Signature=(?<signature>[0-9a-f]{64})$")]
    private static partial Regex AuthorizationHeader();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
