using System.Text.Json;
using RegistryCredentials.Cli.Cli;

namespace RegistryCredentials.Cli.Interop;

/// <summary>
/// The kubelet's service-account-token mode (Kubernetes 1.33+, KEP-4412, <c>tokenAttributes</c> in the
/// <c>CredentialProviderConfig</c>): the v1 <c>CredentialProviderRequest</c> then carries <c>serviceAccountToken</c> (the
/// pod's service-account token, for the configured audience) and <c>serviceAccountAnnotations</c> (the annotations of the
/// pod's service account the configuration names), as kubernetes/kubernetes
/// staging/src/k8s.io/kubelet/pkg/apis/credentialprovider/v1/types.go defines them. With a token, ECR and ACR entries
/// make the pod's own credential (<see cref="IRegistryCredentialResolver.ResolveForWorkloadAsync"/>), and the response says
/// <c>serviceAccountTokenCacheType: ServiceAccount</c> (the credential depends on the service account, not the pod; 1.33
/// requires the field when it sent a token, 1.34 reads <c>tokenAttributes.cacheType</c> instead).
/// </summary>
internal static class KubeletWorkloadIdentity
{
    /// <summary>The response's cache type for credentials made from a service-account token.</summary>
    public const string ServiceAccountCacheType = "ServiceAccount";

    /// <summary>The workload identity of a request, or null when it carries no service-account token.</summary>
    /// <exception cref="RegcredException">The token or the annotations are not of the v1 shape.</exception>
    public static RegistryWorkloadIdentity? Read(string request)
    {
        using var document = JsonDocument.Parse(request);
        var root = document.RootElement;
        if (!root.TryGetProperty("serviceAccountToken", out var token) || token.ValueKind == JsonValueKind.Null
            || (token.ValueKind == JsonValueKind.String && token.GetString()!.Length == 0))
        {
            return null; // omitempty: no token configured for this provider
        }

        if (token.ValueKind != JsonValueKind.String)
        {
            throw new RegcredException($"The {KubeletCredentialProvider.RequestKind}'s serviceAccountToken is not a string.");
        }

        var annotations = new Dictionary<string, string>(StringComparer.Ordinal);
        if (root.TryGetProperty("serviceAccountAnnotations", out var map) && map.ValueKind != JsonValueKind.Null)
        {
            if (map.ValueKind != JsonValueKind.Object)
            {
                throw new RegcredException($"The {KubeletCredentialProvider.RequestKind}'s serviceAccountAnnotations is not an object of strings.");
            }

            foreach (var annotation in map.EnumerateObject())
            {
                if (annotation.Value.ValueKind != JsonValueKind.String)
                {
                    throw new RegcredException($"The service-account annotation '{annotation.Name}' is not a string.");
                }

                annotations[annotation.Name] = annotation.Value.GetString()!;
            }
        }

        try
        {
            return new RegistryWorkloadIdentity(token.GetString()!, annotations);
        }
        catch (ArgumentException e)
        {
            throw new RegcredException($"The {KubeletCredentialProvider.RequestKind}'s serviceAccountToken cannot be used: {e.Message}");
        }
    }
}
