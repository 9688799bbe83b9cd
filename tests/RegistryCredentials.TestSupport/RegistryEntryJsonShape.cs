using System.Text.RegularExpressions;

namespace RegistryCredentials.Tests.Support;

/// <summary>
/// The one JSON shape of a registry entry (issue 14): the Registries API and <c>regcred -o json</c> write these members,
/// in this order, with whole-second RFC 3339 UTC timestamps. Anchore's <c>RegistryConfiguration</c> members come first.
/// </summary>
public static partial class RegistryEntryJsonShape
{
    public static readonly IReadOnlyList<string> Members =
    [
        "registry", "registry_name", "registry_type", "registry_user", "registry_verify", "created_at", "last_updated", "userId",
        "registry_email", "active", "insecure_http", "own_ca_certificates", "version",
    ];

    /// <summary>RFC 3339, UTC, whole seconds: <c>2025-01-15T09:30:00Z</c>.</summary>
    public static bool IsWholeSecondUtc(string? value) => value is not null && Timestamp().IsMatch(value);

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")]
    private static partial Regex Timestamp();
}
