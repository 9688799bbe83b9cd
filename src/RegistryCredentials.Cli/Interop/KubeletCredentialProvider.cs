using System.Text.Json;
using RegistryCredentials.Cli.Cli;
using RegistryCredentials.Cli.Hosting;

namespace RegistryCredentials.Cli.Interop;

/// <summary>
/// The kubelet credential-provider plugin (<c>regcred kubelet-credential-provider</c>): a <c>CredentialProviderRequest</c>
/// on stdin, a <c>CredentialProviderResponse</c> on stdout. References naming no registry are Docker Hub here (the
/// container runtime pulls them from there; the default-registry setting does not apply). A denied pull exits 5 with the
/// reason on stderr; an unknown apiVersion or a malformed request exits 1.
/// </summary>
internal sealed class KubeletCredentialProvider
{
    public const string ApiVersionV1 = "credentialprovider.kubelet.k8s.io/v1";
    public const string ApiVersionV1Beta1 = "credentialprovider.kubelet.k8s.io/v1beta1";
    public const string RequestKind = "CredentialProviderRequest";
    public const string ResponseKind = "CredentialProviderResponse";

    /// <summary>The kubelet's key for Docker Hub (its keyring's default registry host).</summary>
    public const string DockerHubAuthKey = "index.docker.io";

    private readonly ToolContext _context;
    private readonly TimeSpan _staticCacheDuration;

    public KubeletCredentialProvider(ToolContext context, TimeSpan staticCacheDuration)
    {
        _context = context;
        _staticCacheDuration = staticCacheDuration;
    }

    public static IReadOnlyList<string> SupportedApiVersions { get; } = [ApiVersionV1, ApiVersionV1Beta1];

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var request = await BoundedInput.ReadAllAsync(_context.Terminal.In, BoundedInput.MaxDocumentBytes, $"The {RequestKind} on stdin", cancellationToken);
        var (apiVersion, image) = ParseRequest(request);
        var reference = ImageReference.Parse(image);
        if (reference.IsRegistryImplicit)
        {
            reference = ImageReference.Parse("docker.io/" + image);
        }

        var workload = KubeletWorkloadIdentity.Read(request);
        RegcredHost host;
        RegistryResolution resolution;
        if (workload is null)
        {
            (host, resolution) = await _context.LookupAsync(reference, cancellationToken);
        }
        else
        {
            // A workload's own identity (service-account-token mode) needs the cloud providers: the full composition.
            host = _context.Host;
            resolution = await host.Resolver.ResolveForWorkloadAsync(reference, workload, null, cancellationToken);
        }
        if (resolution.IsDenied)
        {
            throw new RegcredException(RegistryErrorReason.PullDenied, resolution.Message);
        }

        var registry = resolution.Registry!;
        var entries = await host.ListEntriesForRegistryAsync(registry, cancellationToken);
        var matchedPath = resolution.Entry?.Scope.Path ?? string.Empty;
        var probe = ImageReference.Parse(registry + "/" + CredentialLookup.ProbeRepository);

        // With path-scoped entries on this registry, one registry-wide cache entry would hand one repository's
        // credential (or "anonymous") to another: ask the kubelet to cache per image instead.
        var perImage = matchedPath.Length > 0
            || entries.Any(e => e.Scope.Path.Length > 0 && RegistryScope.Parse(e.Scope.Registry).Matches(probe));

        var auth = new List<(string Key, string Username, string Password)>();
        TimeSpan cacheDuration = _staticCacheDuration;
        if (resolution.Credential is { } credential)
        {
            if (DockerCredentialForm.IsIdentityToken(credential) || credential.Kind != RegistryCredentialKind.UsernamePassword)
            {
                throw new RegcredException($"The credential for {registry} is a token the kubelet cannot use (it takes a user name and password only).");
            }

            var key = reference.IsDockerHub ? DockerHubAuthKey : registry;
            if (matchedPath.Length > 0 && !reference.IsDockerHub)
            {
                key += "/" + matchedPath;
            }

            auth.Add((key, credential.Username!, credential.Secret.Reveal()));
            cacheDuration = CacheDuration(credential, host.Time.GetUtcNow(), _staticCacheDuration);
        }

        var tokenCacheType = workload is null ? null : KubeletWorkloadIdentity.ServiceAccountCacheType;
        _context.Terminal.Out.Write(Serialize(apiVersion, perImage ? "Image" : "Registry", cacheDuration, auth, tokenCacheType) + "\n");
        return ExitCodes.Ok;
    }

    /// <summary>Reads the request; an unknown apiVersion, another kind or a missing image is an error.</summary>
    public static (string ApiVersion, string Image) ParseRequest(string text)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text);
        }
        catch (JsonException e)
        {
            throw new RegcredException($"The {RequestKind} on stdin is not JSON: {e.Message}");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new RegcredException($"The {RequestKind} on stdin is not a JSON object.");
            }

            var apiVersion = root.TryGetProperty("apiVersion", out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : string.Empty;
            if (!SupportedApiVersions.Contains(apiVersion, StringComparer.Ordinal))
            {
                throw new RegcredException($"Unsupported apiVersion '{apiVersion}': regcred serves {string.Join(" and ", SupportedApiVersions)}.");
            }

            if (root.TryGetProperty("kind", out var kind) && kind.ValueKind == JsonValueKind.String && kind.GetString() != RequestKind)
            {
                throw new RegcredException($"Unsupported kind '{kind.GetString()}': expected {RequestKind}.");
            }

            var image = root.TryGetProperty("image", out var i) && i.ValueKind == JsonValueKind.String ? i.GetString() : null;
            if (string.IsNullOrWhiteSpace(image))
            {
                throw new RegcredException($"The {RequestKind} has no image.");
            }

            return (apiVersion, image);
        }
    }

    /// <summary>
    /// How long the kubelet may cache: for a credential that expires, until it should be refreshed (<c>RefreshOn</c>), or
    /// else until a minute before it expires, never past its expiry; for one that does not, <paramref name="staticDuration"/>
    /// (so that changes in the store reach the kubelet).
    /// </summary>
    public static TimeSpan CacheDuration(RegistryCredential credential, DateTimeOffset now, TimeSpan staticDuration)
    {
        ArgumentNullException.ThrowIfNull(credential);
        if (credential.ExpiresOn is not { } expires)
        {
            return staticDuration;
        }

        var remaining = expires - now;
        var duration = credential.RefreshOn is { } refresh ? refresh - now : remaining - TimeSpan.FromMinutes(1);
        if (duration > remaining)
        {
            duration = remaining;
        }

        return duration < TimeSpan.Zero ? TimeSpan.Zero : duration;
    }

    public static string Serialize(
        string apiVersion, string cacheKeyType, TimeSpan cacheDuration, IReadOnlyList<(string Key, string Username, string Password)> auth,
        string? serviceAccountTokenCacheType = null)
    {
        ArgumentNullException.ThrowIfNull(auth);
        return Output.JsonOutput.Write(
            json =>
            {
                json.WriteStartObject();
                json.WriteString("kind", ResponseKind);
                json.WriteString("apiVersion", apiVersion);
                json.WriteString("cacheKeyType", cacheKeyType);
                json.WriteString("cacheDuration", GoDuration.Format(cacheDuration));
                if (serviceAccountTokenCacheType is not null)
                {
                    json.WriteString("serviceAccountTokenCacheType", serviceAccountTokenCacheType);
                }

                json.WriteStartObject("auth");
                foreach (var (key, username, password) in auth)
                {
                    json.WriteStartObject(key);
                    json.WriteString("username", username);
                    json.WriteString("password", password);
                    json.WriteEndObject();
                }

                json.WriteEndObject();
                json.WriteEndObject();
            },
            Output.JsonOutput.Compact);
    }
}
