using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using RegistryCredentials.Testing;
using RegistryCredentials.Tests.Support.Registry;

namespace RegistryCredentials.Aws.Tests;

/// <summary>
/// The provider conformance suite of <c>RegistryCredentials.Testing</c> against the ECR provider, with access-key entries
/// and the loopback ECR API (<see cref="FakeEcrEndpoint"/>: every request's SigV4 signature checked the way AWS checks
/// it, on the test's clock). A failing upstream answers <c>AccessDeniedException</c> (HTTP 400), which ECR's clients do
/// not retry. The ECR-specific failures of the secret canary: a malformed <c>_iam_role</c> password, <c>awsauto</c>
/// while it is off, a malformed access key id, and keys ECR does not know.
/// </summary>
[TestFixture]
public sealed class AwsEcrProviderConformanceTests : RegistryProviderConformanceTests
{
    private readonly ConcurrentQueue<string> _issued = new();
    private FakeEcrEndpoint _ecr = null!;
    private string _registry = null!;

    protected override int UpstreamCalls => _ecr.RequestCount;

    /// <summary>Each issued password, and the <c>base64("AWS:" + password)</c> token it came in.</summary>
    protected override IEnumerable<string> IssuedSecrets => _issued;

    protected override async Task StartUpstreamAsync(FakeTimeProvider time)
    {
        _issued.Clear();
        _ecr = await FakeEcrEndpoint.StartAsync(time);
        _ecr.OnTokenIssued = password =>
        {
            _issued.Enqueue(password);
            _issued.Enqueue(Convert.ToBase64String(Encoding.UTF8.GetBytes("AWS:" + password)));
        };
        _registry = $"{AwsTestKeys.NewAccountId()}.dkr.ecr.us-east-1.amazonaws.com";
    }

    protected override Task StopUpstreamAsync() => _ecr.DisposeAsync().AsTask();

    protected override void AddProvider(RegistryCredentialsBuilder builder)
    {
        builder.AddAwsEcr(o => o.ServiceUrl = _ecr.BaseUri);
        builder.Services.AddHttpClient(AwsEcrOptions.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(() => TestCertificates.Shared.CreateTrustingHandler());
    }

    protected override RegistryProviderTestEntry CreateEntry()
    {
        var keys = AwsTestKeys.NewLongTerm();
        _ecr.AddKeys(keys);
        return new RegistryProviderTestEntry
        {
            Scope = _registry,
            Type = RegistryType.AwsEcr,
            Username = keys.AccessKeyId,
            Secret = keys.SecretAccessKey,
            Image = _registry + "/team/app:1",
        };
    }

    protected override void SetUpstreamFailing(bool failing) =>
        _ecr.FailWith = failing ? (HttpStatusCode.BadRequest, "AccessDeniedException") : null;

    protected override bool HoldUpstream()
    {
        _ecr.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        return true;
    }

    protected override void ReleaseUpstream() => _ecr.Gate?.TrySetResult();

    protected override async Task ExerciseFailuresAsync(RegistryProviderTestHost host, RegistryProviderTestEntry entry)
    {
        var secret = "canary-" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
        host.WatchSecret(secret);
        var unknown = AwsTestKeys.NewLongTerm(); // never taught to the endpoint: ECR answers UnrecognizedClientException
        host.WatchSecret(unknown.SecretAccessKey);
        var other = $"{AwsTestKeys.NewAccountId()}.dkr.ecr.us-east-1.amazonaws.com";

        Assert.That(
            await host.CatchAsync(() => host.Manager.AddAsync(Request(other, AwsEcrCredentialProvider.IamRoleUsername, "not-an-arn;" + secret))),
            Is.InstanceOf<AwsEcrException>());
        Assert.That(
            await host.CatchAsync(() => host.Manager.AddAsync(Request(
                other,
                AwsEcrCredentialProvider.IamRoleUsername,
                "arn:aws:iam::123456789012:role/pull;" + secret + "\u0001"))),
            Is.InstanceOf<AwsEcrException>());
        Assert.That(
            await host.CatchAsync(() => host.Manager.AddAsync(Request(other, AwsEcrCredentialProvider.AutoUsername, AwsEcrCredentialProvider.AutoUsername))),
            Is.InstanceOf<AwsEcrException>());
        Assert.That(await host.CatchAsync(() => host.Manager.AddAsync(Request(other, "not a key id", secret))), Is.InstanceOf<AwsEcrException>());
        Assert.That(
            await host.CatchAsync(() => host.Manager.AddAsync(Request(other, unknown.AccessKeyId, unknown.SecretAccessKey))),
            Is.InstanceOf<AwsEcrException>());
        Assert.That(
            await host.CatchAsync(() => host.Manager.AddAsync(Request("not-ecr.example.com", entry.Username, secret))),
            Is.InstanceOf<AwsEcrException>());
    }

    private static RegistryAddRequest Request(string scope, string username, string password) =>
        new() { Scope = scope, Type = RegistryType.AwsEcr, Username = username, Password = password };
}
