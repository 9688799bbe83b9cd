using RegistryCredentials.Google.Tests.Support;
using RegistryCredentials.Tests.Support;
using RegistryCredentials.Tests.Support.Telemetry;

namespace RegistryCredentials.Google.Tests;

/// <summary>
/// The Google package's meter and activity source, listened to while real token fetches run through Google.Apis.Auth
/// against the local OAuth endpoint (which verifies every JWT assertion): a key exchanged, a key the endpoint does not
/// know, and Application Default Credentials that cannot be found. Checks names, units and tags against
/// docs/telemetry.md; never timings.
/// </summary>
[NonParallelizable] // sets GOOGLE_APPLICATION_CREDENTIALS for a moment
public class GoogleTelemetryTests
{
    private const string EnvironmentVariable = "GOOGLE_APPLICATION_CREDENTIALS";
    private const string Source = "registrycredentials.google.source";
    private const string ErrorType = "error.type";

    [Test]
    public void Meter_and_activity_source_are_named_after_the_package()
    {
        Assert.That(GoogleTelemetry.MeterName, Is.EqualTo("RegistryCredentials.Google"));
        Assert.That(GoogleTelemetry.ActivitySourceName, Is.EqualTo("RegistryCredentials.Google"));
    }

    [Test]
    public async Task Token_fetches_publish_the_documented_instruments_tags_and_activities()
    {
        using var recorder = new TelemetryRecorder(GoogleTelemetry.MeterName);
        await using var oauth = await FakeGoogleOAuthServer.StartAsync();
        using var trusted = TestServiceAccount.Create(oauth.TokenUri);
        using var unknown = TestServiceAccount.Create(oauth.TokenUri);
        oauth.Trust(trusted);
        using var host = GoogleHosts.Create(o =>
        {
            o.ExchangeForAccessToken = true;
            o.AllowApplicationDefault = true;
        });
        oauth.Clock = host.Time.GetUtcNow;

        // A key exchanged for an access token; a key the token endpoint refuses.
        await Add(host, "us-docker.pkg.dev/trusted/*", GoogleUsernames.JsonKey, trusted.Json);
        await host.Resolver.ResolveAsync("us-docker.pkg.dev/trusted/repo/app:1");
        await Add(host, "us-docker.pkg.dev/unknown/*", GoogleUsernames.JsonKey, unknown.Json);
        var refused = await GoogleHosts.CatchAsync(async () => await host.Resolver.ResolveAsync("us-docker.pkg.dev/unknown/repo/app:1"));
        Assert.That(
            refused,
            Is.InstanceOf<GoogleCredentialException>().With.Property(nameof(GoogleCredentialException.Kind)).EqualTo(GoogleCredentialError.TokenRequestFailed));

        // Application Default Credentials pointing at a file that is not there. Google.Apis.Auth finds ADC once per
        // process: when an earlier test already found a key file (whose token endpoint is gone), the token request fails
        // instead. Either way the failure is tagged with its source and its kind.
        await Add(host, "europe-docker.pkg.dev/adc/*", GoogleUsernames.ApplicationDefault, "-");
        var saved = Environment.GetEnvironmentVariable(EnvironmentVariable);
        string adcErrorType;
        try
        {
            Environment.SetEnvironmentVariable(EnvironmentVariable, Path.Combine(Path.GetTempPath(), "missing-" + Guid.NewGuid().ToString("N") + ".json"));
            var unavailable = await GoogleHosts.CatchAsync(async () => await host.Resolver.ResolveAsync("europe-docker.pkg.dev/adc/repo/app:1"));
            Assert.That(unavailable, Is.InstanceOf<GoogleCredentialException>());
            adcErrorType = ((GoogleCredentialException)unavailable!).Kind switch
            {
                GoogleCredentialError.ApplicationDefaultUnavailable => "application_default_unavailable",
                GoogleCredentialError.TokenRequestFailed => "token_request_failed",
                var other => throw new AssertionException("unexpected ADC failure " + other),
            };
        }
        finally
        {
            Environment.SetEnvironmentVariable(EnvironmentVariable, saved);
        }

        Assert.Multiple(() =>
        {
            TelemetryDocs.AssertMeterMatches(recorder, GoogleTelemetry.MeterName);
            TelemetryDocs.AssertActivitiesMatch(
                recorder, GoogleTelemetry.ActivitySourceName, "RegistryCredentials.Google.ExchangeKey", "RegistryCredentials.Google.ApplicationDefault");

            foreach (var instrument in new[] { "registrycredentials.google.token.requests", "registrycredentials.google.token.duration" })
            {
                var seen = recorder.Of(instrument).Select(m => (m.Tag(Source), m.Tag(ErrorType))).ToList();
                Assert.That(seen, Has.Member(("service_account", (string?)null)), instrument + ": the exchanged key");
                Assert.That(seen, Has.Member(("service_account", "token_request_failed")), instrument + ": the refused key");
                Assert.That(seen, Has.Member(("application_default", adcErrorType)), instrument + ": ADC failed");
            }
        });
    }

    private static Task<RegistryEntry> Add(TestHost host, string scope, string username, string password) =>
        host.Manager.AddAsync(new RegistryAddRequest { Scope = scope, Username = username, Password = password, Validate = false });
}
