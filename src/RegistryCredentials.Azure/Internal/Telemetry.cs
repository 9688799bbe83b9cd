using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text.Json;

namespace RegistryCredentials.Azure.Internal;

/// <summary>
/// The package's <see cref="ActivitySource"/> and <see cref="Meter"/> (names in <see cref="AzureTelemetry"/>) and its
/// instruments, named <c>registrycredentials.azure.*</c>, tagged with the Entra ID mode in snake case and, on failures
/// only, <c>error.type</c> (a <see cref="RegistryValidationOutcome"/> in snake case, or an exception's type).
/// docs/telemetry.md lists them.
/// </summary>
internal static class Telemetry
{
    public const string ErrorTypeTag = "error.type";

    public const string ModeTag = "registrycredentials.azure.mode";

    public static readonly ActivitySource ActivitySource = new(AzureTelemetry.ActivitySourceName);

    public static readonly Meter Meter = new(AzureTelemetry.MeterName);

    /// <summary>Entra ID tokens exchanged for ACR refresh tokens, by mode, with <c>error.type</c> when it failed.</summary>
    public static readonly Counter<long> TokenRequests = Meter.CreateCounter<long>(
        "registrycredentials.azure.token.requests",
        unit: "{request}",
        description: "ACR refresh tokens requested (Entra ID token, then /oauth2/exchange), by mode, with error.type when they failed.");

    /// <summary>Token fetches by mode: the Entra ID token, then the exchange.</summary>
    public static readonly Histogram<double> TokenDuration = Meter.CreateHistogram(
        "registrycredentials.azure.token.duration",
        unit: "s",
        description: "Time to get an ACR refresh token: the Entra ID token, then /oauth2/exchange.",
        tags: null,
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 30, 60] });

    /// <summary>The mode as a tag value: <c>client_secret</c>, <c>managed_identity</c>, <c>workload_identity</c>, …</summary>
    public static string ModeName(AzureAuthenticationMode mode) => mode switch
    {
        AzureAuthenticationMode.PassThrough => "pass_through",
        AzureAuthenticationMode.ClientSecret => "client_secret",
        AzureAuthenticationMode.ManagedIdentity => "managed_identity",
        AzureAuthenticationMode.WorkloadIdentity => "workload_identity",
        AzureAuthenticationMode.DefaultCredential => "default_credential",
        _ => SnakeCase(mode),
    };

    /// <summary>Counts one refresh-token request in <paramref name="mode"/>; <paramref name="failure"/> is null when it succeeded.</summary>
    public static void TokenRequested(AzureAuthenticationMode mode, RegistryValidationOutcome? failure)
    {
        if (failure is { } outcome)
        {
            TokenRequests.Add(1, new KeyValuePair<string, object?>(ModeTag, ModeName(mode)), new KeyValuePair<string, object?>(ErrorTypeTag, SnakeCase(outcome)));
        }
        else
        {
            TokenRequests.Add(1, new KeyValuePair<string, object?>(ModeTag, ModeName(mode)));
        }
    }

    /// <summary>Runs one token fetch in <paramref name="mode"/> and records how long it took, with <c>error.type</c> when it threw.</summary>
    public static async Task<RegistryCredential> MeasureTokenAsync(TimeProvider time, AzureAuthenticationMode mode, Func<Task<RegistryCredential>> fetch)
    {
        var started = time.GetTimestamp();
        try
        {
            var credential = await fetch().ConfigureAwait(false);
            TokenDuration.Record(time.GetElapsedTime(started).TotalSeconds, new KeyValuePair<string, object?>(ModeTag, ModeName(mode)));
            return credential;
        }
        catch (Exception e)
        {
            var errorType = e is AzureCredentialException azure ? SnakeCase(azure.Outcome) : e.GetType().FullName;
            TokenDuration.Record(
                time.GetElapsedTime(started).TotalSeconds,
                new KeyValuePair<string, object?>(ModeTag, ModeName(mode)),
                new KeyValuePair<string, object?>(ErrorTypeTag, errorType));
            throw;
        }
    }

    private static string SnakeCase(Enum value) => JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());
}
