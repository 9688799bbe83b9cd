using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text.Json;

namespace RegistryCredentials.Aws.Internal;

/// <summary>
/// The package's <see cref="ActivitySource"/> and <see cref="Meter"/> (names in <see cref="AwsEcrTelemetry"/>) and its
/// instruments, named <c>registrycredentials.aws.*</c>; <c>error.type</c> (an <see cref="AwsEcrErrorKind"/> in snake case,
/// or an exception's type) is set on failures only. docs/telemetry.md lists them.
/// </summary>
internal static class AwsTelemetry
{
    public const string ErrorTypeTag = "error.type";

    public static readonly ActivitySource ActivitySource = new(AwsEcrTelemetry.ActivitySourceName);

    public static readonly Meter Meter = new(AwsEcrTelemetry.MeterName);

    /// <summary><c>GetAuthorizationToken</c> calls (after retries), with <c>error.type</c> when they failed.</summary>
    public static readonly Counter<long> TokenRequests = Meter.CreateCounter<long>(
        "registrycredentials.aws.token.requests", unit: "{request}", description: "ECR GetAuthorizationToken calls (after retries), with error.type when they failed.");

    /// <summary>Retries of throttled, failed or unreachable calls.</summary>
    public static readonly Counter<long> Retries = Meter.CreateCounter<long>(
        "registrycredentials.aws.retries", unit: "{retry}", description: "ECR and STS calls retried after throttling, 5xx or a connection failure.");

    /// <summary>STS AssumeRole calls for <c>_iam_role</c> entries, with <c>error.type</c> when they failed.</summary>
    public static readonly Counter<long> RoleSessions = Meter.CreateCounter<long>(
        "registrycredentials.aws.role_sessions", unit: "{session}", description: "STS AssumeRole calls for _iam_role entries, with error.type when they failed.");

    /// <summary>Token fetches: the <c>_iam_role</c> session when needed, then <c>GetAuthorizationToken</c> with its retries.</summary>
    public static readonly Histogram<double> TokenDuration = Meter.CreateHistogram(
        "registrycredentials.aws.token.duration",
        unit: "s",
        description: "Time to fetch an ECR token: the _iam_role session when needed, then GetAuthorizationToken with its retries.",
        tags: null,
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 30, 60] });

    /// <summary>Counts one <c>GetAuthorizationToken</c> call; <paramref name="failure"/> is null when it succeeded.</summary>
    public static void TokenRequested(AwsEcrErrorKind? failure)
    {
        if (failure is { } kind)
        {
            TokenRequests.Add(1, new KeyValuePair<string, object?>(ErrorTypeTag, SnakeCase(kind)));
        }
        else
        {
            TokenRequests.Add(1);
        }
    }

    /// <summary>Counts one STS AssumeRole call; <paramref name="failure"/> is null when it succeeded.</summary>
    public static void RoleSessionRequested(AwsEcrErrorKind? failure)
    {
        if (failure is { } kind)
        {
            RoleSessions.Add(1, new KeyValuePair<string, object?>(ErrorTypeTag, SnakeCase(kind)));
        }
        else
        {
            RoleSessions.Add(1);
        }
    }

    /// <summary>Runs one token fetch and records how long it took, with <c>error.type</c> when it threw.</summary>
    public static async Task<RegistryCredential> MeasureTokenAsync(TimeProvider time, Func<Task<RegistryCredential>> fetch)
    {
        var started = time.GetTimestamp();
        try
        {
            var credential = await fetch().ConfigureAwait(false);
            TokenDuration.Record(time.GetElapsedTime(started).TotalSeconds);
            return credential;
        }
        catch (Exception e)
        {
            var errorType = e is AwsEcrException ecr ? SnakeCase(ecr.Kind) : e.GetType().FullName;
            TokenDuration.Record(time.GetElapsedTime(started).TotalSeconds, new KeyValuePair<string, object?>(ErrorTypeTag, errorType));
            throw;
        }
    }

    private static string SnakeCase(AwsEcrErrorKind kind) => JsonNamingPolicy.SnakeCaseLower.ConvertName(kind.ToString());
}
