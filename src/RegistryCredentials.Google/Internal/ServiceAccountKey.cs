using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace RegistryCredentials.Google.Internal;

/// <summary>
/// A service-account key file, checked: JSON (after base64 decoding for <c>_json_key_base64</c>), <c>type</c> =
/// <c>service_account</c>, a <c>client_email</c> and a PEM RSA <c>private_key</c>. Every error message is made of fixed
/// text and positions only, and no exception from the parsers is attached, so nothing of the key can leak through one.
/// </summary>
internal sealed partial class ServiceAccountKey
{
    /// <summary>Far larger than any real key file (about 2.3 KB): the manager's limit for every password or key file.</summary>
    public const int MaxLength = RegistryEntryLimits.MaxPasswordBytes;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private ServiceAccountKey(string json, string clientEmail, Uri? tokenUri, string fingerprint)
    {
        Json = json;
        ClientEmail = clientEmail;
        TokenUri = tokenUri;
        Fingerprint = fingerprint;
    }

    /// <summary>The key file (decoded).</summary>
    public string Json { get; }

    /// <summary>The service account's e-mail address (not a secret).</summary>
    public string ClientEmail { get; }

    /// <summary>The key's <c>token_uri</c>, or null when it has none.</summary>
    public Uri? TokenUri { get; }

    /// <summary>SHA-256 of the key file, hex: distinguishes keys in cache keys; never logged.</summary>
    public string Fingerprint { get; }

    /// <summary>Never shows the key.</summary>
    public override string ToString() => "service-account key of " + ClientEmail;

    /// <summary>Checks and parses the password of a <c>_json_key</c> or <c>_json_key_base64</c> entry.</summary>
    /// <exception cref="GoogleCredentialException">Not a usable key (<see cref="GoogleCredentialError.InvalidKey"/>).</exception>
    public static ServiceAccountKey Parse(string username, RegistrySecret secret)
    {
        var text = secret.Reveal();
        var base64 = string.Equals(username, GoogleUsernames.JsonKeyBase64, StringComparison.Ordinal);
        if (text.Length > (base64 ? MaxLength * 4 / 3 + 4096 : MaxLength))
        {
            throw Invalid(username, $"it is longer than {MaxLength / 1024} KiB");
        }

        var json = base64 ? DecodeBase64(text) : text;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException e)
        {
            var where = e.LineNumber is { } line && e.BytePositionInLine is { } position
                ? $" (line {line + 1}, byte {position + 1})"
                : string.Empty;
            var hint = !base64 && LooksLikeBase64(text) ? $"; a base64-encoded key needs the user name {GoogleUsernames.JsonKeyBase64}" : string.Empty;
            throw Invalid(username, "it is not valid JSON" + where + hint);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Invalid(username, "it is JSON but not an object");
            }

            var type = String(root, "type") ?? throw Invalid(username, "it has no \"type\" field (a key file has \"type\": \"service_account\")");
            if (!string.Equals(type, "service_account", StringComparison.Ordinal))
            {
                var named = CredentialTypeName().IsMatch(type) ? $"\"{type}\"" : "another kind of";
                var hint = string.Equals(type, "authorized_user", StringComparison.Ordinal)
                    ? $"; a gcloud user login cannot be stored: create a service-account key, or "
                        + $"use {GoogleUsernames.ApplicationDefault} with Application Default Credentials"
                    : string.Empty;
                throw Invalid(username, $"it is a {named} credential, not a service-account key (\"type\" must be \"service_account\"){hint}");
            }

            var clientEmail = String(root, "client_email");
            if (string.IsNullOrEmpty(clientEmail))
            {
                throw Invalid(username, "it has no \"client_email\"");
            }

            if (clientEmail.Length > 256 || !clientEmail.Contains(
                '@',
                StringComparison.Ordinal) || clientEmail.Any(c => char.IsControl(c) || char.IsWhiteSpace(c)))
            {
                throw Invalid(username, "its \"client_email\" is not an e-mail address");
            }

            var privateKey = String(root, "private_key");
            if (string.IsNullOrEmpty(privateKey))
            {
                throw Invalid(username, "it has no \"private_key\"");
            }

            CheckPrivateKey(username, privateKey);

            Uri? tokenUri = null;
            if (root.TryGetProperty("token_uri", out var tokenUriElement) && tokenUriElement.ValueKind != JsonValueKind.Null)
            {
                if (tokenUriElement.ValueKind != JsonValueKind.String
                    || !Uri.TryCreate(tokenUriElement.GetString(), UriKind.Absolute, out tokenUri)
                    || (tokenUri.Scheme != Uri.UriSchemeHttps && tokenUri.Scheme != Uri.UriSchemeHttp))
                {
                    throw Invalid(username, "its \"token_uri\" is not an http(s) URI");
                }
            }

            var fingerprint = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(json)));
            return new ServiceAccountKey(json, clientEmail, tokenUri, fingerprint);
        }
    }

    private static GoogleCredentialException Invalid(string username, string why) => new(
        GoogleCredentialError.InvalidKey,
        $"The password of a Google entry with user name {username} must be a service-account key "
        + $"file{(username == GoogleUsernames.JsonKeyBase64 ? ", base64-encoded" : string.Empty)}, but {why}.");

    private static string DecodeBase64(string text)
    {
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(text.Trim());
        }
        catch (FormatException)
        {
            throw Invalid(
                GoogleUsernames.JsonKeyBase64,
                "it is not valid base64"
                    + (text.TrimStart().StartsWith('{') ? $"; a key file as is needs the user name {GoogleUsernames.JsonKey}" : string.Empty));
        }

        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw Invalid(GoogleUsernames.JsonKeyBase64, "it does not decode to UTF-8 text");
        }
    }

    private static void CheckPrivateKey(string username, string pem)
    {
        try
        {
            using var rsa = RSA.Create();
            rsa.ImportFromPem(pem);
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            throw Invalid(username, "its \"private_key\" is not a PEM RSA private key");
        }
    }

    private static string? String(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static bool LooksLikeBase64(string text) => text.Length >= 16 && Base64Text().IsMatch(text.Trim());

    [GeneratedRegex("^[a-z_]{1,40}$", RegexOptions.CultureInvariant)]
    private static partial Regex CredentialTypeName();

    [GeneratedRegex(@"^[A-Za-z0-9+/=\s]+$", RegexOptions.CultureInvariant)]
    private static partial Regex Base64Text();
}
