namespace RegistryCredentials.AspNetCore;

/// <summary>
/// The settings written through <c>PUT {prefix}/_settings</c> (Rancher's <c>registry.default</c> and
/// <c>registry.whitelist</c>). When stored, they replace <see cref="RegistryCredentialsOptions.DefaultRegistry"/> and
/// <see cref="RegistryCredentialsOptions.AllowedRegistries"/> from configuration.
/// </summary>
public sealed class RegistrySettings
{
    /// <summary>The default registry (<c>host[:port]</c>), or null for Docker Hub.</summary>
    public string? DefaultRegistry { get; init; }

    /// <summary>The allow-list (scopes); empty to allow every registry.</summary>
    public IReadOnlyList<string> AllowedRegistries { get; init; } = [];
}
