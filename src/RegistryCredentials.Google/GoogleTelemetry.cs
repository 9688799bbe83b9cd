namespace RegistryCredentials.Google;

/// <summary>
/// The names under which the Google package publishes its telemetry, for an OpenTelemetry set-up
/// (<c>.AddMeter(GoogleTelemetry.MeterName)</c>, <c>.AddSource(GoogleTelemetry.ActivitySourceName)</c>) or a
/// <see cref="System.Diagnostics.Metrics.MeterListener"/>. Instruments are named <c>registrycredentials.google.*</c>;
/// docs/telemetry.md lists them with their units and tags.
/// </summary>
public static class GoogleTelemetry
{
    /// <summary>
    /// The name of the package's <see cref="System.Diagnostics.Metrics.Meter"/>, <c>RegistryCredentials.Google</c>:
    /// access-token requests and the duration of token fetches.
    /// </summary>
    public const string MeterName = "RegistryCredentials.Google";

    /// <summary>
    /// The name of the package's <see cref="System.Diagnostics.ActivitySource"/>, <c>RegistryCredentials.Google</c>: one
    /// activity per access-token fetch (key exchange or Application Default Credentials).
    /// </summary>
    public const string ActivitySourceName = "RegistryCredentials.Google";
}
