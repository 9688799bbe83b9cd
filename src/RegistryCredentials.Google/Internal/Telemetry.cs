using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace RegistryCredentials.Google.Internal;

/// <summary>
/// The package's <see cref="ActivitySource"/> and <see cref="Meter"/> (names in <see cref="GoogleTelemetry"/>) and its
/// token instruments (<see cref="RegistryTokenTelemetry"/>), named <c>registrycredentials.google.*</c>, tagged with the
/// token source (<c>service_account</c>, <c>application_default</c>) and, on failures only, <c>error.type</c> (a
/// <see cref="GoogleCredentialError"/> in snake case, or an exception's type). docs/telemetry.md lists them.
/// </summary>
internal static class Telemetry
{
    public const string SourceTag = "registrycredentials.google.source";

    public static readonly ActivitySource ActivitySource = new(GoogleTelemetry.ActivitySourceName);

    public static readonly Meter Meter = new(GoogleTelemetry.MeterName);

    /// <summary>
    /// Access-token requests by source, and token fetches by source: loading the key or finding Application Default
    /// Credentials, then the request.
    /// </summary>
    public static readonly RegistryTokenTelemetry Tokens = new(
        Meter,
        "google",
        requestsDescription: "OAuth access tokens requested from Google, by source, with error.type when they failed.",
        durationDescription: "Time to fetch a Google access token: loading the key or finding Application Default Credentials, then the token request.");

    /// <summary>The tags of a measurement for tokens from <paramref name="source"/>.</summary>
    public static TagList Source(string source) => new() { { SourceTag, source } };
}
