using System.Buffers.Text;
using System.Text.Json;

namespace RegistryCredentials;

/// <summary>
/// The identity of the workload a pull is for, when it is not the identity of this process: the pod's Kubernetes
/// service-account token and the annotations of its service account, as the kubelet hands them to a credential provider
/// plugin in service-account-token mode (<c>serviceAccountToken</c> and <c>serviceAccountAnnotations</c> of a v1
/// <c>CredentialProviderRequest</c>, KEP-4412). Providers that can federate it (ECR through STS
/// <c>AssumeRoleWithWebIdentity</c>, ACR through Entra ID workload identity federation) make the credential with it, so
/// that each workload pulls with its own identity.
/// </summary>
/// <remarks>
/// The token is not verified here: the cloud's token service verifies it (signature, issuer, audience, expiry) when it is
/// exchanged. <see cref="ServiceAccount"/> is read from it unverified, for cache keys and messages only; a provider keys
/// its cache by the token too, so that a credential is never handed to a token the token service has not accepted.
/// </remarks>
public sealed class RegistryWorkloadIdentity
{
    /// <summary>The most annotations taken (the kubelet passes only those its configuration names).</summary>
    public const int MaxAnnotations = 64;

    /// <summary>Creates the identity.</summary>
    /// <param name="serviceAccountToken">The pod's service-account token (a JWT).</param>
    /// <param name="annotations">The service account's annotations the kubelet passed; none when null.</param>
    /// <exception cref="ArgumentException">The token is empty or not a JWT, or there are more than <see cref="MaxAnnotations"/> annotations.</exception>
    public RegistryWorkloadIdentity(string serviceAccountToken, IReadOnlyDictionary<string, string>? annotations = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(serviceAccountToken);
        var parts = serviceAccountToken.Split('.');
        if (parts.Length != 3 || parts[0].Length == 0 || parts[1].Length == 0)
        {
            throw new ArgumentException("The service-account token is not a JWT (header.payload.signature).", nameof(serviceAccountToken));
        }

        if (annotations is { Count: > MaxAnnotations })
        {
            throw new ArgumentException($"More than {MaxAnnotations} service-account annotations.", nameof(annotations));
        }

        ServiceAccountToken = serviceAccountToken;
        Annotations = annotations is null
            ? new Dictionary<string, string>(StringComparer.Ordinal)
            : new Dictionary<string, string>(annotations, StringComparer.Ordinal);
        try
        {
            ServiceAccount = ReadSubject(parts[1]);
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            throw new ArgumentException("The service-account token's payload is not base64url JSON.", nameof(serviceAccountToken), e);
        }
    }

    /// <summary>The pod's service-account token, to present to a token service. Never logged.</summary>
    public string ServiceAccountToken { get; }

    /// <summary>The service account's annotations the kubelet passed (such as <c>eks.amazonaws.com/role-arn</c>).</summary>
    public IReadOnlyDictionary<string, string> Annotations { get; }

    /// <summary>
    /// The token's subject as written in it, unverified (<c>system:serviceaccount:&lt;namespace&gt;:&lt;name&gt;</c>), or null when
    /// it has none: for cache keys and messages, never for a decision.
    /// </summary>
    public string? ServiceAccount { get; }

    /// <summary>The value of an annotation, or null when it is absent or empty.</summary>
    /// <param name="name">The annotation's name.</param>
    /// <returns>The trimmed value, or null.</returns>
    public string? Annotation(string name) =>
        Annotations.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

    /// <summary>Names the service account; never shows the token.</summary>
    /// <returns>A description.</returns>
    public override string ToString() => "service account " + (ServiceAccount ?? "(no subject)");

    private static string? ReadSubject(string payload)
    {
        var bytes = Base64Url.DecodeFromChars(payload);
        using var document = JsonDocument.Parse(bytes);
        return document.RootElement.ValueKind == JsonValueKind.Object
            && document.RootElement.TryGetProperty("sub", out var sub) && sub.ValueKind == JsonValueKind.String
            ? sub.GetString()
            : null;
    }
}
