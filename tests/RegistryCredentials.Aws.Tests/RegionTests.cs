using System.Net;
using RegistryCredentials.Aws.Tests.Support;
using RegistryCredentials.Tests.Support;

namespace RegistryCredentials.Aws.Tests;

/// <summary>
/// <see cref="AwsEcrOptions.Region"/> only fills in the region of a scope that has none (<c>*</c>); a registry host's
/// own region always wins. The local ECR endpoint serves one region and refuses a signature scoped to another, as AWS
/// does (see <see cref="FakeEcrEndpoint"/>).
/// </summary>
public class RegionTests
{
    private FakeEcrEndpoint _ecr = null!;
    private TestHost _host = null!;
    private AwsTestKeys _keys = null!;
    private string _account = null!;

    [SetUp]
    public async Task SetUpAsync()
    {
        _keys = AwsTestKeys.NewLongTerm();
        _account = AwsTestKeys.NewAccountId();
        _host = EcrTestHosts.Create(o =>
        {
            o.ServiceUrl = _ecr.BaseUri;
            o.Region = "us-east-1";
            o.MaxRetries = 0;
        });
        _ecr = await FakeEcrEndpoint.StartAsync(_host.Time);
        _ecr.AddKeys(_keys);
    }

    [TearDown]
    public async Task TearDownAsync()
    {
        _host.Dispose();
        await _ecr.DisposeAsync();
    }

    [Test]
    public async Task A_registry_host_region_wins_over_AwsEcrOptions_Region()
    {
        var registry = $"{_account}.dkr.ecr.eu-west-1.amazonaws.com";
        _ecr.Region = "eu-west-1";
        await _host.AddEcrAsync(registry, _keys.AccessKeyId, _keys.SecretAccessKey);

        var credential = await _host.ResolveCredentialAsync(registry + "/app:1");

        var call = _ecr.Calls.Single();
        Assert.Multiple(() =>
        {
            Assert.That(call.Status, Is.EqualTo(HttpStatusCode.OK), call.ErrorCode);
            Assert.That(call.Region, Is.EqualTo("eu-west-1"), "signed for the registry's own region, not AwsEcrOptions.Region");
            Assert.That(credential.Secret.Reveal(), Is.EqualTo(_ecr.LastPassword));
        });
    }

    [Test]
    public async Task AwsEcrOptions_Region_fills_in_a_star_region()
    {
        _ecr.Region = "us-east-1";
        await _host.AddEcrAsync($"{_account}.dkr.ecr.*.amazonaws.com", _keys.AccessKeyId, _keys.SecretAccessKey);

        await _host.ResolveCredentialAsync($"{_account}.dkr.ecr.us-east-1.amazonaws.com/app:1");

        Assert.That(_ecr.Calls.Single().Region, Is.EqualTo("us-east-1"));
    }

    [TestCase("{0}.dkr.ecr.*.amazonaws.com.cn", TestName = "AwsEcrOptions.Region of another partition than a '*' host is refused on add")]
    [TestCase("{0}.dkr.ecr.us-iso-east-1.amazonaws.com", TestName = "A host whose region is in another partition than its suffix is refused on add")]
    [TestCase("{0}.dkr.ecr.eusc-de-east-1.amazonaws.com", TestName = "A European Sovereign Cloud region under amazonaws.com is refused on add")]
    public async Task Region_and_partition_mismatches_are_refused_and_nothing_is_stored(string scopeFormat)
    {
        await _host.AddEcrAsync($"{_account}.dkr.ecr.eu-west-1.amazonaws.com", _keys.AccessKeyId, _keys.SecretAccessKey);
        var before = await _host.SnapshotAsync();

        var error = Assert.ThrowsAsync<AwsEcrException>(() =>
            _host.AddEcrAsync(
                string.Format(System.Globalization.CultureInfo.InvariantCulture, scopeFormat, _account),
                _keys.AccessKeyId,
                _keys.SecretAccessKey,
                validate: true));

        var after = await _host.SnapshotAsync();
        Assert.Multiple(() =>
        {
            Assert.That(error!.Kind, Is.EqualTo(AwsEcrErrorKind.InvalidEntry));
            Assert.That(error.Message, Does.Contain("partition"));
            Assert.That(after, Is.EqualTo(before), "nothing stored was lost or changed");
            Assert.That(_ecr.RequestCount, Is.Zero);
        });
    }

    [Test]
    public async Task A_request_signed_for_another_region_is_refused_as_AWS_refuses_it()
    {
        // The endpoint serves eu-west-1; the '*' scope's region is filled in with AwsEcrOptions.Region (us-east-1).
        _ecr.Region = "eu-west-1";
        await _host.AddEcrAsync($"{_account}.dkr.ecr.*.amazonaws.com", _keys.AccessKeyId, _keys.SecretAccessKey);

        var error = Assert.ThrowsAsync<AwsEcrException>(() => _host.ResolveCredentialAsync($"{_account}.dkr.ecr.eu-west-1.amazonaws.com/app:1"));

        Assert.Multiple(() =>
        {
            Assert.That(error!.Kind, Is.EqualTo(AwsEcrErrorKind.Unauthorized));
            Assert.That(error.ErrorCode, Is.EqualTo("InvalidSignatureException"));
            Assert.That(error.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(_ecr.TokensIssued, Is.Zero);
        });
    }
}
