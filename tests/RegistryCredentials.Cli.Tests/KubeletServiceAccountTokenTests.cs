using System.Security.Cryptography;
using System.Text.Json;
using RegistryCredentials.Cli.Tests.Support;
using RegistryCredentials.Tests.Support.Cloud;
using RegistryCredentials.Tests.Support.Registry;

namespace RegistryCredentials.Cli.Tests;

/// <summary>
/// The kubelet plugin in service-account-token mode, through the regcred process: the v1 CredentialProviderRequest
/// carries <c>serviceAccountToken</c> and <c>serviceAccountAnnotations</c> (kubernetes/kubernetes
/// staging/src/k8s.io/kubelet/pkg/apis/credentialprovider/v1/types.go, KEP-4412). ECR entries exchange the token with the
/// local STS (<see cref="FakeWebIdentityStsEndpoint"/>: AWS's AssumeRoleWithWebIdentity rules, the token checked against
/// the cluster's key, audience and the role's trusted subject) and sign GetAuthorizationToken with the session it grants
/// (<see cref="FakeEcrEndpoint"/> checks SigV4); ACR entries present it to the local Entra ID token endpoint as the client
/// assertion of workload identity federation (<see cref="EntraTokenEndpoint"/>: grant, client id, scope, assertion type and
/// value) and exchange Entra's token at the ACR front (<see cref="AcrFront"/>). Endpoints are moved to loopback the way the
/// SDKs allow it (AWS_ENDPOINT_URL_STS / AWS_ENDPOINT_URL_ECR, AZURE_AUTHORITY_HOST) and the test CA is the process's
/// trust store (SSL_CERT_FILE).
/// </summary>
[NonParallelizable]
public sealed class KubeletServiceAccountTokenTests
{
    private const string Region = "us-east-1";
    private Sandbox _sandbox = null!;

    [SetUp]
    public void SetUp() => _sandbox = new Sandbox();

    [TearDown]
    public void TearDown() => _sandbox.Dispose();

    /// <summary>A fake ECR in <see cref="Region"/> that accepts the role sessions <paramref name="sts"/> hands out.</summary>
    private static async Task<FakeEcrEndpoint> StartEcrAsync(FakeWebIdentityStsEndpoint sts)
    {
        var ecr = await FakeEcrEndpoint.StartAsync(TimeProvider.System);
        ecr.Region = Region;
        ecr.AddKeys(sts.SessionKeys);
        return ecr;
    }

    [Test]
    public async Task An_ecr_entry_pulls_with_the_role_the_service_account_names_through_sts_web_identity()
    {
        using var cluster = new ServiceAccountTokenIssuer();
        var account = AwsTestKeys.NewAccountId();
        var podRole = $"arn:aws:iam::{account}:role/pod-pull";
        await using var sts = await FakeWebIdentityStsEndpoint.StartAsync(cluster, podRole);
        await using var ecr = await StartEcrAsync(sts);
        var registry = $"{account}.dkr.ecr.{Region}.amazonaws.com";

        // The entry names another role: the service account's annotation wins, the entry's role is never assumed.
        await AddAsync(registry, "_iam_role", $"arn:aws:iam::{account}:role/node-pull");
        var token = cluster.Issue(FakeWebIdentityStsEndpoint.Audience);
        var run = await RequestAsync(registry + "/team/app:1", token, new() { ["eks.amazonaws.com/role-arn"] = podRole }, Aws(sts, ecr));

        var response = Json.Parse(run.Stdout);
        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.Zero, run.ToString());
            Assert.That(response.Text("serviceAccountTokenCacheType"), Is.EqualTo("ServiceAccount"));
            Assert.That(response.Text("cacheKeyType"), Is.EqualTo("Registry"));
            var auth = response.GetProperty("auth").GetProperty(registry);
            Assert.That(auth.Text("username"), Is.EqualTo("AWS"));
            Assert.That(auth.Text("password"), Is.EqualTo(ecr.LastPassword));

            var (form, signed, error) = sts.Calls.Single();
            Assert.That(error, Is.Null);
            Assert.That(signed, Is.False, "AssumeRoleWithWebIdentity is not signed: the token is the credential");
            Assert.That(form["Action"], Is.EqualTo("AssumeRoleWithWebIdentity"));
            Assert.That(form["RoleArn"], Is.EqualTo(podRole));
            Assert.That(form["WebIdentityToken"], Is.EqualTo(token), "the pod's own token, unchanged");
            var call = ecr.Calls.Single();
            Assert.That(call.AccessKeyId, Is.EqualTo(sts.SessionKeys.AccessKeyId), "ECR is asked with the pod's role session");
            Assert.That(call.SessionToken, Is.EqualTo(sts.SessionKeys.SessionToken));
            Assert.That(run.Stderr, Does.Not.Contain(token));
        });
    }

    [Test]
    public async Task Without_an_annotation_the_entrys_role_is_assumed_with_the_pods_token()
    {
        using var cluster = new ServiceAccountTokenIssuer();
        var account = AwsTestKeys.NewAccountId();
        var role = $"arn:aws:iam::{account}:role/ecr-pull";
        await using var sts = await FakeWebIdentityStsEndpoint.StartAsync(cluster, role);
        await using var ecr = await StartEcrAsync(sts);
        var registry = $"{account}.dkr.ecr.{Region}.amazonaws.com";
        await AddAsync(registry, "_iam_role", role);

        var run = await RequestAsync(registry + "/app:1", cluster.Issue(FakeWebIdentityStsEndpoint.Audience), null, Aws(sts, ecr));

        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        Assert.That(sts.Calls.Single().Form["RoleArn"], Is.EqualTo(role));
        Assert.That(Json.Parse(run.Stdout).GetProperty("auth").GetProperty(registry).Text("password"), Is.EqualTo(ecr.LastPassword));
    }

    [Test]
    public async Task A_token_sts_refuses_gets_no_credential_and_an_access_key_entry_needs_a_role()
    {
        using var cluster = new ServiceAccountTokenIssuer();
        using var otherCluster = RSA.Create(2048);
        var account = AwsTestKeys.NewAccountId();
        var role = $"arn:aws:iam::{account}:role/ecr-pull";
        await using var sts = await FakeWebIdentityStsEndpoint.StartAsync(cluster, role);
        await using var ecr = await StartEcrAsync(sts);
        var registry = $"{account}.dkr.ecr.{Region}.amazonaws.com";
        await AddAsync(registry, "_iam_role", role);
        var keysRegistry = $"{account}.dkr.ecr.eu-west-1.amazonaws.com";
        var keys = AwsTestKeys.NewLongTerm();
        await AddAsync(keysRegistry, keys.AccessKeyId, keys.SecretAccessKey);

        // Signed by another cluster's key; for another audience; an access-key entry and no annotation; not a JWT.
        var forged = await RequestAsync(registry + "/app:1", cluster.Issue(FakeWebIdentityStsEndpoint.Audience, signWith: otherCluster), null, Aws(sts, ecr));
        var audience = await RequestAsync(registry + "/app:1", cluster.Issue("api://AzureADTokenExchange"), null, Aws(sts, ecr));
        var noRole = await RequestAsync(keysRegistry + "/app:1", cluster.Issue(FakeWebIdentityStsEndpoint.Audience), null, Aws(sts, ecr));
        var badRole = await RequestAsync(keysRegistry + "/app:1", cluster.Issue(FakeWebIdentityStsEndpoint.Audience),
            new() { ["eks.amazonaws.com/role-arn"] = "not-an-arn" }, Aws(sts, ecr));
        var notJwt = await RequestAsync(registry + "/app:1", "not-a-jwt", null, Aws(sts, ecr));

        Assert.Multiple(() =>
        {
            var expected = new[]
            {
                (forged, "InvalidIdentityToken"), (audience, "InvalidIdentityToken"), (noRole, "eks.amazonaws.com/role-arn"),
                (badRole, "not a role ARN"), (notJwt, "serviceAccountToken"),
            };
            foreach (var (run, fragment) in expected)
            {
                Assert.That(run.ExitCode, Is.Not.Zero, run.ToString());
                Assert.That(run.Stdout, Is.Empty, run.ToString());
                Assert.That(run.Stderr, Does.Contain(fragment), run.ToString());
            }

            Assert.That(ecr.Calls, Is.Empty, "no ECR call without a granted session; the entry's access key was not used");
            // The AWS SDK retries InvalidIdentityToken (its retry policy counts it as retryable); every answer was a refusal.
            Assert.That(sts.Calls.Select(c => c.ErrorCode), Is.Not.Empty.And.All.EqualTo("InvalidIdentityToken"));
        });

        // The refused requests changed nothing stored.
        var list = await _sandbox.RunAsync(["registry", "list", "-o", "json"], null);
        Assert.That(list.Stdout, Does.Contain(registry).And.Contain(keysRegistry), list.ToString());
    }

    [Test]
    public async Task An_acr_entry_federates_the_token_with_entra_id_and_exchanges_it_at_the_registry()
    {
        var certificates = TestCertificates.Shared;
        await using var entra = await EntraTokenEndpoint.StartAsync(certificates);
        await using var front = await AcrFront.StartAsync(entra, certificates);
        front.Now = TimeProvider.System.GetUtcNow;
        using var cluster = new ServiceAccountTokenIssuer();
        var token = cluster.Issue("api://AzureADTokenExchange");
        entra.ClientAssertion = token;

        // A pass-through entry (the registry's admin user): the annotations name the pod's Entra application instead.
        var caFile = Path.Combine(_sandbox.Root, "ca.pem");
        await File.WriteAllTextAsync(caFile, certificates.CaPem);
        var add = await _sandbox.RunWithPasswordAsync("admin-password", "registry", "add", front.Registry, "--type", "acr", "--username", "admin",
            "--ca-file", caFile, "--validate=false");
        Assert.That(add.ExitCode, Is.Zero, add.ToString());

        var annotations = new Dictionary<string, string>
        {
            ["azure.workload.identity/client-id"] = entra.ClientId,
            ["azure.workload.identity/tenant-id"] = entra.TenantId,
        };
        var run = await RequestAsync(front.Registry + "/team/app:1", token, annotations, new()
        {
            ["AZURE_AUTHORITY_HOST"] = entra.AuthorityHost.AbsoluteUri,
            ["SSL_CERT_FILE"] = certificates.CaPath,
        });

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.Zero, run.ToString());
            Assert.That(entra.Problems, Is.Empty);
            Assert.That(front.Problems, Is.Empty);
            var auth = Json.Parse(run.Stdout).GetProperty("auth").GetProperty(front.Registry);
            Assert.That(auth.Text("username"), Is.EqualTo("00000000-0000-0000-0000-000000000000"));
            Assert.That(auth.Text("password"), Is.EqualTo(front.IssuedTokens.Single()), "the ACR refresh token, not the admin password");
            var form = entra.Requests.Single(r => r.Form is not null).Form!;
            Assert.That(form, Does.Contain("client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer")
                .Or.Contain("client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer"));
            Assert.That(form, Does.Not.Contain("client_secret"));
        });

        // Another assertion (another pod's token) is refused by Entra ID: no credential.
        entra.ClientAssertion = cluster.Issue("api://AzureADTokenExchange");
        var refused = await RequestAsync(front.Registry + "/team/app:1", cluster.Issue("api://AzureADTokenExchange"), annotations, new()
        {
            ["AZURE_AUTHORITY_HOST"] = entra.AuthorityHost.AbsoluteUri,
            ["SSL_CERT_FILE"] = certificates.CaPath,
        });
        Assert.That(refused.ExitCode, Is.Not.Zero, refused.ToString());
        Assert.That(refused.Stdout, Is.Empty);
    }

    private static Dictionary<string, string?> Aws(FakeWebIdentityStsEndpoint sts, FakeEcrEndpoint ecr) => new()
    {
        ["AWS_ENDPOINT_URL_STS"] = sts.BaseUri.AbsoluteUri,
        ["AWS_ENDPOINT_URL_ECR"] = ecr.BaseUri.AbsoluteUri,
        ["AWS_EC2_METADATA_DISABLED"] = "true",
        ["SSL_CERT_FILE"] = TestCertificates.Shared.CaPath,
    };

    private async Task AddAsync(string scope, string username, string password)
    {
        var run = await _sandbox.RunWithPasswordAsync(password, "registry", "add", scope, "--username", username, "--validate=false");
        Assert.That(run.ExitCode, Is.Zero, run.ToString());
    }

    private Task<ToolRun> RequestAsync(string image, string token, Dictionary<string, string>? annotations, Dictionary<string, string?> environment)
    {
        var request = new Dictionary<string, object>
        {
            ["apiVersion"] = "credentialprovider.kubelet.k8s.io/v1",
            ["kind"] = "CredentialProviderRequest",
            ["image"] = image,
            ["serviceAccountToken"] = token,
        };
        if (annotations is not null)
        {
            request["serviceAccountAnnotations"] = annotations;
        }

        return _sandbox.RunAsync(["kubelet-credential-provider"], JsonSerializer.Serialize(request), environment);
    }
}
