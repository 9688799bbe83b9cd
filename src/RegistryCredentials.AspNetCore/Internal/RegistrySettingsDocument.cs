using System.ComponentModel;
using System.Text.Json.Serialization;

namespace RegistryCredentials.AspNetCore.Internal;

/// <summary>The settings on the wire (<c>GET|PUT {prefix}/_settings</c>) and in the settings file.</summary>
[Description("Process-wide resolution settings: Rancher's registry.default and registry.whitelist.")]
internal sealed class RegistrySettingsDocument
{
    [JsonPropertyName("default_registry")]
    [Description("The registry (host[:port]) that replaces Docker Hub for image references naming no registry; null for Docker Hub.")]
    public string? DefaultRegistry { get; set; }

    [JsonPropertyName("allowed_registries")]
    [
        Description(
            "Scopes (host[:port], '*' host labels, optional path) pulls may go to; empty allows "
            + "every registry. Docker Hub is allowed only when docker.io or index.docker.io is listed.")]
    public IList<string>? AllowedRegistries { get; set; }

    public static RegistrySettingsDocument From(RegistrySettings settings) => new()
    {
        DefaultRegistry = settings.DefaultRegistry,
        AllowedRegistries = [.. settings.AllowedRegistries],
    };

    public static RegistrySettingsDocument From(RegistryCredentialsOptions options) => new()
    {
        DefaultRegistry = string.IsNullOrEmpty(options.DefaultRegistry) ? null : options.DefaultRegistry,
        AllowedRegistries = [.. options.AllowedRegistries],
    };

    public RegistrySettings ToSettings() => new()
    {
        DefaultRegistry = string.IsNullOrEmpty(DefaultRegistry) ? null : DefaultRegistry,
        AllowedRegistries = [.. AllowedRegistries ?? []],
    };
}
