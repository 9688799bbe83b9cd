using Amazon.Runtime.Internal.Endpoints.StandardLibrary;

namespace RegistryCredentials.Aws.Tests;

/// <summary>
/// <see cref="EcrRegistryHost.ResolveApiEndpoint"/> against ECR's published endpoint ruleset, over every partition ×
/// FIPS × dual-stack. Source: boto/botocore <c>botocore/data/ecr/2015-09-21/endpoint-rule-set-1.json</c> as last changed
/// in 5d51a3838 ("Update to latest models", 2025-11-13; unchanged at 0e6e2404, 2026-08-07), which names every partition
/// and gives each the same four templates — <c>https://api.ecr.{Region}.{dnsSuffix}</c>, FIPS
/// <c>https://api.ecr-fips.{Region}.{dnsSuffix}</c>, dual-stack <c>https://ecr.{Region}.{dualStackDnsSuffix}</c>, both
/// <c>https://ecr-fips.{Region}.{dualStackDnsSuffix}</c> — with the suffixes of <c>botocore/data/partitions.json</c> in
/// the same tree. The rows that botocore's vectors cover (<c>tests/functional/endpoint-rules/ecr/endpoint-tests-1.json</c>)
/// are copied from them. Note: rulesets before 5d51a3838 had <c>https://ecr-fips.{Region}.amazonaws.com</c> (no
/// <c>api.</c>) for FIPS in aws and aws-us-gov; the current one has <c>api.ecr-fips.…</c> in every partition.
/// </summary>
public class EcrEndpointRulesTests
{
    private static readonly object[][] Rules =
    [
        //  region              fips   dual   endpoint
        ["us-east-1", false, false, "https://api.ecr.us-east-1.amazonaws.com/"],
        ["us-east-1", true, false, "https://api.ecr-fips.us-east-1.amazonaws.com/"],
        ["us-east-1", false, true, "https://ecr.us-east-1.api.aws/"],
        ["us-east-1", true, true, "https://ecr-fips.us-east-1.api.aws/"],
        ["us-gov-west-1", false, false, "https://api.ecr.us-gov-west-1.amazonaws.com/"],
        ["us-gov-west-1", true, false, "https://api.ecr-fips.us-gov-west-1.amazonaws.com/"],
        ["us-gov-west-1", false, true, "https://ecr.us-gov-west-1.api.aws/"],
        ["us-gov-west-1", true, true, "https://ecr-fips.us-gov-west-1.api.aws/"],
        ["cn-northwest-1", false, false, "https://api.ecr.cn-northwest-1.amazonaws.com.cn/"],
        ["cn-northwest-1", true, false, "https://api.ecr-fips.cn-northwest-1.amazonaws.com.cn/"],
        ["cn-northwest-1", false, true, "https://ecr.cn-northwest-1.api.amazonwebservices.com.cn/"],
        ["cn-northwest-1", true, true, "https://ecr-fips.cn-northwest-1.api.amazonwebservices.com.cn/"],
        ["eusc-de-east-1", false, false, "https://api.ecr.eusc-de-east-1.amazonaws.eu/"],
        ["eusc-de-east-1", true, false, "https://api.ecr-fips.eusc-de-east-1.amazonaws.eu/"],
        ["eusc-de-east-1", false, true, "https://ecr.eusc-de-east-1.api.amazonwebservices.eu/"],
        ["eusc-de-east-1", true, true, "https://ecr-fips.eusc-de-east-1.api.amazonwebservices.eu/"],
        ["us-iso-east-1", false, false, "https://api.ecr.us-iso-east-1.c2s.ic.gov/"],
        ["us-iso-east-1", true, false, "https://api.ecr-fips.us-iso-east-1.c2s.ic.gov/"],
        ["us-iso-east-1", false, true, "https://ecr.us-iso-east-1.api.aws.ic.gov/"],
        ["us-iso-east-1", true, true, "https://ecr-fips.us-iso-east-1.api.aws.ic.gov/"],
        ["us-isob-east-1", false, false, "https://api.ecr.us-isob-east-1.sc2s.sgov.gov/"],
        ["us-isob-east-1", true, false, "https://api.ecr-fips.us-isob-east-1.sc2s.sgov.gov/"],
        ["us-isob-east-1", false, true, "https://ecr.us-isob-east-1.api.aws.scloud/"],
        ["us-isob-east-1", true, true, "https://ecr-fips.us-isob-east-1.api.aws.scloud/"],
        ["eu-isoe-west-1", false, false, "https://api.ecr.eu-isoe-west-1.cloud.adc-e.uk/"],
        ["eu-isoe-west-1", true, false, "https://api.ecr-fips.eu-isoe-west-1.cloud.adc-e.uk/"],
        ["eu-isoe-west-1", false, true, "https://ecr.eu-isoe-west-1.api.cloud-aws.adc-e.uk/"],
        ["eu-isoe-west-1", true, true, "https://ecr-fips.eu-isoe-west-1.api.cloud-aws.adc-e.uk/"],
        ["us-isof-south-1", false, false, "https://api.ecr.us-isof-south-1.csp.hci.ic.gov/"],
        ["us-isof-south-1", true, false, "https://api.ecr-fips.us-isof-south-1.csp.hci.ic.gov/"],
        ["us-isof-south-1", false, true, "https://ecr.us-isof-south-1.api.aws.hci.ic.gov/"],
        ["us-isof-south-1", true, true, "https://ecr-fips.us-isof-south-1.api.aws.hci.ic.gov/"],
    ];

    /// <summary>One region of each partition, with the partition's name.</summary>
    private static readonly object[][] Partitions =
    [
        ["us-east-1", "aws"],
        ["mx-central-1", "aws"],
        ["us-gov-east-1", "aws-us-gov"],
        ["cn-north-1", "aws-cn"],
        ["eusc-de-east-1", "aws-eusc"],
        ["us-iso-west-1", "aws-iso"],
        ["us-isob-east-1", "aws-iso-b"],
        ["eu-isoe-west-1", "aws-iso-e"],
        ["us-isof-east-1", "aws-iso-f"],
    ];

    [TestCaseSource(nameof(Rules))]
    public void Api_endpoint_follows_the_ecr_ruleset(string region, bool fips, bool dualStack, string expected) =>
        Assert.That(EcrRegistryHost.ResolveApiEndpoint(region, fips, dualStack).AbsoluteUri, Is.EqualTo(expected));

    /// <summary>
    /// The partition data behind <see cref="EcrRegistryHost.ResolveApiEndpoint"/> is the data of the AWS SDK this package
    /// runs on: AWSSDK.Core's <c>Fn.Partition</c> (the <c>aws.partition</c> function of the SDK's generated endpoint
    /// resolvers) gives the name and DNS suffixes, and ECR's four templates applied to them give the same endpoints. If
    /// an SDK update changes a suffix, this test says so.
    /// </summary>
    [TestCaseSource(nameof(Partitions))]
    public void Partition_data_is_the_aws_sdks(string region, string partitionName)
    {
        var sdk = Fn.Partition(region);

        Assert.Multiple(() =>
        {
            Assert.That(sdk.name, Is.EqualTo(partitionName));
            Assert.That(sdk.supportsFIPS && sdk.supportsDualStack, Is.True, "ECR's ruleset gives every partition FIPS and dual-stack endpoints");
            Assert.That(EcrRegistryHost.ResolveApiEndpoint(region, false, false).AbsoluteUri, Is.EqualTo($"https://api.ecr.{region}.{sdk.dnsSuffix}/"));
            Assert.That(EcrRegistryHost.ResolveApiEndpoint(region, true, false).AbsoluteUri, Is.EqualTo($"https://api.ecr-fips.{region}.{sdk.dnsSuffix}/"));
            Assert.That(EcrRegistryHost.ResolveApiEndpoint(region, false, true).AbsoluteUri, Is.EqualTo($"https://ecr.{region}.{sdk.dualStackDnsSuffix}/"));
            Assert.That(EcrRegistryHost.ResolveApiEndpoint(region, true, true).AbsoluteUri, Is.EqualTo($"https://ecr-fips.{region}.{sdk.dualStackDnsSuffix}/"));
        });
    }

    [TestCase("")]
    [TestCase("us east 1")]
    [TestCase("US-EAST-1")]
    [TestCase("us-east-1.evil.example")]
    public void Anything_but_a_region_name_is_refused(string region) =>
        Assert.Throws<ArgumentException>(() => EcrRegistryHost.ResolveApiEndpoint(region, false, false));
}
