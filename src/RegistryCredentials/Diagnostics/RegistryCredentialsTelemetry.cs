namespace RegistryCredentials;

/// <summary>
/// The names under which the core package publishes its telemetry, for an OpenTelemetry set-up
/// (<c>.AddMeter(RegistryCredentialsTelemetry.MeterName)</c>, <c>.AddSource(RegistryCredentialsTelemetry.ActivitySourceName)</c>)
/// or a <see cref="System.Diagnostics.Metrics.MeterListener"/>. Every package has such a class, named like its options
/// type with <c>Telemetry</c> in place of <c>Options</c>; meters and activity sources are named after the package, and
/// instruments <c>registrycredentials.&lt;area&gt;.&lt;name&gt;</c> in OpenTelemetry semantic-convention style
/// (durations in seconds). docs/telemetry.md lists every instrument, its unit and tags, and every activity.
/// </summary>
public static class RegistryCredentialsTelemetry
{
    /// <summary>
    /// The name of the core package's <see cref="System.Diagnostics.Metrics.Meter"/>, <c>RegistryCredentials</c>:
    /// resolutions and their duration, index rebuilds, management operations, and the durations of registry token
    /// requests and credential validations.
    /// </summary>
    public const string MeterName = "RegistryCredentials";

    /// <summary>
    /// The name of the core package's <see cref="System.Diagnostics.ActivitySource"/>, <c>RegistryCredentials</c>:
    /// management operations and resolver index rebuilds.
    /// </summary>
    public const string ActivitySourceName = "RegistryCredentials";
}
