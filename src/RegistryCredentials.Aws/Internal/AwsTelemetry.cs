using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace RegistryCredentials.Aws.Internal;

/// <summary>
/// The package's <see cref="ActivitySource"/> and <see cref="Meter"/> (names in <see cref="AwsEcrTelemetry"/>) and its
/// instruments, named <c>registrycredentials.aws.*</c>: the token instruments of the provider kit
/// (<see cref="RegistryTokenTelemetry"/>) and the package's own counters. <c>error.type</c> (an
/// <see cref="AwsEcrErrorKind"/> in snake case, or an exception's type) is set on failures only. docs/telemetry.md lists them.
/// </summary>
internal static class AwsTelemetry
{
    public static readonly ActivitySource ActivitySource = new(AwsEcrTelemetry.ActivitySourceName);

    public static readonly Meter Meter = new(AwsEcrTelemetry.MeterName);

    /// <summary>
    /// <c>GetAuthorizationToken</c> calls (after retries), and token fetches: the <c>_iam_role</c> session when needed,
    /// then <c>GetAuthorizationToken</c> with its retries.
    /// </summary>
    public static readonly RegistryTokenTelemetry Tokens = new(
        Meter,
        "aws",
        requestsDescription: "ECR GetAuthorizationToken calls (after retries), with error.type when they failed.",
        durationDescription: "Time to fetch an ECR token: the _iam_role session when needed, then GetAuthorizationToken with its retries.");

    /// <summary>Retries of throttled, failed or unreachable calls.</summary>
    public static readonly Counter<long> Retries = Meter.CreateCounter<long>(
        "registrycredentials.aws.retries", unit: "{retry}", description: "ECR and STS calls retried after throttling, 5xx or a connection failure.");

    /// <summary>STS AssumeRole calls for <c>_iam_role</c> entries, with <c>error.type</c> when they failed.</summary>
    public static readonly Counter<long> RoleSessions = Meter.CreateCounter<long>(
        "registrycredentials.aws.role_sessions",
        unit: "{session}",
        description: "STS AssumeRole calls for _iam_role entries, with error.type when they failed.");

    /// <summary>Counts one STS AssumeRole call; <paramref name="failure"/> is null when it succeeded.</summary>
    public static void RoleSessionRequested(AwsEcrErrorKind? failure) => RegistryTokenTelemetry.Count(RoleSessions, failure);
}
