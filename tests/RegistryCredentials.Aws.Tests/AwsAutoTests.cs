using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RegistryCredentials.Aws.Tests.Support;
using RegistryCredentials.Tests.Support;

namespace RegistryCredentials.Aws.Tests;

/// <summary>
/// <c>awsauto</c>: the machine's identity through the AWS default credential chain, refused unless
/// <see cref="AwsEcrOptions.AllowIamRoleAuto"/>, at add and at resolve; when allowed, credentials come from an EC2
/// instance-metadata (IMDSv2) endpoint on loopback.
/// </summary>
public class AwsAutoTests
{
    private FakeEcrEndpoint _ecr = null!;
    private TestHost _host = null!;
    private string _registry = null!;
    private bool _allowAuto;

    [SetUp]
    public async Task SetUpAsync()
    {
        _registry = $"{AwsTestKeys.NewAccountId()}.dkr.ecr.us-east-1.amazonaws.com";
        _allowAuto = false;
        _host = EcrTestHosts.Create(o =>
        {
            o.ServiceUrl = _ecr.BaseUri;
            o.MaxRetries = 0;
            o.AllowIamRoleAuto = _allowAuto;
        });
        _ecr = await FakeEcrEndpoint.StartAsync(_host.Time);
    }

    [TearDown]
    public async Task TearDownAsync()
    {
        _host.Dispose();
        await _ecr.DisposeAsync();
    }

    [Test]
    public async Task Awsauto_is_refused_at_add_unless_allowed_and_nothing_is_stored()
    {
        var before = await _host.SnapshotAsync();

        var error = Assert.ThrowsAsync<AwsEcrException>(() => _host.AddEcrAsync(_registry, "awsauto", "awsauto", validate: true));
        var after = await _host.SnapshotAsync();

        Assert.Multiple(() =>
        {
            Assert.That(error!.Kind, Is.EqualTo(AwsEcrErrorKind.IamRoleAutoNotAllowed));
            Assert.That(error.Message, Does.Contain("AllowIamRoleAuto"));
            Assert.That(after, Is.EqualTo(before));
            Assert.That(_ecr.RequestCount, Is.Zero);
        });
    }

    [Test]
    public async Task Awsauto_is_refused_at_resolve_once_it_is_no_longer_allowed()
    {
        _allowAuto = true;
        await _host.AddEcrAsync(_registry, "awsauto", "awsauto");
        _allowAuto = false;
        _host.Services.GetRequiredService<IOptionsMonitorCache<AwsEcrOptions>>().Clear(); // as a configuration reload would

        var error = Assert.ThrowsAsync<AwsEcrException>(() => _host.Resolver.ResolveAsync(ImageReference.Parse(_registry + "/app:1")).AsTask());

        Assert.That(error!.Kind, Is.EqualTo(AwsEcrErrorKind.IamRoleAutoNotAllowed));
        Assert.That(_ecr.RequestCount, Is.Zero, "no token is fetched with the machine's identity");
    }

    [Test]
    public async Task Allowed_awsauto_signs_with_the_instance_role_from_imdsv2()
    {
        await using var imds = await FakeImdsEndpoint.StartAsync();
        _ecr.AddKeys(imds.Keys);
        _allowAuto = true;

        // Only for this test: the SDK's instance-metadata endpoint is the loopback one. Put back afterwards.
        using (new EnvironmentOverride(new Dictionary<string, string?> { ["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = imds.Endpoint }))
        {
            await _host.AddEcrAsync(_registry, "awsauto", "awsauto", validate: true);
        }

        var call = _ecr.Calls.Single();
        var credential = await _host.ResolveCredentialAsync(_registry + "/app:1");
        Assert.Multiple(() =>
        {
            Assert.That(call.ErrorCode, Is.Null);
            Assert.That(call.AccessKeyId, Is.EqualTo(imds.Keys.AccessKeyId));
            Assert.That(call.SessionToken, Is.EqualTo(imds.Keys.SessionToken), "the session token is sent and signed");
            Assert.That(call.SignedHeaders, Does.Contain("x-amz-security-token"));
            Assert.That(imds.Requests, Does.Contain("PUT /latest/api/token 200"), "IMDSv2 session token first");
            Assert.That(
                imds.Requests.Where(r => r.StartsWith("GET", StringComparison.Ordinal)),
                Is.Not.Empty.And.All.EndsWith(" 200"),
                "every metadata read carried the token");
            Assert.That(credential.Secret.Reveal(), Is.EqualTo(_ecr.LastPassword), "validation's token is reused by the resolve");
            Assert.That(Environment.GetEnvironmentVariable("AWS_EC2_METADATA_SERVICE_ENDPOINT"), Is.EqualTo(AwsSdkIsolation.ClosedImdsEndpoint));
        });
    }
}
