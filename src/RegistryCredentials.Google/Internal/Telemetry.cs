using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text.Json;

namespace RegistryCredentials.Google.Internal;

/// <summary>
/// The package's <see cref="ActivitySource"/> and <see cref="Meter"/> (names in <see cref="GoogleTelemetry"/>) and its
/// instruments, named <c>registrycredentials.google.*</c>, tagged with the token source
/// (<c>service_account</c>, <c>application_default</c>) and, on failures only, <c>error.type</c> (a
/// <see cref="GoogleCredentialError"/> in snake case, or an exception's type). docs/telemetry.md lists them.
/// </summary>
internal static class Telemetry
{
    public const string ErrorTypeTag = "error.type";

    public const string SourceTag = "registrycredentials.google.source";

    public static readonly ActivitySource ActivitySource = new(GoogleTelemetry.ActivitySourceName);

    public static readonly Meter Meter = new(GoogleTelemetry.MeterName);

    /// <summary>Access-token requests by source, with <c>error.type</c> when they failed.</summary>
    public static readonly Counter<long> TokenRequests = Meter.CreateCounter<long>(
        "registrycredentials.google.token.requests", unit: "{request}", description: "OAuth access tokens requested from Google, by source, with error.type when they failed.");

    /// <summary>Token fetches by source: loading the key or finding Application Default Credentials, then the request.</summary>
    public static readonly Histogram<double> TokenDuration = Meter.CreateHistogram(
        "registrycredentials.google.token.duration",
        unit: "s",
        description: "Time to fetch a Google access token: loading the key or finding Application Default Credentials, then the token request.",
        tags: null,
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 30, 60] });

    /// <summary>Counts one access-token request from <paramref name="source"/>; <paramref name="failure"/> is null when it succeeded.</summary>
    public static void TokenRequested(string source, GoogleCredentialError? failure)
    {
        if (failure is { } error)
        {
            TokenRequests.Add(1, new KeyValuePair<string, object?>(SourceTag, source), new KeyValuePair<string, object?>(ErrorTypeTag, SnakeCase(error)));
        }
        else
        {
            TokenRequests.Add(1, new KeyValuePair<string, object?>(SourceTag, source));
        }
    }

    /// <summary>Runs one token fetch from <paramref name="source"/> and records how long it took, with <c>error.type</c> when it threw.</summary>
    public static async Task<RegistryCredential> MeasureTokenAsync(TimeProvider time, string source, Func<Task<RegistryCredential>> fetch)
    {
        var started = time.GetTimestamp();
        try
        {
            var credential = await fetch().ConfigureAwait(false);
            TokenDuration.Record(time.GetElapsedTime(started).TotalSeconds, new KeyValuePair<string, object?>(SourceTag, source));
            return credential;
        }
        catch (Exception e)
        {
            var errorType = e is GoogleCredentialException google ? SnakeCase(google.Error) : e.GetType().FullName;
            TokenDuration.Record(
                time.GetElapsedTime(started).TotalSeconds,
                new KeyValuePair<string, object?>(SourceTag, source),
                new KeyValuePair<string, object?>(ErrorTypeTag, errorType));
            throw;
        }
    }

    private static string SnakeCase(GoogleCredentialError error) => JsonNamingPolicy.SnakeCaseLower.ConvertName(error.ToString());
}
