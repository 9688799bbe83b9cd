namespace RegistryCredentials.Azure;

/// <summary>
/// The names under which the Azure package publishes its telemetry, for an OpenTelemetry set-up
/// (<c>.AddMeter(AzureTelemetry.MeterName)</c>, <c>.AddSource(AzureTelemetry.ActivitySourceName)</c>) or a
/// <see cref="System.Diagnostics.Metrics.MeterListener"/>. Instruments are named <c>registrycredentials.azure.*</c>;
/// docs/telemetry.md lists them with their units and tags.
/// </summary>
public static class AzureTelemetry
{
    /// <summary>
    /// The name of the package's <see cref="System.Diagnostics.Metrics.Meter"/>, <c>RegistryCredentials.Azure</c>:
    /// ACR refresh-token requests (Entra ID token plus exchange) and their duration.
    /// </summary>
    public const string MeterName = "RegistryCredentials.Azure";

    /// <summary>
    /// The name of the package's <see cref="System.Diagnostics.ActivitySource"/>, <c>RegistryCredentials.Azure</c>: one
    /// activity per Entra ID token exchanged for an ACR refresh token.
    /// </summary>
    public const string ActivitySourceName = "RegistryCredentials.Azure";
}
