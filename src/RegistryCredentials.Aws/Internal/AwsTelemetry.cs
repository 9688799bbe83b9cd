using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace RegistryCredentials.Aws.Internal;

/// <summary>The package's <see cref="ActivitySource"/> and <see cref="Meter"/>, both named <c>RegistryCredentials.Aws</c>.</summary>
internal static class AwsTelemetry
{
    public const string Name = "RegistryCredentials.Aws";

    public static readonly ActivitySource ActivitySource = new(Name);

    public static readonly Meter Meter = new(Name);

    /// <summary><c>GetAuthorizationToken</c> calls (after retries) by result (<c>success</c> or an <see cref="AwsEcrErrorKind"/> name).</summary>
    public static readonly Counter<long> TokenRequests = Meter.CreateCounter<long>(
        "registrycredentials.aws.token_requests", unit: "{request}", description: "ECR GetAuthorizationToken calls, by result.");

    /// <summary>Retries of throttled, failed or unreachable calls.</summary>
    public static readonly Counter<long> Retries = Meter.CreateCounter<long>(
        "registrycredentials.aws.retries", unit: "{retry}", description: "ECR and STS calls retried after throttling, 5xx or a connection failure.");

    /// <summary>STS AssumeRole calls for <c>_iam_role</c> entries, by result.</summary>
    public static readonly Counter<long> RoleSessions = Meter.CreateCounter<long>(
        "registrycredentials.aws.role_sessions", unit: "{session}", description: "STS AssumeRole calls for _iam_role entries, by result.");
}
