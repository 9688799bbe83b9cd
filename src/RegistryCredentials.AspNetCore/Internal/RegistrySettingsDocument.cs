using System.ComponentModel;
using System.Text.Json.Serialization;

namespace RegistryCredentials.AspNetCore.Internal;

/// <summary>The policy on the wire (<c>GET|PATCH|PUT {prefix}/_settings</c>).</summary>
[Description("The policy of an account, kept in the store: Rancher's registry.default and registry.whitelist. A write changes only the fields it sends.")]
internal sealed class RegistrySettingsDocument
{
    [JsonPropertyName(PolicyPatch.DefaultRegistry)]
    [Description("The registry (host[:port]) that replaces Docker Hub for image references naming no registry; null for Docker Hub. "
        + "Left out of a write: kept.")]
    public string? DefaultRegistry { get; set; }

    [JsonPropertyName(PolicyPatch.AllowedRegistries)]
    [Description("Scopes (host[:port], '*' host labels, optional path) pulls may go to; empty allows every registry. "
        + "Docker Hub is allowed only when docker.io or index.docker.io is listed. Left out of a write: kept; [] (or null) clears it.")]
    public IList<string>? AllowedRegistries { get; set; }

    public static RegistrySettingsDocument From(RegistryPolicy policy) => new()
    {
        DefaultRegistry = policy.DefaultRegistry,
        AllowedRegistries = [.. policy.AllowedRegistries],
    };
}
