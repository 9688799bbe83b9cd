using System.ComponentModel;
using System.Globalization;
using System.Text.Json.Serialization;

namespace RegistryCredentials.AspNetCore.Internal;

/// <summary>
/// Anchore's <c>RegistryConfiguration</c> response, plus <c>registry_email</c>, <c>active</c>, <c>insecure_http</c>,
/// <c>own_ca_certificates</c> and <c>version</c>; never a password. <c>regcred -o json</c> writes the same members in the
/// same order (one entry shape). Timestamps are whole-second RFC 3339 UTC (<c>2025-01-15T09:30:00Z</c>).
/// </summary>
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
    [Description("When the entry was added: RFC 3339, UTC, whole seconds (2025-01-15T09:30:00Z).")]
    public required string CreatedAt { get; init; }

    [JsonPropertyName("last_updated")]
    [Description("When the entry last changed: RFC 3339, UTC, whole seconds.")]
    public required string LastUpdated { get; init; }

    [JsonPropertyName("userId")]
    [Description("The account (tenant) that owns the entry.")]
    public required string UserId { get; init; }

    [JsonPropertyName("registry_email")]
    [Description("The e-mail address, or null.")]
    public string? RegistryEmail { get; init; }

    [JsonPropertyName("active")]
    [Description("Whether the entry is used; a deactivated entry keeps its secret and denies the pulls it matches.")]
    public required bool Active { get; init; }

    [JsonPropertyName("insecure_http")]
    [Description("Whether the registry is reached over plain HTTP (set by the library or regcred --insecure-http).")]
    public bool InsecureHttp { get; init; }

    [JsonPropertyName("own_ca_certificates")]
    [Description("Whether the entry trusts CA certificates of its own (regcred --ca-file).")]
    public bool OwnCaCertificates { get; init; }

    [JsonPropertyName("version")]
    [Description("The entry's version, which its ETag carries (for If-Match).")]
    public long Version { get; init; }

    /// <summary>A timestamp as the API and regcred write it: RFC 3339, UTC, whole seconds.</summary>
    public static string Timestamp(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static RegistryConfiguration From(RegistryEntry entry) => new()
    {
        Registry = entry.Scope.Value,
        RegistryName = entry.Name,
        RegistryType = entry.Type.Value,
        RegistryUser = entry.Username,
        RegistryVerify = entry.VerifyTls,
        CreatedAt = Timestamp(entry.CreatedOn),
        LastUpdated = Timestamp(entry.UpdatedOn),
        UserId = entry.Account,
        RegistryEmail = entry.Email,
        Active = entry.IsActive,
        InsecureHttp = entry.InsecureHttp,
        OwnCaCertificates = entry.CaCertificates is not null,
        Version = entry.Version,
    };
}
