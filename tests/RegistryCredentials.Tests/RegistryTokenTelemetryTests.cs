using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Time.Testing;
using RegistryCredentials.Tests.Support.Telemetry;

namespace RegistryCredentials.Tests;

/// <summary>
/// The provider kit's telemetry (<see cref="RegistryTokenTelemetry"/>) and failure shape
/// (<see cref="RegistryProviderException{TKind}"/>), with a made-up provider "quay" as a fourth provider would use them.
/// </summary>
public class RegistryTokenTelemetryTests
{
    private const string ModeTag = "registrycredentials.quay.mode";

    private enum QuayError
    {
        Unspecified,
        RobotTokenRefused,
        NotARobot,
    }

    [Test]
    public void Instruments_are_named_after_the_area_with_the_schemes_units_and_buckets()
    {
        using var meter = new Meter(NewMeterName());
        var telemetry = new RegistryTokenTelemetry(meter, "quay", "Robot tokens requested.", "Time to fetch a robot token.");

        Assert.Multiple(() =>
        {
            Assert.That(telemetry.Requests.Name, Is.EqualTo("registrycredentials.quay.token.requests"));
            Assert.That(telemetry.Requests.Unit, Is.EqualTo("{request}"));
            Assert.That(telemetry.Requests.Description, Is.EqualTo("Robot tokens requested."));
            Assert.That(telemetry.Duration.Name, Is.EqualTo("registrycredentials.quay.token.duration"));
            Assert.That(telemetry.Duration.Unit, Is.EqualTo("s"));
            Assert.That(telemetry.Duration.Description, Is.EqualTo("Time to fetch a robot token."));
            Assert.That(telemetry.Duration.Advice?.HistogramBucketBoundaries, Has.Some.EqualTo(60d).And.Some.EqualTo(0.005d));
            Assert.That(telemetry.Requests.Meter, Is.SameAs(meter));
        });
    }

    [Test]
    public async Task A_fetch_that_succeeds_is_timed_with_the_providers_tags_and_no_error_type()
    {
        using var meter = new Meter(NewMeterName());
        using var recorder = new TelemetryRecorder(meter.Name);
        var telemetry = new RegistryTokenTelemetry(meter, "quay", "requests", "duration");
        var time = new FakeTimeProvider();

        var token = await telemetry.MeasureAsync(
            time,
            () =>
            {
                time.Advance(TimeSpan.FromSeconds(2));
                return Task.FromResult("token");
            },
            Mode("robot"));

        Assert.That(token, Is.EqualTo("token"));
        var measurement = recorder.Of("registrycredentials.quay.token.duration").Single();
        Assert.Multiple(() =>
        {
            Assert.That(measurement.Value, Is.EqualTo(2d));
            Assert.That(measurement.Tag(ModeTag), Is.EqualTo("robot"));
            Assert.That(measurement.Tags, Does.Not.ContainKey(RegistryTokenTelemetry.ErrorTypeTag));
        });
    }

    [Test]
    public void A_fetch_that_throws_is_timed_with_the_providers_kind_as_error_type_and_the_same_exception_is_rethrown()
    {
        using var meter = new Meter(NewMeterName());
        using var recorder = new TelemetryRecorder(meter.Name);
        var telemetry = new RegistryTokenTelemetry(meter, "quay", "requests", "duration");
        var refused = new QuayException(QuayError.RobotTokenRefused, "Quay refused the robot token.");

        var thrown = Assert.ThrowsAsync<QuayException>(() => telemetry.MeasureAsync<string>(TimeProvider.System, () => throw refused, Mode("robot")));

        Assert.That(thrown, Is.SameAs(refused));
        var measurement = recorder.Of("registrycredentials.quay.token.duration").Single();
        Assert.Multiple(() =>
        {
            Assert.That(measurement.Tag(RegistryTokenTelemetry.ErrorTypeTag), Is.EqualTo("robot_token_refused"));
            Assert.That(measurement.Tag(ModeTag), Is.EqualTo("robot"));
        });
    }

    [Test]
    public void Error_type_is_the_providers_kind_an_authentication_outcome_or_the_exceptions_type()
    {
        Assert.Multiple(() =>
        {
            Assert.That(RegistryTokenTelemetry.ErrorType(new QuayException(QuayError.NotARobot, "no")), Is.EqualTo("not_a_robot"));
            Assert.That(
                RegistryTokenTelemetry.ErrorType(new RegistryAuthenticationException(RegistryValidationOutcome.TlsFailure, "tls")),
                Is.EqualTo("tls_failure"));
            Assert.That(RegistryTokenTelemetry.ErrorType(new InvalidOperationException()), Is.EqualTo("System.InvalidOperationException"));
            Assert.That(RegistryTokenTelemetry.SnakeCase(RegistryValidationOutcome.NotARegistry), Is.EqualTo("not_a_registry"));
        });
    }

    [Test]
    public void A_request_is_counted_with_the_providers_tags_and_error_type_only_when_it_failed()
    {
        using var meter = new Meter(NewMeterName());
        using var recorder = new TelemetryRecorder(meter.Name);
        var telemetry = new RegistryTokenTelemetry(meter, "quay", "requests", "duration");

        telemetry.CountRequest(null, Mode("robot"));
        telemetry.CountRequest(QuayError.RobotTokenRefused, Mode("robot"));
        telemetry.CountRequest(null);

        var seen = recorder.Of("registrycredentials.quay.token.requests")
            .Select(m => (m.Value, m.Tag(ModeTag), m.Tag(RegistryTokenTelemetry.ErrorTypeTag)))
            .ToList();
        Assert.That(seen, Is.EqualTo(new[]
        {
            (1d, (string?)"robot", (string?)null),
            (1d, "robot", "robot_token_refused"),
            (1d, null, null),
        }));
    }

    [Test]
    public void Bad_arguments_are_refused_with_argument_errors()
    {
        using var meter = new Meter(NewMeterName());
        var telemetry = new RegistryTokenTelemetry(meter, "quay", "requests", "duration");

        Assert.Multiple(() =>
        {
            Assert.Throws<ArgumentNullException>(() => _ = new RegistryTokenTelemetry(null!, "quay", "requests", "duration"));
            Assert.Throws<ArgumentException>(() => _ = new RegistryTokenTelemetry(meter, " ", "requests", "duration"));
            Assert.Throws<ArgumentNullException>(() => telemetry.MeasureAsync(null!, () => Task.FromResult(1)));
            Assert.Throws<ArgumentNullException>(() => telemetry.MeasureAsync<int>(TimeProvider.System, null!));
            Assert.Throws<ArgumentNullException>(() => RegistryTokenTelemetry.Count(null!, null));
            Assert.Throws<ArgumentNullException>(() => RegistryTokenTelemetry.ErrorType(null!));
        });
    }

    [Test]
    public void A_provider_exception_takes_its_reason_from_its_kind_unless_the_throw_site_gives_one()
    {
        var refused = new QuayException(QuayError.RobotTokenRefused, "Quay refused the robot token.");
        var throttled = new QuayException(QuayError.RobotTokenRefused, "Quay throttled.", RegistryErrorReason.Throttled);
        var unspecified = new QuayException(QuayError.Unspecified, null);

        Assert.Multiple(() =>
        {
            Assert.That(refused.Kind, Is.EqualTo(QuayError.RobotTokenRefused));
            Assert.That(refused.Reason, Is.EqualTo(RegistryErrorReason.Unauthorized));
            Assert.That(refused.IsTransient, Is.False);
            Assert.That(refused.KindName, Is.EqualTo("robot_token_refused"));
            Assert.That(throttled.Reason, Is.EqualTo(RegistryErrorReason.Throttled));
            Assert.That(throttled.IsTransient, Is.True);
            Assert.That(unspecified.Reason, Is.EqualTo(RegistryErrorReason.Unspecified));
            Assert.That(unspecified.Message, Is.Not.Empty, "a null message gives the default one");
            Assert.That(refused, Is.InstanceOf<RegistryProviderException>().And.InstanceOf<RegistryCredentialsException>());
        });
    }

    private static TagList Mode(string mode) => new() { { ModeTag, mode } };

    private static string NewMeterName() => "RegistryCredentials.Tests.Quay." + Guid.NewGuid().ToString("N");

    private sealed class QuayException(QuayError kind, string? message, RegistryErrorReason? reason = null)
        : RegistryProviderException<QuayError>(kind, message, null, reason)
    {
        protected override RegistryErrorReason ReasonOf(QuayError kind) => kind switch
        {
            QuayError.RobotTokenRefused => RegistryErrorReason.Unauthorized,
            QuayError.NotARobot => RegistryErrorReason.InvalidEntry,
            _ => RegistryErrorReason.Unspecified,
        };
    }
}
