using RegistryCredentials.Azure.Tests.Support;
using RegistryCredentials.Tests.Support;
using RegistryCredentials.Tests.Support.Telemetry;

namespace RegistryCredentials.Azure.Tests;

/// <summary>
/// The Azure package's meter and activity source, listened to while real Entra ID token exchanges run through
/// Azure.Identity against the local Entra ID endpoint and ACR front (which check every form field): a client secret
/// exchanged, and one Entra ID refuses. Checks names, units and tags against docs/telemetry.md; never timings.
/// </summary>
public class AzureTelemetryTests
{
    private const string Mode = "registrycredentials.azure.mode";
    private const string ErrorType = "error.type";

    [Test]
    public void Meter_and_activity_source_are_named_after_the_package()
    {
        Assert.That(AzureTelemetry.MeterName, Is.EqualTo("RegistryCredentials.Azure"));
        Assert.That(AzureTelemetry.ActivitySourceName, Is.EqualTo("RegistryCredentials.Azure"));
    }

    [Test]
    public async Task Token_fetches_publish_the_documented_instruments_tags_and_activity()
    {
        using var recorder = new TelemetryRecorder(AzureTelemetry.MeterName);
        await using var env = await AzureTestEnvironment.StartAsync();

        await env.AddEntraEntryAsync(validate: false, path: "team/*");
        await env.ResolveAsync("team/app");
        await env.AddEntraEntryAsync(validate: false, path: "refused/*", password: "wrong-" + TestHost.NewSecret());
        var refused = Assert.ThrowsAsync<AzureCredentialException>(async () => await env.Host.Resolver.ResolveAsync(env.Front.Registry + "/refused/app:1"));
        Assert.That(refused!.Kind, Is.EqualTo(RegistryValidationOutcome.Unauthorized));

        Assert.Multiple(() =>
        {
            TelemetryDocs.AssertMeterMatches(recorder, AzureTelemetry.MeterName);
            TelemetryDocs.AssertActivitiesMatch(recorder, AzureTelemetry.ActivitySourceName, "RegistryCredentials.Azure.Exchange");

            foreach (var instrument in new[] { "registrycredentials.azure.token.requests", "registrycredentials.azure.token.duration" })
            {
                var seen = recorder.Of(instrument).Select(m => (m.Tag(Mode), m.Tag(ErrorType))).ToList();
                Assert.That(seen, Has.Member(("client_secret", (string?)null)), instrument + ": the exchanged secret");
                Assert.That(seen, Has.Member(("client_secret", "unauthorized")), instrument + ": the refused secret");
            }

            var activity = recorder.Activities.First(a => a.OperationName == "RegistryCredentials.Azure.Exchange");
            Assert.That(activity.GetTagItem(Mode), Is.EqualTo("client_secret"));
        });
    }
}
