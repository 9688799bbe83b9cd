using System.Net;
using Amazon.Runtime;
using RegistryCredentials.Aws.Tests.Support;

namespace RegistryCredentials.Aws.Tests;

/// <summary>
/// The ECR, ECR Public and STS endpoints the provider picks by itself (no <c>ServiceUrl</c>/<c>StsServiceUrl</c>),
/// reached by their real host names through loopback routes (<see cref="AwsHostRoutes"/>): TLS is checked for the real
/// name, and the fake endpoints refuse a signature scoped to another region than the one their host name serves, as AWS
/// does. The expected host names are the ones the AWS SDKs' endpoint rulesets give, in boto/botocore:
/// <list type="bullet">
/// <item><description>ECR: <c>botocore/data/ecr/2015-09-21/endpoint-rule-set-1.json</c> as last changed in 5d51a3838
/// ("Update to latest models", 2025-11-13) and its vectors <c>tests/functional/endpoint-rules/ecr/endpoint-tests-1.json</c>:
/// for every partition <c>api.ecr.{Region}.{dnsSuffix}</c>, FIPS <c>api.ecr-fips.{Region}.{dnsSuffix}</c>, dual-stack
/// <c>ecr.{Region}.{dualStackDnsSuffix}</c>, both <c>ecr-fips.{Region}.{dualStackDnsSuffix}</c>;</description></item>
/// <item><description>ECR Public: <c>botocore/data/ecr-public/2020-10-30/endpoint-rule-set-1.json</c> (7e678ed6b,
/// 2025-10-23): <c>api.ecr-public.us-east-1.amazonaws.com</c>, dual-stack <c>ecr-public.us-east-1.api.aws</c>;</description></item>
/// <item><description>STS: <c>botocore/data/sts/2011-06-15/endpoint-rule-set-1.json</c> (bd3c3ef99, 2025-10-30) and its
/// vectors: FIPS <c>sts-fips.{Region}.{dnsSuffix}</c> except GovCloud, whose regional <c>sts.{Region}.amazonaws.com</c> is
/// its FIPS endpoint; dual-stack and FIPS <c>sts-fips.{Region}.{dualStackDnsSuffix}</c>.</description></item>
/// </list>
/// Dual-stack registry hosts (<c>dkr-ecr[-fips].{Region}.on.aws</c>, <c>ecr-public.aws.com</c>) are the ones AWS's
/// "Making requests to Amazon ECR (Public) registries" pages list for IPv6.
/// </summary>
public class EcrEndpointTests
{
    [TestCase("{0}.dkr.ecr.us-east-1.amazonaws.com", "api.ecr.us-east-1.amazonaws.com", "us-east-1")]
    [TestCase("{0}.dkr.ecr-fips.us-east-1.amazonaws.com", "api.ecr-fips.us-east-1.amazonaws.com", "us-east-1")]
    [TestCase("{0}.dkr.ecr-fips.us-gov-west-1.amazonaws.com", "api.ecr-fips.us-gov-west-1.amazonaws.com", "us-gov-west-1")]
    [TestCase("{0}.dkr-ecr.us-west-2.on.aws", "ecr.us-west-2.api.aws", "us-west-2")]
    [TestCase("{0}.dkr-ecr-fips.us-east-1.on.aws", "ecr-fips.us-east-1.api.aws", "us-east-1")]
    [TestCase("{0}.dkr-ecr.cn-north-1.on.amazonwebservices.com.cn", "ecr.cn-north-1.api.amazonwebservices.com.cn", "cn-north-1")]
    [TestCase("{0}.dkr.ecr-fips.cn-northwest-1.amazonaws.com.cn", "api.ecr-fips.cn-northwest-1.amazonaws.com.cn", "cn-northwest-1")]
    [TestCase("{0}.dkr.ecr.eusc-de-east-1.amazonaws.eu", "api.ecr.eusc-de-east-1.amazonaws.eu", "eusc-de-east-1")]
    [TestCase("{0}.dkr.ecr-fips.us-iso-east-1.c2s.ic.gov", "api.ecr-fips.us-iso-east-1.c2s.ic.gov", "us-iso-east-1")]
    [TestCase("public.ecr.aws", "api.ecr-public.us-east-1.amazonaws.com", "us-east-1")]
    [TestCase("ecr-public.aws.com", "ecr-public.us-east-1.api.aws", "us-east-1")]
    public async Task The_token_comes_from_the_api_endpoint_the_ruleset_names(string registryFormat, string apiHost, string region)
    {
        var keys = AwsTestKeys.NewLongTerm();
        var account = AwsTestKeys.NewAccountId();
        var registry = string.Format(System.Globalization.CultureInfo.InvariantCulture, registryFormat, account);
        var routes = new AwsHostRoutes(apiHost);
        using var host = EcrTestHosts.CreateRouted(routes, o => o.MaxRetries = 0);
        await using var ecr = await FakeEcrEndpoint.StartAsync(host.Time, routes.Certificate);
        routes.Route(apiHost, ecr.BaseUri);
        ecr.AddKeys(keys);

        await host.AddEcrAsync(registry, keys.AccessKeyId, keys.SecretAccessKey);
        var credential = await host.ResolveCredentialAsync(registry + "/team/app:1");

        var call = ecr.Calls.Single();
        Assert.Multiple(() =>
        {
            Assert.That(call.Status, Is.EqualTo(HttpStatusCode.OK), call.ErrorCode);
            Assert.That(call.Host, Is.EqualTo(apiHost));
            Assert.That(routes.Dialled, Is.All.EqualTo(apiHost), "no other host was dialled");
            Assert.That(call.Region, Is.EqualTo(region), "signed for the region the endpoint serves");
            Assert.That(
                call.Service,
                Is.EqualTo(registry.Contains(
                    "ecr-public",
                    StringComparison.Ordinal) || registry.StartsWith("public.", StringComparison.Ordinal) ? "ecr-public" : "ecr"));
            Assert.That(credential.Secret.Reveal(), Is.EqualTo(ecr.LastPassword));
        });
    }

    [TestCase("{0}.dkr.ecr-fips.us-east-1.amazonaws.com", "sts-fips.us-east-1.amazonaws.com", "api.ecr-fips.us-east-1.amazonaws.com", "us-east-1")]
    [TestCase("{0}.dkr.ecr-fips.us-west-2.amazonaws.com", "sts-fips.us-west-2.amazonaws.com", "api.ecr-fips.us-west-2.amazonaws.com", "us-west-2")]
    [TestCase("{0}.dkr-ecr-fips.us-east-2.on.aws", "sts-fips.us-east-2.api.aws", "ecr-fips.us-east-2.api.aws", "us-east-2")]
    [TestCase("{0}.dkr.ecr-fips.us-gov-west-1.amazonaws.com", "sts.us-gov-west-1.amazonaws.com", "api.ecr-fips.us-gov-west-1.amazonaws.com", "us-gov-west-1")]
    [TestCase("{0}.dkr.ecr.eu-west-1.amazonaws.com", "sts.eu-west-1.amazonaws.com", "api.ecr.eu-west-1.amazonaws.com", "eu-west-1")]
    public async Task Iam_role_is_assumed_through_the_sts_endpoint_that_matches_the_registry(
        string registryFormat,
        string stsHost,
        string apiHost,
        string region)
    {
        var baseKeys = AwsTestKeys.NewLongTerm();
        var account = AwsTestKeys.NewAccountId();
        var registry = string.Format(System.Globalization.CultureInfo.InvariantCulture, registryFormat, account);
        var roleArn = $"arn:aws:iam::{account}:role/ecr-pull";
        var routes = new AwsHostRoutes(stsHost, apiHost);
        using var host = EcrTestHosts.CreateRouted(routes, o =>
        {
            o.BaseCredentials = new BasicAWSCredentials(baseKeys.AccessKeyId, baseKeys.SecretAccessKey);
            o.MaxRetries = 0;
        });
        await using var sts = await FakeStsEndpoint.StartAsync(host.Time, baseKeys, roleArn, null, routes.Certificate);
        await using var ecr = await FakeEcrEndpoint.StartAsync(host.Time, routes.Certificate);
        routes.Route(stsHost, sts.BaseUri);
        routes.Route(apiHost, ecr.BaseUri);
        ecr.AddKeys(sts.SessionKeys);

        await host.AddEcrAsync(registry, "_iam_role", roleArn);
        await host.ResolveCredentialAsync(registry + "/app:1");

        var (form, signature) = sts.Calls.Single();
        Assert.Multiple(() =>
        {
            Assert.That(sts.Hosts, Is.EqualTo(new[] { stsHost }));
            Assert.That(signature.IsValid, Is.True, signature.Message);
            Assert.That(signature.Region, Is.EqualTo(region));
            Assert.That(form["Action"], Is.EqualTo("AssumeRole"));
            Assert.That(ecr.Calls.Single().Host, Is.EqualTo(apiHost));
            Assert.That(ecr.Calls.Single().AccessKeyId, Is.EqualTo(sts.SessionKeys.AccessKeyId), "the ECR call is signed with the assumed session");
            Assert.That(routes.Dialled.Distinct(), Is.EquivalentTo(new[] { stsHost, apiHost }));
        });
    }
}
