using RegistryCredentials.Tests.Support;
using RegistryCredentials.Tests.Support.Registry;
using RegistryCredentials.Tests.Support.Telemetry;

namespace RegistryCredentials.Tests;

/// <summary>
/// The core's meter and activity source, listened to as an exporter would while real operations run: validation and a
/// token against the real distribution registry in token mode, resolutions of every result. Checks names, kinds, units
/// and tags against docs/telemetry.md; never timings.
/// </summary>
[Category("RealRegistry")]
public class TelemetryTests
{
    private const string Result = "registrycredentials.resolution.result";
    private const string ErrorType = "error.type";

    [Test]
    public void Meter_and_activity_source_are_named_after_the_package()
    {
        Assert.That(RegistryCredentialsTelemetry.MeterName, Is.EqualTo("RegistryCredentials"));
        Assert.That(RegistryCredentialsTelemetry.ActivitySourceName, Is.EqualTo("RegistryCredentials"));
    }

    [Test]
    public async Task Real_operations_publish_the_documented_instruments_tags_and_activities()
    {
        using var recorder = new TelemetryRecorder(RegistryCredentialsTelemetry.MeterName);
        await using var registry = await DistributionRegistry.StartAsync(RegistryMode.TokenTls, pushImage: false);
        using var host = new TestHost(withValidator: false, build: b => b.AddProvider<UnreachableProvider>());

        // Validation on add: /v2/, the token service, /v2/ again; then a refused password on another scope.
        await host.Manager.AddAsync(new RegistryAddRequest
        {
            Scope = registry.Registry,
            Username = registry.Username,
            Password = registry.Password,
            CaCertificates = registry.CaPem,
        });
        Assert.ThrowsAsync<RegistryValidationException>(() => host.Manager.AddAsync(new RegistryAddRequest
        {
            Scope = registry.Registry + "/other/*",
            Username = registry.Username,
            Password = "wrong-" + TestHost.NewSecret(),
            CaCertificates = registry.CaPem,
        }));

        // Resolutions: a credential, anonymous, a provider that fails, a deactivated entry.
        await host.Manager.AddAsync(new RegistryAddRequest
        {
            Scope = "failing.example.com",
            Username = "user",
            Password = TestHost.NewSecret(),
            Type = UnreachableProvider.Failing,
            Validate = false,
        });
        Assert.That((await host.Resolver.ResolveAsync(registry.Registry + "/test/app:v1")).Kind, Is.EqualTo(RegistryResolutionKind.Credential));
        Assert.That((await host.Resolver.ResolveAsync("unknown.example.org/x/y:1")).Kind, Is.EqualTo(RegistryResolutionKind.Anonymous));
        Assert.ThrowsAsync<RegistryAuthenticationException>(async () => await host.Resolver.ResolveAsync("failing.example.com/app:1"));
        await host.Manager.DeactivateAsync(registry.Registry);
        Assert.That((await host.Resolver.ResolveAsync(registry.Registry + "/test/app:v1")).Kind, Is.EqualTo(RegistryResolutionKind.Denied));

        Assert.Multiple(() =>
        {
            TelemetryDocs.AssertMeterMatches(recorder, RegistryCredentialsTelemetry.MeterName);
            TelemetryDocs.AssertActivitiesMatch(
                recorder,
                RegistryCredentialsTelemetry.ActivitySourceName,
                "RegistryCredentials.Add",
                "RegistryCredentials.RebuildIndex");

            foreach (var instrument in new[] { "registrycredentials.resolutions", "registrycredentials.resolution.duration" })
            {
                var results = recorder.Of(instrument).Select(m => m.Tag(Result)).ToList();
                Assert.That(results, Is.SupersetOf(new[] { "credential", "anonymous", "denied", "error" }), instrument);
                Assert.That(recorder.Of(instrument).Where(m => m.Tag(Result) != "error").Select(m => m.Tag(ErrorType)), Is.All.Null, instrument);
                Assert.That(recorder.Of(instrument).Where(m => m.Tag(Result) == "error").Select(m => m.Tag(ErrorType)), Has.Member("unreachable"), instrument);
            }

            var validations = recorder.Of("registrycredentials.validation.duration").Select(m => m.Tag(ErrorType)).ToList();
            Assert.That(validations, Has.Member(null), "a valid credential: no error.type");
            Assert.That(validations, Has.Member("unauthorized"), "the refused password");

            var tokens = recorder.Of("registrycredentials.token.duration").Select(m => m.Tag(ErrorType)).ToList();
            Assert.That(tokens, Has.Member(null), "a token issued");
            Assert.That(tokens, Has.Member("unauthorized"), "the token service refused the password");

            Assert.That(
                recorder.Of("registrycredentials.management.operations").Select(m => m.Tag("registrycredentials.management.operation")),
                Is.SupersetOf(new[] { "add", "deactivate" }));
            Assert.That(recorder.Of("registrycredentials.index.rebuilds"), Is.Not.Empty);
        });
    }

    /// <summary>A provider whose upstream is down: it fails every credential, as a real one does when its service is unreachable.</summary>
    public sealed class UnreachableProvider : RegistryCredentialProvider
    {
        public static readonly RegistryType Failing = RegistryType.Parse("failing");

        public override RegistryType Type => Failing;

        public override ValueTask<RegistryCredential> GetCredentialAsync(
            RegistryEntry entry,
            RegistrySecret secret,
            CancellationToken cancellationToken = default) =>
            throw new RegistryAuthenticationException(RegistryValidationOutcome.Unreachable, $"The token service of {entry.Scope} could not be reached.");
    }
}
