using System.Diagnostics;
using System.Diagnostics.Metrics;
using RegistryCredentials.Internal;

namespace RegistryCredentials;

/// <summary>
/// A provider package's token instruments, named, tagged and measured by the one scheme of docs/telemetry.md:
/// <c>registrycredentials.&lt;area&gt;.token.requests</c>, a counter of requests to the provider's token service
/// (<c>{request}</c>), and <c>registrycredentials.&lt;area&gt;.token.duration</c>, a histogram of whole token fetches in
/// seconds (5 ms to 60 s buckets). Both carry the provider's own tags and, on a failure only, <c>error.type</c>
/// (<see cref="ErrorType(Exception)"/>). The provider keeps its <see cref="Meter"/> and passes it in.
/// </summary>
/// <example>
/// <code>
/// internal static class Telemetry
/// {
///     public static readonly Meter Meter = new(QuayTelemetry.MeterName);
///
///     public static readonly RegistryTokenTelemetry Tokens = new(
///         Meter, "quay", "Robot tokens requested from Quay, with error.type when they failed.", "Time to fetch a Quay robot token.");
/// }
///
/// // in the provider:
/// TokenCache.GetOrCreateAsync(key, ct =&gt; Telemetry.Tokens.MeasureAsync(TimeProvider, () =&gt; FetchAsync(entry, secret, ct)), cancellationToken);
/// </code>
/// </example>
public sealed class RegistryTokenTelemetry
{
    /// <summary>The semantic-convention tag naming why an operation failed; absent when it succeeded.</summary>
    public const string ErrorTypeTag = Telemetry.ErrorTypeTag;

    /// <summary>Creates the two instruments on <paramref name="meter"/>.</summary>
    /// <param name="meter">The provider package's meter (named after the package).</param>
    /// <param name="area">The provider's segment of the instrument names, lower case: <c>aws</c>, <c>google</c>, <c>azure</c>.</param>
    /// <param name="requestsDescription">What <see cref="Requests"/> counts, for the instrument's description.</param>
    /// <param name="durationDescription">What <see cref="Duration"/> measures, for the instrument's description.</param>
    /// <exception cref="ArgumentNullException"><paramref name="meter"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="area"/> is empty.</exception>
    public RegistryTokenTelemetry(Meter meter, string area, string requestsDescription, string durationDescription)
    {
        ArgumentNullException.ThrowIfNull(meter);
        ArgumentException.ThrowIfNullOrWhiteSpace(area);
        Requests = meter.CreateCounter<long>($"registrycredentials.{area}.token.requests", unit: "{request}", description: requestsDescription);
        Duration = meter.CreateHistogram(
            $"registrycredentials.{area}.token.duration",
            unit: "s",
            description: durationDescription,
            tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = Telemetry.NetworkBuckets() });
    }

    /// <summary>The counter <c>registrycredentials.&lt;area&gt;.token.requests</c>: one per request to the token service.</summary>
    public Counter<long> Requests { get; }

    /// <summary>The histogram <c>registrycredentials.&lt;area&gt;.token.duration</c>: one per token fetch, in seconds.</summary>
    public Histogram<double> Duration { get; }

    /// <summary>The <c>error.type</c> of an enumerated failure: its name in lower snake case (<c>NotARegistry</c> is <c>not_a_registry</c>).</summary>
    /// <param name="value">The value.</param>
    /// <returns>The tag value.</returns>
    public static string SnakeCase(Enum value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return Telemetry.SnakeCase(value);
    }

    /// <summary>
    /// The <c>error.type</c> of an exception: a provider's kind of failure (<see cref="RegistryProviderException.KindName"/>),
    /// the outcome of a <see cref="RegistryAuthenticationException"/>, or else the exception's full type name.
    /// </summary>
    /// <param name="exception">The exception.</param>
    /// <returns>The tag value.</returns>
    public static string ErrorType(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception is RegistryProviderException provider ? provider.KindName : Telemetry.ErrorType(exception);
    }

    /// <summary>
    /// Adds one to <paramref name="counter"/> with <paramref name="tags"/> and, when <paramref name="failure"/> is not
    /// null, <c>error.type</c>.
    /// </summary>
    /// <param name="counter">The counter.</param>
    /// <param name="failure">The kind of failure; null when the operation succeeded.</param>
    /// <param name="tags">The provider's own tags.</param>
    public static void Count(Counter<long> counter, Enum? failure, TagList tags = default)
    {
        ArgumentNullException.ThrowIfNull(counter);
        if (failure is not null)
        {
            tags.Add(ErrorTypeTag, SnakeCase(failure));
        }

        counter.Add(1, tags);
    }

    /// <summary>Counts one request to the token service in <see cref="Requests"/>: see <see cref="Count"/>.</summary>
    /// <param name="failure">The kind of failure; null when the request succeeded.</param>
    /// <param name="tags">The provider's own tags.</param>
    public void CountRequest(Enum? failure, TagList tags = default) => Count(Requests, failure, tags);

    /// <summary>
    /// Runs one token fetch and records how long it took in <see cref="Duration"/>, with <paramref name="tags"/> and, when
    /// it threw, the exception's <c>error.type</c> (<see cref="ErrorType(Exception)"/>); the exception is rethrown.
    /// </summary>
    /// <typeparam name="T">What the fetch returns.</typeparam>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="fetch">The fetch.</param>
    /// <param name="tags">The provider's own tags.</param>
    /// <returns>What the fetch returned.</returns>
    public Task<T> MeasureAsync<T>(TimeProvider timeProvider, Func<Task<T>> fetch, TagList tags = default)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(fetch);
        return Measure(Duration, timeProvider, fetch, tags);
    }

    private static async Task<T> Measure<T>(Histogram<double> duration, TimeProvider time, Func<Task<T>> fetch, TagList tags)
    {
        var started = time.GetTimestamp();
        try
        {
            var result = await fetch().ConfigureAwait(false);
            duration.Record(time.GetElapsedTime(started).TotalSeconds, tags);
            return result;
        }
        catch (Exception e)
        {
            tags.Add(ErrorTypeTag, ErrorType(e));
            duration.Record(time.GetElapsedTime(started).TotalSeconds, tags);
            throw;
        }
    }
}
