using System.Net;
using RegistryCredentials.Aws.Tests.Support;
using RegistryCredentials.Tests.Support;

namespace RegistryCredentials.Aws.Tests;

/// <summary>
/// The one ECR call, against a local HTTPS endpoint that checks every SigV4 signature itself (canonical request, string
/// to sign, signing key from the per-run secret) and refuses bad ones as AWS does.
/// </summary>
public class EcrTokenRequestTests
{
    private FakeEcrEndpoint _ecr = null!;
    private TestHost _host = null!;
    private AwsTestKeys _keys = null!;
    private string _account = null!;
    private string _registry = null!;

    [SetUp]
    public async Task SetUpAsync()
    {
        _keys = AwsTestKeys.NewLongTerm();
        _account = AwsTestKeys.NewAccountId();
        _registry = $"{_account}.dkr.ecr.us-west-2.amazonaws.com";
        _host = EcrTestHosts.Create(o => { o.ServiceUrl = _ecr.BaseUri; o.MaxRetries = 0; });
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
    public async Task Token_call_is_sigv4_signed_and_its_answer_becomes_the_AWS_credential()
    {
        await _host.AddEcrAsync(_registry, _keys.AccessKeyId, _keys.SecretAccessKey);

        var credential = await _host.ResolveCredentialAsync(_registry + "/team/app:1.0");

        var call = _ecr.Calls.Single();
        Assert.Multiple(() =>
        {
            Assert.That(credential.Username, Is.EqualTo("AWS"));
            Assert.That(credential.Secret.Reveal(), Is.EqualTo(_ecr.LastPassword));
            Assert.That(credential.ExpiresOn, Is.EqualTo(TestHost.Start.AddHours(12).AddMinutes(-1)), "handed out until one minute before ECR's expiresAt");
            Assert.That(credential.RefreshOn, Is.EqualTo(TestHost.Start.AddHours(6)), "refresh at half-life");
            Assert.That(call.Status, Is.EqualTo(HttpStatusCode.OK), call.ErrorCode);
            Assert.That(call.Target, Is.EqualTo("AmazonEC2ContainerRegistry_V20150921.GetAuthorizationToken"));
            Assert.That(call.AccessKeyId, Is.EqualTo(_keys.AccessKeyId));
            Assert.That(call.Region, Is.EqualTo("us-west-2"), "signed for the registry's region");
            Assert.That(call.Service, Is.EqualTo("ecr"));
            Assert.That(call.RegistryIds, Is.EqualTo(new[] { _account }));
            Assert.That(call.SignedHeaders, Is.SupersetOf(new[] { "content-type", "host", "x-amz-date", "x-amz-target" }));
            Assert.That(call.SessionToken, Is.Null);
            Assert.That(call.At, Is.EqualTo(TestHost.Start), "the signature's clock is the TimeProvider");
        });
    }

    [Test]
    public async Task Public_ecr_calls_the_ecr_public_api_signed_for_us_east_1()
    {
        await _host.AddEcrAsync("public.ecr.aws", _keys.AccessKeyId, _keys.SecretAccessKey);

        var credential = await _host.ResolveCredentialAsync("public.ecr.aws/acme/tool:2");

        var call = _ecr.Calls.Single();
        Assert.Multiple(() =>
        {
            Assert.That(credential.Secret.Reveal(), Is.EqualTo(_ecr.LastPassword));
            Assert.That(call.Target, Is.EqualTo("SpencerFrontendService.GetAuthorizationToken"));
            Assert.That(call.Service, Is.EqualTo("ecr-public"));
            Assert.That(call.Region, Is.EqualTo("us-east-1"));
            Assert.That(call.RegistryIds, Is.Empty);
        });
    }

    [Test]
    public async Task Wrong_secret_key_is_refused_by_the_signature_check_as_InvalidSignatureException()
    {
        var wrong = _keys with { SecretAccessKey = AwsTestKeys.NewLongTerm().SecretAccessKey };
        await _host.AddEcrAsync(_registry, wrong.AccessKeyId, wrong.SecretAccessKey);

        var error = Assert.ThrowsAsync<AwsEcrException>(() => _host.ResolveCredentialAsync(_registry + "/app"));

        Assert.Multiple(() =>
        {
            Assert.That(error!.Kind, Is.EqualTo(AwsEcrErrorKind.Unauthorized));
            Assert.That(error.ErrorCode, Is.EqualTo("InvalidSignatureException"));
            Assert.That(error.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(error.Outcome, Is.EqualTo(RegistryValidationOutcome.Unauthorized));
            Assert.That(error.ToString(), Does.Not.Contain(wrong.SecretAccessKey).And.Not.Contain(_keys.SecretAccessKey));
            Assert.That(_ecr.RequestCount, Is.EqualTo(1), "a refused credential is not retried");
        });
    }

    [TestCase(false, HttpStatusCode.BadRequest, "UnrecognizedClientException", TestName = "Unknown access key id is UnrecognizedClientException")]
    [TestCase(true, HttpStatusCode.BadRequest, "AccessDeniedException", TestName = "Missing permission is AccessDeniedException")]
    public async Task Refused_credentials_are_typed_unauthorized(bool knownKey, HttpStatusCode status, string code)
    {
        var keys = knownKey ? _keys : AwsTestKeys.NewLongTerm();
        if (knownKey)
        {
            _ecr.FailWith = (status, code);
        }

        await _host.AddEcrAsync(_registry, keys.AccessKeyId, keys.SecretAccessKey);

        var error = Assert.ThrowsAsync<AwsEcrException>(() => _host.ResolveCredentialAsync(_registry + "/app"));

        Assert.That((error!.Kind, error.ErrorCode, error.StatusCode), Is.EqualTo((AwsEcrErrorKind.Unauthorized, code, status)));
    }
}
