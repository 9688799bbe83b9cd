namespace RegistryCredentials.Aws;

/// <summary>
/// The names under which the ECR package publishes its telemetry, for an OpenTelemetry set-up
/// (<c>.AddMeter(AwsEcrTelemetry.MeterName)</c>, <c>.AddSource(AwsEcrTelemetry.ActivitySourceName)</c>) or a
/// <see cref="System.Diagnostics.Metrics.MeterListener"/>. Instruments are named <c>registrycredentials.aws.*</c>;
/// docs/telemetry.md lists them with their units and tags.
/// </summary>
public static class AwsEcrTelemetry
{
    /// <summary>
    /// The name of the package's <see cref="System.Diagnostics.Metrics.Meter"/>, <c>RegistryCredentials.Aws</c>:
    /// <c>GetAuthorizationToken</c> calls, retries, <c>_iam_role</c> sessions and the duration of token fetches.
    /// </summary>
    public const string MeterName = "RegistryCredentials.Aws";

    /// <summary>
    /// The name of the package's <see cref="System.Diagnostics.ActivitySource"/>, <c>RegistryCredentials.Aws</c>: one
    /// activity per ECR token fetch.
    /// </summary>
    public const string ActivitySourceName = "RegistryCredentials.Aws";
}
