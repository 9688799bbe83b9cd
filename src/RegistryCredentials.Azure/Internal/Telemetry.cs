using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace RegistryCredentials.Azure.Internal;

/// <summary>
/// The package's <see cref="ActivitySource"/> and <see cref="Meter"/> (names in <see cref="AzureTelemetry"/>) and its
/// token instruments (<see cref="RegistryTokenTelemetry"/>), named <c>registrycredentials.azure.*</c>, tagged with the
/// Entra ID mode in snake case and, on failures only, <c>error.type</c> (a <see cref="RegistryValidationOutcome"/> in
/// snake case, or an exception's type). docs/telemetry.md lists them.
/// </summary>
internal static class Telemetry
{
    public const string ModeTag = "registrycredentials.azure.mode";

    public static readonly ActivitySource ActivitySource = new(AzureTelemetry.ActivitySourceName);

    public static readonly Meter Meter = new(AzureTelemetry.MeterName);

    /// <summary>
    /// Entra ID tokens exchanged for ACR refresh tokens, by mode, and token fetches by mode: the Entra ID token, then the
    /// exchange.
    /// </summary>
    public static readonly RegistryTokenTelemetry Tokens = new(
        Meter,
        "azure",
        requestsDescription: "ACR refresh tokens requested (Entra ID token, then /oauth2/exchange), by mode, with error.type when they failed.",
        durationDescription: "Time to get an ACR refresh token: the Entra ID token, then /oauth2/exchange.");

    /// <summary>The mode as a tag value: <c>client_secret</c>, <c>managed_identity</c>, <c>workload_identity</c>, …</summary>
    public static string ModeName(AzureAuthenticationMode mode) => mode switch
    {
        AzureAuthenticationMode.PassThrough => "pass_through",
        AzureAuthenticationMode.ClientSecret => "client_secret",
        AzureAuthenticationMode.ManagedIdentity => "managed_identity",
        AzureAuthenticationMode.WorkloadIdentity => "workload_identity",
        AzureAuthenticationMode.DefaultCredential => "default_credential",
        _ => RegistryTokenTelemetry.SnakeCase(mode),
    };

    /// <summary>The tags of a measurement in <paramref name="mode"/>.</summary>
    public static TagList Mode(AzureAuthenticationMode mode) => new() { { ModeTag, ModeName(mode) } };
}
