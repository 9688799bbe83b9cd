namespace RegistryCredentials.AspNetCore.Internal;

/// <summary>Marks the endpoints of this package, so the start-up check and the OpenAPI transformers find them.</summary>
internal sealed class RegistryEndpointMetadata
{
    private RegistryEndpointMetadata(string kind) => Kind = kind;

    /// <summary>Every endpoint of the API.</summary>
    public static RegistryEndpointMetadata Api { get; } = new("api");

    /// <summary>The API's collection endpoint (<c>GET {prefix}</c>): its route is the API's base path.</summary>
    public static RegistryEndpointMetadata ApiRoot { get; } = new("api-root");

    /// <summary>Every endpoint of the management page.</summary>
    public static RegistryEndpointMetadata Dashboard { get; } = new("dashboard");

    public string Kind { get; }

    public override string ToString() => Kind;
}
