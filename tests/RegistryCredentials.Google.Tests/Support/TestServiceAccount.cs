using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace RegistryCredentials.Google.Tests.Support;

/// <summary>
/// A service-account key file made for one test run: a fresh RSA 2048 key, a random client e-mail and key id, and a
/// <c>token_uri</c> pointing at a local OAuth endpoint. Nothing of it is ever committed.
/// </summary>
public sealed class TestServiceAccount : IDisposable
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };
    private readonly List<string> _files = [];

    private TestServiceAccount(Uri tokenUri, string? type, bool withClientEmail, bool withPrivateKey, string? privateKeyOverride)
    {
        Rsa = RSA.Create(2048);
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        ClientEmail = $"puller-{id}@test-project-{id}.iam.gserviceaccount.com";
        PrivateKeyId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20));
        PrivateKeyPem = Rsa.ExportPkcs8PrivateKeyPem() + "\n";
        TokenUri = tokenUri;
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        if (type is not null)
        {
            fields["type"] = type;
        }

        fields["project_id"] = "test-project-" + id;
        fields["private_key_id"] = PrivateKeyId;
        if (withPrivateKey)
        {
            fields["private_key"] = privateKeyOverride ?? PrivateKeyPem;
        }

        if (withClientEmail)
        {
            fields["client_email"] = ClientEmail;
        }

        fields["client_id"] = string.Concat(Enumerable.Range(0, 21).Select(_ => (char)('0' + RandomNumberGenerator.GetInt32(10))));
        fields["auth_uri"] = "https://accounts.google.com/o/oauth2/auth";
        fields["token_uri"] = tokenUri.AbsoluteUri;
        fields["auth_provider_x509_cert_url"] = "https://www.googleapis.com/oauth2/v1/certs";
        fields["universe_domain"] = "googleapis.com";
        Json = JsonSerializer.Serialize(fields, Indented) + "\n";
    }

    public RSA Rsa { get; }

    public string ClientEmail { get; }

    public string PrivateKeyId { get; }

    public string PrivateKeyPem { get; }

    public Uri TokenUri { get; }

    /// <summary>The key file, as Google's console downloads it.</summary>
    public string Json { get; }

    /// <summary>The key file, base64-encoded (what <c>_json_key_base64</c> takes).</summary>
    public string Base64 => Convert.ToBase64String(Encoding.UTF8.GetBytes(Json));

    /// <summary>Every piece of the key that must never show up in a log line, an exception, <c>ToString()</c> or JSON.</summary>
    public IReadOnlyList<string> SecretFragments =>
    [
        Json,
        Base64,
        Convert.ToBase64String(Encoding.UTF8.GetBytes("_json_key:" + Json)),
        PrivateKeyId,
        .. PrivateKeyPem.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(line => !line.StartsWith("-----", StringComparison.Ordinal)),
    ];

    public static TestServiceAccount Create(Uri tokenUri) => new(tokenUri, "service_account", true, true, null);

    /// <summary>A key file with something wrong, for the checks on add.</summary>
    public static TestServiceAccount CreateBroken(
        Uri tokenUri,
        string? type = "service_account",
        bool withClientEmail = true,
        bool withPrivateKey = true,
        string? privateKey = null) =>
        new(tokenUri, type, withClientEmail, withPrivateKey, privateKey);

    /// <summary>Writes the key file to a temp file (deleted by <see cref="Dispose"/>), for <c>GOOGLE_APPLICATION_CREDENTIALS</c>.</summary>
    public string WriteFile()
    {
        var path = Path.Combine(Path.GetTempPath(), "rc-gcp-key-" + Guid.NewGuid().ToString("N") + ".json");
        File.WriteAllText(path, Json);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        _files.Add(path);
        return path;
    }

    public override string ToString() => "test service account " + ClientEmail;

    public void Dispose()
    {
        foreach (var file in _files)
        {
            File.Delete(file);
        }

        Rsa.Dispose();
    }
}
