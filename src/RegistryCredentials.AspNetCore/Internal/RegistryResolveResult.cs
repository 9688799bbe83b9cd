using System.ComponentModel;
using System.Text.Json.Serialization;

namespace RegistryCredentials.AspNetCore.Internal;

/// <summary>What <c>GET {prefix}/_resolve?image=…</c> answers: which entry a pull would use, or anonymous, or denied and why.</summary>
[Description("How an image reference resolves for the account, without any secret.")]
internal sealed class RegistryResolveResult
{
    [JsonPropertyName("image")]
    [Description("The image reference as given.")]
    public required string Image { get; init; }

    [JsonPropertyName("registry")]
    [Description("The registry the pull goes to (host[:port]).")]
    public string? Registry { get; init; }

    [JsonPropertyName("repository")]
    [Description("The repository path at that registry.")]
    public string? Repository { get; init; }

    [JsonPropertyName("result")]
    [Description("credential, anonymous or denied.")]
    public required string Result { get; init; }

    [JsonPropertyName("reason")]
    [Description("For denied: registry_not_allowed, entry_inactive or no_provider; otherwise null.")]
    public string? Reason { get; init; }

    [JsonPropertyName("message")]
    [Description("A sentence for people.")]
    public required string Message { get; init; }

    [JsonPropertyName("entry")]
    [Description("The entry that matched (for credential, and for denials caused by an entry), or null.")]
    public RegistryConfiguration? Entry { get; init; }

    public static RegistryResolveResult From(string image, RegistryResolution resolution) => new()
    {
        Image = image,
        Registry = resolution.Registry,
        Repository = resolution.Repository,
        Result = resolution.Kind switch
        {
            RegistryResolutionKind.Credential => "credential",
            RegistryResolutionKind.Anonymous => "anonymous",
            _ => "denied",
        },
        Reason = resolution.DenialReason switch
        {
            RegistryDenialReason.RegistryNotAllowed => "registry_not_allowed",
            RegistryDenialReason.EntryInactive => "entry_inactive",
            RegistryDenialReason.NoProvider => "no_provider",
            _ => null,
        },
        Message = resolution.Message,
        Entry = resolution.Entry is { } entry ? RegistryConfiguration.From(entry) : null,
    };
}
