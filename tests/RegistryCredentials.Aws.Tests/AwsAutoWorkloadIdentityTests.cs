using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using RegistryCredentials.Aws.Tests.Support;
using RegistryCredentials.Tests.Support;

namespace RegistryCredentials.Aws.Tests;

/// <summary>
/// <c>awsauto</c> on Kubernetes, end to end through the AWS SDK's own default credential chain: IAM roles for service
/// accounts (IRSA: <c>AWS_ROLE_ARN</c> + <c>AWS_WEB_IDENTITY_TOKEN_FILE</c>, STS <c>AssumeRoleWithWebIdentity</c>) and
/// EKS Pod Identity (<c>AWS_CONTAINER_CREDENTIALS_FULL_URI</c> + <c>AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE</c>, the
/// node's Pod Identity agent). The environment is what EKS injects into a pod (amazon-eks-pod-identity-webhook for
/// IRSA; the EKS Pod Identity add-on for Pod Identity: https://docs.aws.amazon.com/eks/latest/userguide/pod-id-how-it-works.html),
/// with the endpoints moved to loopback: <c>AWS_ENDPOINT_URL_STS</c> (the SDK's standard service endpoint override) and
/// the agent's full URI on 127.0.0.1 / ::1 (which the SDK allows as it allows 169.254.170.23 and fd00:ec2::23). Tokens
/// are signed per run by a made-up cluster key; STS and the agent check them as AWS does (see
/// <see cref="FakeWebIdentityStsEndpoint"/>, <see cref="FakePodIdentityAgent"/>), and the ECR endpoint checks the
/// SigV4 signature with the temporary credentials. Environment variables are process-wide: these tests are not run in
/// parallel, and every variable is put back after each test.
/// </summary>
[NonParallelizable]
public class AwsAutoWorkloadIdentityTests
{
    private const string Region = "us-east-1";

    private static readonly string SharedCredentialsFile = AwsSdkIsolation.Isolated["AWS_SHARED_CREDENTIALS_FILE"]!;

    private readonly List<EnvironmentOverride> _environment = [];
    private ServiceAccountTokenIssuer _cluster = null!;
    private FakeEcrEndpoint _ecr = null!;
    private TestHost _host = null!;
    private string _directory = null!;
    private string _registry = null!;
    private string _roleArn = null!;

    [SetUp]
    public async Task SetUpAsync()
    {
        _cluster = new ServiceAccountTokenIssuer();
        var account = AwsTestKeys.NewAccountId();
        _registry = $"{account}.dkr.ecr.{Region}.amazonaws.com";
        _roleArn = $"arn:aws:iam::{account}:role/ecr-puller";
        _directory = Directory.CreateTempSubdirectory("rc-aws-workload-").FullName;
        _host = EcrTestHosts.Create(o =>
        {
            o.ServiceUrl = _ecr.BaseUri;
            o.MaxRetries = 0;
            o.AllowIamRoleAuto = true;
        });
        _ecr = await FakeEcrEndpoint.StartAsync(_host.Time);
    }

    [TearDown]
    public async Task TearDownAsync()
    {
        _host.Dispose();
        for (var i = _environment.Count - 1; i >= 0; i--)
        {
            _environment[i].Dispose();
        }

        _environment.Clear();
        await _ecr.DisposeAsync();
        _cluster.Dispose();
        Directory.Delete(_directory, recursive: true);
        File.WriteAllText(SharedCredentialsFile, string.Empty);
        Assert.That(Environment.GetEnvironmentVariable("AWS_WEB_IDENTITY_TOKEN_FILE"), Is.Null, "the environment is put back");
        Assert.That(Environment.GetEnvironmentVariable("AWS_CONTAINER_CREDENTIALS_FULL_URI"), Is.Null, "the environment is put back");
    }

    [Test]
    public async Task Irsa_assumes_the_role_with_the_projected_token_and_ecr_is_signed_with_the_session()
    {
        await using var sts = await FakeWebIdentityStsEndpoint.StartAsync(_cluster, _roleArn);
        var token = _cluster.Issue(FakeWebIdentityStsEndpoint.Audience);
        UseIrsa(sts, token);
        _ecr.AddKeys(sts.SessionKeys);

        await _host.AddEcrAsync(_registry, "awsauto", "awsauto", validate: true);
        var credential = await _host.ResolveCredentialAsync(_registry + "/app:1");

        var (form, signed, error) = sts.Calls.Single();
        var call = _ecr.Calls.Single();
        Assert.Multiple(() =>
        {
            Assert.That(error, Is.Null);
            Assert.That(form["Action"], Is.EqualTo("AssumeRoleWithWebIdentity"));
            Assert.That(form["Version"], Is.EqualTo("2011-06-15"));
            Assert.That(form["RoleArn"], Is.EqualTo(_roleArn));
            Assert.That(form["WebIdentityToken"], Is.EqualTo(token), "the token file's content, as it is");
            Assert.That(form["RoleSessionName"], Is.Not.Empty);
            Assert.That(signed, Is.False, "AssumeRoleWithWebIdentity is sent unsigned: no other credential goes with it");
            Assert.That(call.ErrorCode, Is.Null);
            Assert.That(call.AccessKeyId, Is.EqualTo(sts.SessionKeys.AccessKeyId));
            Assert.That(call.SessionToken, Is.EqualTo(sts.SessionKeys.SessionToken), "the session token is sent");
            Assert.That(call.SignedHeaders, Does.Contain("x-amz-security-token"), "and signed");
            Assert.That(call.Region, Is.EqualTo(Region));
            Assert.That(credential.Username, Is.EqualTo("AWS"));
            Assert.That(credential.Secret.Reveal(), Is.EqualTo(_ecr.LastPassword));
        });
    }

    /// <summary>Tokens STS refuses, and a role whose trust policy does not name the service account.</summary>
    private static IEnumerable<TestCaseData> IrsaRefusals()
    {
        yield return new TestCaseData(new Func<ServiceAccountTokenIssuer, string>(c =>
        {
            using var other = System.Security.Cryptography.RSA.Create(2048);
            return c.Issue(FakeWebIdentityStsEndpoint.Audience, signWith: other);
        }), "InvalidIdentityToken", false).SetName("Irsa_token_signed_with_another_key_is_refused");
        yield return new TestCaseData(
            new Func<ServiceAccountTokenIssuer, string>(c => c.Issue(FakeWebIdentityStsEndpoint.Audience, TimeSpan.FromMinutes(-5))),
            "ExpiredTokenException",
            false)
            .SetName("Irsa_expired_token_is_refused");
        yield return new TestCaseData(new Func<ServiceAccountTokenIssuer, string>(c => c.Issue(FakePodIdentityAgent.Audience)), "InvalidIdentityToken", false)
            .SetName("Irsa_token_for_another_audience_is_refused");
        yield return new TestCaseData(
            new Func<ServiceAccountTokenIssuer, string>(c => c.Issue(
                FakeWebIdentityStsEndpoint.Audience,
                issuer: "https://oidc.eks.us-east-1.amazonaws.com/id/OTHERCLUSTER")),
            "InvalidIdentityToken",
            false)
            .SetName("Irsa_token_of_another_cluster_is_refused");
        yield return new TestCaseData(new Func<ServiceAccountTokenIssuer, string>(c => c.Issue(FakeWebIdentityStsEndpoint.Audience)), "AccessDenied", true)
            .SetName("Irsa_role_that_does_not_trust_the_service_account_is_refused");
    }

    [TestCaseSource(nameof(IrsaRefusals))]
    public async Task Irsa_refusal_fails_typed_and_stores_nothing(Func<ServiceAccountTokenIssuer, string> token, string stsError, bool otherRole)
    {
        await using var sts = await FakeWebIdentityStsEndpoint.StartAsync(
            _cluster,
            otherRole ? _roleArn.Replace("ecr-puller", "someone-else", StringComparison.Ordinal) : _roleArn);
        await using var agent = await FakePodIdentityAgent.StartAsync(_cluster);
        var jwt = token(_cluster);
        UseIrsa(sts, jwt);
        UsePodIdentity(agent.FullUri, _cluster.Issue(FakePodIdentityAgent.Audience)); // a later source of the chain
        _ecr.AddKeys(sts.SessionKeys);
        _ecr.AddKeys(agent.Keys);
        var before = await _host.SnapshotAsync();

        var error = Assert.ThrowsAsync<AwsEcrException>(() => _host.AddEcrAsync(_registry, "awsauto", "awsauto", validate: true));

        var after = await _host.SnapshotAsync();
        Assert.Multiple(() =>
        {
            Assert.That(error!.Kind, Is.EqualTo(AwsEcrErrorKind.NoCredentials));
            Assert.That(error.ErrorCode, Is.EqualTo(stsError), "STS's error code is kept");
            Assert.That(error.Message, Does.Contain(stsError));
            Assert.That(error.Message, Does.Not.Contain(_roleArn), "no role ARN in messages");
            Assert.That(error.Message, Does.Not.Contain(jwt).And.Not.Contain(jwt.Split('.')[2]), "the token is never in a message");
            Assert.That(_host.Logs.Lines, Has.None.Contains(jwt.Split('.')[2]), "nor in a log");
            Assert.That(sts.Calls.Select(c => c.ErrorCode), Is.Not.Empty.And.All.EqualTo(stsError));
            Assert.That(agent.Requests, Is.Empty, "a refused source does not fall through to the next one");
            Assert.That(_ecr.RequestCount, Is.Zero, "no token is asked for");
            Assert.That(after, Is.EqualTo(before), "nothing stored");
        });
    }

    [Test]
    public async Task Irsa_without_a_readable_token_file_fails_typed_and_stores_nothing()
    {
        await using var sts = await FakeWebIdentityStsEndpoint.StartAsync(_cluster, _roleArn);
        UseIrsa(sts, token: null);
        var before = await _host.SnapshotAsync();

        var error = Assert.ThrowsAsync<AwsEcrException>(() => _host.AddEcrAsync(_registry, "awsauto", "awsauto", validate: true));

        var after = await _host.SnapshotAsync();
        Assert.Multiple(() =>
        {
            Assert.That(error!.Kind, Is.EqualTo(AwsEcrErrorKind.NoCredentials));
            Assert.That(sts.Calls, Is.Empty);
            Assert.That(_ecr.RequestCount, Is.Zero);
            Assert.That(after, Is.EqualTo(before), "nothing stored");
        });
    }

    [TestCase("127.0.0.1")]
    [TestCase("::1")]
    public async Task Pod_identity_sends_the_token_file_to_the_agent_and_ecr_is_signed_with_its_credentials(string address)
    {
        await using var agent = await FakePodIdentityAgent.StartAsync(_cluster, address);
        var token = _cluster.Issue(FakePodIdentityAgent.Audience);
        UsePodIdentity(agent.FullUri, token);
        _ecr.AddKeys(agent.Keys);

        await _host.AddEcrAsync(_registry, "awsauto", "awsauto", validate: true);
        var credential = await _host.ResolveCredentialAsync(_registry + "/app:1");

        var call = _ecr.Calls.Single();
        Assert.Multiple(() =>
        {
            Assert.That(agent.Requests, Is.EqualTo(new[] { "GET /v1/credentials 200" }));
            Assert.That(call.ErrorCode, Is.Null);
            Assert.That(call.AccessKeyId, Is.EqualTo(agent.Keys.AccessKeyId));
            Assert.That(call.SessionToken, Is.EqualTo(agent.Keys.SessionToken));
            Assert.That(call.SignedHeaders, Does.Contain("x-amz-security-token"));
            Assert.That(credential.Secret.Reveal(), Is.EqualTo(_ecr.LastPassword));
        });
    }

    /// <summary>Token files the agent refuses (an empty file sends no <c>Authorization</c> at all).</summary>
    private static IEnumerable<TestCaseData> PodIdentityRefusals()
    {
        yield return new TestCaseData(new Func<ServiceAccountTokenIssuer, string>(c => c.Issue(FakeWebIdentityStsEndpoint.Audience)))
            .SetName("Pod_identity_token_for_another_audience_is_refused");
        yield return new TestCaseData(new Func<ServiceAccountTokenIssuer, string>(c => c.Issue(FakePodIdentityAgent.Audience, TimeSpan.FromMinutes(-5))))
            .SetName("Pod_identity_expired_token_is_refused");
        yield return new TestCaseData(new Func<ServiceAccountTokenIssuer, string>(c =>
        {
            using var other = System.Security.Cryptography.RSA.Create(2048);
            return c.Issue(FakePodIdentityAgent.Audience, signWith: other);
        })).SetName("Pod_identity_token_signed_with_another_key_is_refused");
        yield return new TestCaseData(new Func<ServiceAccountTokenIssuer, string>(_ => string.Empty))
            .SetName("Pod_identity_empty_token_file_is_refused");
    }

    [TestCaseSource(nameof(PodIdentityRefusals))]
    public async Task Pod_identity_refusal_fails_typed_and_stores_nothing(Func<ServiceAccountTokenIssuer, string> token)
    {
        await using var agent = await FakePodIdentityAgent.StartAsync(_cluster);
        var jwt = token(_cluster);
        UsePodIdentity(agent.FullUri, jwt);
        _ecr.AddKeys(agent.Keys);
        var before = await _host.SnapshotAsync();

        var error = Assert.ThrowsAsync<AwsEcrException>(() => _host.AddEcrAsync(_registry, "awsauto", "awsauto", validate: true));

        var after = await _host.SnapshotAsync();
        Assert.Multiple(() =>
        {
            Assert.That(error!.Kind, Is.EqualTo(AwsEcrErrorKind.NoCredentials));
            Assert.That(agent.Requests, Is.Not.Empty.And.All.EqualTo("GET /v1/credentials 400"));
            if (jwt.Length > 0)
            {
                Assert.That(error.Message, Does.Not.Contain(jwt.Split('.')[2]), "the token is never in a message");
                Assert.That(_host.Logs.Lines, Has.None.Contains(jwt.Split('.')[2]), "nor in a log");
            }

            Assert.That(_ecr.RequestCount, Is.Zero, "no token is asked for");
            Assert.That(after, Is.EqualTo(before), "nothing stored");
        });
    }

    [Test]
    public async Task Pod_identity_token_goes_to_no_plain_http_address_outside_loopback_and_the_agent_addresses()
    {
        // A listener on one of this machine's own non-loopback addresses: traffic to it would stay on the machine, and
        // the SDK must refuse it before sending anything (GenericContainerCredentials: http only to loopback,
        // 169.254.170.2, 169.254.170.23, [fd00:ec2::23]).
        var address = NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus == OperationalStatus.Up && n.NetworkInterfaceType != NetworkInterfaceType.Loopback)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a));
        if (address is null)
        {
            Assert.Ignore("This machine has no non-loopback IPv4 address to listen on.");
        }

        await using var agent = await FakePodIdentityAgent.StartAsync(_cluster, address!.ToString());
        UsePodIdentity(agent.FullUri, _cluster.Issue(FakePodIdentityAgent.Audience));
        var before = await _host.SnapshotAsync();

        var error = Assert.ThrowsAsync<AwsEcrException>(() => _host.AddEcrAsync(_registry, "awsauto", "awsauto", validate: true));

        var after = await _host.SnapshotAsync();
        Assert.Multiple(() =>
        {
            Assert.That(error!.Kind, Is.EqualTo(AwsEcrErrorKind.NoCredentials));
            Assert.That(agent.Requests, Is.Empty, "the token was not sent");
            Assert.That(_ecr.RequestCount, Is.Zero);
            Assert.That(after, Is.EqualTo(before), "nothing stored");
        });
    }

    /// <summary>
    /// The order of the SDK's default chain, pinned: the first source that is configured wins, and the others are not
    /// asked. Sources: environment keys, web identity (IRSA), the shared credentials file's default profile, container
    /// credentials (Pod Identity), instance metadata (IMDSv2). The last resort alone is
    /// <see cref="AwsAutoTests.Allowed_awsauto_signs_with_the_instance_role_from_imdsv2"/>: the SDK keeps one instance-profile
    /// provider per process, so it is tested once.
    /// </summary>
    [TestCase("keys,irsa,profile,pod,imds", "keys")]
    [TestCase("irsa,profile,pod,imds", "irsa")]
    [TestCase("profile,pod,imds", "profile")]
    [TestCase("pod,imds", "pod")]
    public async Task The_first_configured_source_of_the_chain_signs(string configured, string expected)
    {
        var sources = configured.Split(',');
        await using var sts = await FakeWebIdentityStsEndpoint.StartAsync(_cluster, _roleArn);
        await using var agent = await FakePodIdentityAgent.StartAsync(_cluster);
        await using var imds = await FakeImdsEndpoint.StartAsync();
        var keys = AwsTestKeys.NewLongTerm();
        var profile = AwsTestKeys.NewLongTerm();
        if (sources.Contains("keys"))
        {
            Use(new() { ["AWS_ACCESS_KEY_ID"] = keys.AccessKeyId, ["AWS_SECRET_ACCESS_KEY"] = keys.SecretAccessKey });
        }

        if (sources.Contains("irsa"))
        {
            UseIrsa(sts, _cluster.Issue(FakeWebIdentityStsEndpoint.Audience));
        }

        if (sources.Contains("profile"))
        {
            // The profile goes into the (empty) shared credentials file the whole run uses, and is emptied after the test.
            File.WriteAllText(
                SharedCredentialsFile,
                $"[default]\naws_access_key_id = {profile.AccessKeyId}\naws_secret_access_key = {profile.SecretAccessKey}\n");
        }

        if (sources.Contains("pod"))
        {
            UsePodIdentity(agent.FullUri, _cluster.Issue(FakePodIdentityAgent.Audience));
        }

        Use(new() { ["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = imds.Endpoint });
        _ecr.AddKeys(expected switch { "keys" => keys, "irsa" => sts.SessionKeys, "profile" => profile, _ => agent.Keys });

        await _host.AddEcrAsync(_registry, "awsauto", "awsauto", validate: true);

        Assert.Multiple(() =>
        {
            Assert.That(_ecr.Calls.Single().ErrorCode, Is.Null);
            Assert.That(sts.Calls, Has.Count.EqualTo(expected == "irsa" ? 1 : 0), "STS");
            Assert.That(agent.Requests, Has.Count.EqualTo(expected == "pod" ? 1 : 0), "Pod Identity agent");
            Assert.That(imds.Requests, Is.Empty, "instance metadata");
        });
    }

    /// <summary>What the EKS Pod Identity webhook injects for IRSA, with STS on loopback.</summary>
    private void UseIrsa(FakeWebIdentityStsEndpoint sts, string? token) =>
        Use(new()
        {
            ["AWS_ROLE_ARN"] = _roleArn,
            ["AWS_WEB_IDENTITY_TOKEN_FILE"] = TokenFile("eks.amazonaws.com-token", token),
            ["AWS_REGION"] = Region,
            ["AWS_DEFAULT_REGION"] = Region,
            ["AWS_STS_REGIONAL_ENDPOINTS"] = "regional",
            ["AWS_ENDPOINT_URL_STS"] = sts.BaseUri.AbsoluteUri,
        });

    /// <summary>What the EKS Pod Identity add-on injects, with the agent on loopback.</summary>
    private void UsePodIdentity(string fullUri, string token) =>
        Use(new()
        {
            ["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = fullUri,
            ["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"] = TokenFile("eks-pod-identity-token", token),
            ["AWS_REGION"] = Region,
            ["AWS_DEFAULT_REGION"] = Region,
            ["AWS_STS_REGIONAL_ENDPOINTS"] = "regional",
        });

    private void Use(Dictionary<string, string?> variables) => _environment.Add(new EnvironmentOverride(variables));

    /// <summary>A file in the test's directory (absolute path) holding <paramref name="content"/>; null: a path where no file is.</summary>
    private string TokenFile(string name, string? content)
    {
        var path = Path.Combine(_directory, name);
        if (content is not null)
        {
            File.WriteAllText(path, content);
        }

        return path;
    }
}
