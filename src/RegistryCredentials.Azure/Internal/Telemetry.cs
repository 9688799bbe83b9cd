using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace RegistryCredentials.Azure.Internal;

/// <summary>The package's <see cref="ActivitySource"/> and <see cref="Meter"/>, both named <c>RegistryCredentials.Azure</c>.</summary>
internal static class Telemetry
{
    public const string Name = "RegistryCredentials.Azure";

    public static readonly ActivitySource ActivitySource = new(Name);

    public static readonly Meter Meter = new(Name);

    /// <summary>Entra ID token exchanges for ACR refresh tokens, by mode and result (<c>success</c> or an outcome).</summary>
    public static readonly Counter<long> Exchanges = Meter.CreateCounter<long>(
        "registrycredentials.azure.exchanges", unit: "{exchange}", description: "Entra ID tokens exchanged for ACR refresh tokens, by mode and result.");
}
