using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text.Json;

namespace RegistryCredentials.Internal;

/// <summary>
/// The package's <see cref="ActivitySource"/> and <see cref="Meter"/> (names in <see cref="RegistryCredentialsTelemetry"/>)
/// and its instruments. Names follow OpenTelemetry's conventions: <c>registrycredentials.&lt;area&gt;.&lt;name&gt;</c>,
/// durations in seconds, tags lower-case and dotted, <c>error.type</c> on a failure only. docs/telemetry.md lists them.
/// </summary>
internal static class Telemetry
{
    /// <summary>The semantic-convention tag naming why an operation failed; absent when it succeeded.</summary>
    public const string ErrorTypeTag = "error.type";

    /// <summary>How a resolution ended: <c>credential</c>, <c>anonymous</c>, <c>denied</c> or <c>error</c>.</summary>
    public const string ResolutionResultTag = "registrycredentials.resolution.result";

    /// <summary>Which management operation ran.</summary>
    public const string ManagementOperationTag = "registrycredentials.management.operation";

    /// <summary>A start timestamp meaning "not timed": the histogram had no listener when the operation began.</summary>
    public const long NotTimed = long.MinValue;

    public static readonly ActivitySource ActivitySource = new(RegistryCredentialsTelemetry.ActivitySourceName);

    public static readonly Meter Meter = new(RegistryCredentialsTelemetry.MeterName);

    /// <summary>Resolutions by result (<c>credential</c>, <c>anonymous</c>, <c>denied</c>, <c>error</c>).</summary>
    public static readonly Counter<long> Resolutions = Meter.CreateCounter<long>(
        "registrycredentials.resolutions", unit: "{resolution}", description: "Image references resolved, by result.");

    /// <summary>How long resolutions take, by result; recorded only while someone listens.</summary>
    public static readonly Histogram<double> ResolutionDuration = Meter.CreateHistogram(
        "registrycredentials.resolution.duration",
        unit: "s",
        description: "Time to resolve an image reference to a credential, anonymous access or a denial.",
        tags: null,
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LocalBuckets() });

    /// <summary>Resolver index rebuilds after store changes.</summary>
    public static readonly Counter<long> IndexRebuilds = Meter.CreateCounter<long>(
        "registrycredentials.index.rebuilds", unit: "{rebuild}", description: "Resolver index snapshots built after a store change.");

    /// <summary>Entry changes from the store's change feed applied to the resolver index.</summary>
    public static readonly Counter<long> IndexChanges = Meter.CreateCounter<long>(
        "registrycredentials.index.changes", unit: "{change}", description: "Entry changes from the store's change feed applied to the resolver index.");

    /// <summary>Management operations by operation name.</summary>
    public static readonly Counter<long> ManagementOperations = Meter.CreateCounter<long>(
        "registrycredentials.management.operations", unit: "{operation}", description: "Registry entries added, updated, deleted, activated or deactivated.");

    /// <summary>Requests to a registry's token service (Docker v2 token authentication).</summary>
    public static readonly Histogram<double> TokenDuration = Meter.CreateHistogram(
        "registrycredentials.token.duration",
        unit: "s",
        description: "Time to get a bearer token from a registry's token service.",
        tags: null,
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = NetworkBuckets() });

    /// <summary>Credential validations against a registry's <c>/v2/</c>.</summary>
    public static readonly Histogram<double> ValidationDuration = Meter.CreateHistogram(
        "registrycredentials.validation.duration",
        unit: "s",
        description: "Time to validate a credential against a registry (/v2/ ping, challenge, token, ping again).",
        tags: null,
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = NetworkBuckets() });

    /// <summary>Bucket boundaries, in seconds, for operations that stay in the process (1 µs to 10 s).</summary>
    public static double[] LocalBuckets() =>
        [0.000001, 0.0000025, 0.000005, 0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005,
            0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    /// <summary>Bucket boundaries, in seconds, for network calls (5 ms to 60 s): OpenTelemetry's HTTP buckets plus the timeouts.</summary>
    public static double[] NetworkBuckets() =>
        [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 30, 60];

    /// <summary>A tag value in the conventions' lower snake case: <c>NotARegistry</c> becomes <c>not_a_registry</c>.</summary>
    public static string SnakeCase(Enum value) => JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());

    /// <summary>The <c>error.type</c> of an exception: the outcome it carries, or its type's full name.</summary>
    public static string ErrorType(Exception exception) => exception is RegistryAuthenticationException authentication
        ? SnakeCase(authentication.Outcome)
        : exception.GetType().FullName ?? exception.GetType().Name;

    /// <summary>
    /// Records the time since <paramref name="started"/> (a <see cref="TimeProvider.GetTimestamp"/>), with
    /// <c>error.type</c> when <paramref name="errorType"/> is not null. Returns false, to be usable as an exception filter.
    /// </summary>
    public static bool RecordDuration(Histogram<double> histogram, TimeProvider time, long started, string? errorType)
    {
        var seconds = time.GetElapsedTime(started).TotalSeconds;
        if (errorType is null)
        {
            histogram.Record(seconds);
        }
        else
        {
            histogram.Record(seconds, new KeyValuePair<string, object?>(ErrorTypeTag, errorType));
        }

        return false;
    }
}
