using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace RegistryCredentials.Google.Internal;

/// <summary>The package's <see cref="ActivitySource"/> and <see cref="Meter"/>, both named <c>RegistryCredentials.Google</c>.</summary>
internal static class Telemetry
{
    public const string Name = "RegistryCredentials.Google";

    public static readonly ActivitySource ActivitySource = new(Name);

    public static readonly Meter Meter = new(Name);

    /// <summary>Access-token requests by source (<c>service_account</c>, <c>application_default</c>) and result (<c>ok</c>, <c>failed</c>).</summary>
    public static readonly Counter<long> TokenRequests = Meter.CreateCounter<long>(
        "registrycredentials.google.token_requests", unit: "{request}", description: "OAuth access tokens requested from Google, by source and result.");
}
