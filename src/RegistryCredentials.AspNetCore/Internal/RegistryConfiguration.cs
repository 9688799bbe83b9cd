using System.ComponentModel;
using System.Text.Json.Serialization;

namespace RegistryCredentials.AspNetCore.Internal;

/// <summary>Anchore's <c>RegistryConfiguration</c> response, plus <c>registry_email</c> and <c>active</c>; never a password.</summary>
[Description("A stored registry credential, without its password.")]
internal sealed class RegistryConfiguration
{
    [JsonPropertyName("registry")]
    [Description("The scope, host[:port][/path].")]
    public required string Registry { get; init; }

    [JsonPropertyName("registry_name")]
    [Description("The display name.")]
    public required string RegistryName { get; init; }

    [JsonPropertyName("registry_type")]
    [Description("The registry type, such as docker_v2.")]
    public required string RegistryType { get; init; }

    [JsonPropertyName("registry_user")]
    [Description("The user name.")]
    public required string RegistryUser { get; init; }

    [JsonPropertyName("registry_verify")]
    [Description("Whether TLS certificates are verified.")]
    public required bool RegistryVerify { get; init; }

    [JsonPropertyName("created_at")]
    [Description("When the entry was added (UTC).")]
    public required DateTime CreatedAt { get; init; }

    [JsonPropertyName("last_updated")]
    [Description("When the entry last changed (UTC).")]
    public required DateTime LastUpdated { get; init; }

    [JsonPropertyName("userId")]
    [Description("The account (tenant) that owns the entry.")]
    public required string UserId { get; init; }

    [JsonPropertyName("registry_email")]
    [Description("The e-mail address, or null.")]
    public string? RegistryEmail { get; init; }

    [JsonPropertyName("active")]
    [Description("Whether the entry is used; a deactivated entry keeps its secret and denies the pulls it matches.")]
    public required bool Active { get; init; }

    public static RegistryConfiguration From(RegistryEntry entry) => new()
    {
        Registry = entry.Scope.Value,
        RegistryName = entry.Name,
        RegistryType = entry.Type.Value,
        RegistryUser = entry.Username,
        RegistryVerify = entry.VerifyTls,
        CreatedAt = entry.CreatedOn.UtcDateTime,
        LastUpdated = entry.UpdatedOn.UtcDateTime,
        UserId = entry.Account,
        RegistryEmail = entry.Email,
        Active = entry.IsActive,
    };
}
