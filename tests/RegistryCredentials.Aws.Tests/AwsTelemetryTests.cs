using Amazon.Runtime;
using RegistryCredentials.Aws.Tests.Support;
using RegistryCredentials.Tests.Support.Telemetry;

namespace RegistryCredentials.Aws.Tests;

/// <summary>
/// The ECR package's meter and activity source, listened to while real token fetches run against the local STS and ECR
/// endpoints (which check every SigV4 signature): an <c>_iam_role</c> session, a refused secret key, a throttled call
/// that is retried. Checks names, units and tags against docs/telemetry.md; never timings.
/// </summary>
public class AwsTelemetryTests
{
    private const string ErrorType = "error.type";

    [Test]
    public void Meter_and_activity_source_are_named_after_the_package()
    {
        Assert.That(AwsEcrTelemetry.MeterName, Is.EqualTo("RegistryCredentials.Aws"));
        Assert.That(AwsEcrTelemetry.ActivitySourceName, Is.EqualTo("RegistryCredentials.Aws"));
    }

    [Test]
    public async Task Token_fetches_publish_the_documented_instruments_tags_and_activity()
    {
        using var recorder = new TelemetryRecorder(AwsEcrTelemetry.MeterName);
        var baseKeys = AwsTestKeys.NewLongTerm();
        var keys = AwsTestKeys.NewLongTerm();
        var account = AwsTestKeys.NewAccountId();
        var roleArn = $"arn:aws:iam::{account}:role/ecr-pull";
        var externalId = "ext-" + Guid.NewGuid().ToString("N");
        FakeEcrEndpoint ecr = null!;
        FakeStsEndpoint sts = null!;
        using var host = EcrTestHosts.Create(o =>
        {
            o.ServiceUrl = ecr.BaseUri;
            o.StsServiceUrl = sts.BaseUri;
            o.BaseCredentials = new BasicAWSCredentials(baseKeys.AccessKeyId, baseKeys.SecretAccessKey);
            o.MaxRetries = 1;
            o.RetryBaseDelay = TimeSpan.Zero;
            o.RetryMaxDelay = TimeSpan.Zero;
        });
        await using var _ = ecr = await FakeEcrEndpoint.StartAsync(host.Time);
        await using var __ = sts = await FakeStsEndpoint.StartAsync(host.Time, baseKeys, roleArn, externalId);
        ecr.AddKeys(sts.SessionKeys);
        ecr.AddKeys(keys);

        // An _iam_role entry: STS AssumeRole, then GetAuthorizationToken signed with the session.
        var role = $"{account}.dkr.ecr.eu-west-1.amazonaws.com";
        await host.AddEcrAsync(role, "_iam_role", roleArn + ";" + externalId);
        await host.ResolveCredentialAsync(role + "/app:1");

        // A secret key AWS refuses (the endpoint's signature check fails): unauthorized, not retried.
        var refused = $"{AwsTestKeys.NewAccountId()}.dkr.ecr.us-west-2.amazonaws.com";
        await host.AddEcrAsync(refused, keys.AccessKeyId, AwsTestKeys.NewLongTerm().SecretAccessKey);
        var error = Assert.ThrowsAsync<AwsEcrException>(() => host.ResolveCredentialAsync(refused + "/app:1"));
        Assert.That(error!.Kind, Is.EqualTo(AwsEcrErrorKind.Unauthorized));

        // A throttled call, retried once (no backoff configured), then served.
        var throttled = $"{AwsTestKeys.NewAccountId()}.dkr.ecr.us-east-2.amazonaws.com";
        await host.AddEcrAsync(throttled, keys.AccessKeyId, keys.SecretAccessKey);
        ecr.ThrottleNext(1);
        await host.ResolveCredentialAsync(throttled + "/app:1");

        Assert.Multiple(() =>
        {
            TelemetryDocs.AssertMeterMatches(recorder, AwsEcrTelemetry.MeterName);
            TelemetryDocs.AssertActivitiesMatch(recorder, AwsEcrTelemetry.ActivitySourceName, "RegistryCredentials.Aws.GetAuthorizationToken");

            foreach (var instrument in new[] { "registrycredentials.aws.token.requests", "registrycredentials.aws.token.duration" })
            {
                var errors = recorder.Of(instrument).Select(m => m.Tag(ErrorType)).ToList();
                Assert.That(errors, Has.Member(null), instrument + ": tokens issued carry no error.type");
                Assert.That(errors, Has.Member("unauthorized"), instrument + ": the refused key");
            }

            Assert.That(recorder.Of("registrycredentials.aws.role_sessions").Select(m => m.Tag(ErrorType)), Has.Member(null));
            Assert.That(recorder.Of("registrycredentials.aws.retries"), Is.Not.Empty, "the throttled call was retried");
            var activity = recorder.Activities.First(a => a.OperationName == "RegistryCredentials.Aws.GetAuthorizationToken");
            Assert.That(activity.GetTagItem("aws.region"), Is.Not.Null);
            Assert.That(activity.GetTagItem("registrycredentials.registry"), Is.Not.Null);
        });
    }
}
