namespace RegistryCredentials.Aws.Tests;

/// <summary>
/// Every ECR host form: account, region, FIPS, dual-stack, partition and the API endpoint that serves it. Host forms are
/// those of amazon-ecr-credential-helper (<c>ecr-login/api/client.go</c>, <c>ecrPattern</c>) and of AWS's ECR endpoint
/// pages (dual-stack <c>&lt;registry-id&gt;.dkr-ecr[-fips].&lt;region&gt;.on.aws</c>, ECR Public <c>ecr-public.aws.com</c>);
/// API endpoints follow ECR's endpoint ruleset (see <see cref="EcrEndpointRulesTests"/>).
/// </summary>
public class EcrRegistryHostTests
{
    private static readonly object?[][] Hosts =
    [
        //          host                                                          account          region              fips   dual   partition     api endpoint
        ["123456789012.dkr.ecr.us-east-1.amazonaws.com", "123456789012", "us-east-1", false, false, "aws", "https://api.ecr.us-east-1.amazonaws.com/"],
        ["123456789012.DKR.ECR.EU-WEST-1.AMAZONAWS.COM", "123456789012", "eu-west-1", false, false, "aws", "https://api.ecr.eu-west-1.amazonaws.com/"],
        ["123456789012.dkr.ecr-fips.us-east-2.amazonaws.com", "123456789012", "us-east-2", true, false, "aws", "https://api.ecr-fips.us-east-2.amazonaws.com/"],
        ["123456789012.dkr.ecr.us-gov-west-1.amazonaws.com", "123456789012", "us-gov-west-1",
            false, false, "aws-us-gov", "https://api.ecr.us-gov-west-1.amazonaws.com/"],
        ["123456789012.dkr.ecr-fips.us-gov-east-1.amazonaws.com", "123456789012", "us-gov-east-1",
            true, false, "aws-us-gov", "https://api.ecr-fips.us-gov-east-1.amazonaws.com/"],
        ["123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn", "123456789012", "cn-north-1",
            false, false, "aws-cn", "https://api.ecr.cn-north-1.amazonaws.com.cn/"],
        ["123456789012.dkr.ecr-fips.cn-north-1.amazonaws.com.cn", "123456789012", "cn-north-1",
            true, false, "aws-cn", "https://api.ecr-fips.cn-north-1.amazonaws.com.cn/"],
        ["123456789012.dkr-ecr.us-west-2.on.aws", "123456789012", "us-west-2", false, true, "aws", "https://ecr.us-west-2.api.aws/"],
        ["123456789012.dkr-ecr-fips.us-east-1.on.aws", "123456789012", "us-east-1", true, true, "aws", "https://ecr-fips.us-east-1.api.aws/"],
        ["123456789012.dkr-ecr.us-gov-west-1.on.aws", "123456789012", "us-gov-west-1", false, true, "aws-us-gov", "https://ecr.us-gov-west-1.api.aws/"],
        ["123456789012.dkr-ecr-fips.us-gov-east-1.on.aws", "123456789012", "us-gov-east-1",
            true, true, "aws-us-gov", "https://ecr-fips.us-gov-east-1.api.aws/"],
        ["123456789012.dkr-ecr.cn-northwest-1.on.amazonwebservices.com.cn", "123456789012", "cn-northwest-1",
            false, true, "aws-cn", "https://ecr.cn-northwest-1.api.amazonwebservices.com.cn/"],
        ["123456789012.dkr-ecr-fips.cn-north-1.on.amazonwebservices.com.cn", "123456789012", "cn-north-1",
            true, true, "aws-cn", "https://ecr-fips.cn-north-1.api.amazonwebservices.com.cn/"],
        ["123456789012.dkr.ecr.eusc-de-east-1.amazonaws.eu", "123456789012", "eusc-de-east-1",
            false, false, "aws-eusc", "https://api.ecr.eusc-de-east-1.amazonaws.eu/"],
        ["123456789012.dkr.ecr-fips.eusc-de-east-1.amazonaws.eu", "123456789012", "eusc-de-east-1",
            true, false, "aws-eusc", "https://api.ecr-fips.eusc-de-east-1.amazonaws.eu/"],
        ["123456789012.dkr.ecr.us-iso-east-1.c2s.ic.gov", "123456789012", "us-iso-east-1",
            false, false, "aws-iso", "https://api.ecr.us-iso-east-1.c2s.ic.gov/"],
        ["123456789012.dkr.ecr-fips.us-iso-west-1.c2s.ic.gov", "123456789012", "us-iso-west-1",
            true, false, "aws-iso", "https://api.ecr-fips.us-iso-west-1.c2s.ic.gov/"],
        ["123456789012.dkr.ecr.us-isob-east-1.sc2s.sgov.gov", "123456789012", "us-isob-east-1",
            false, false, "aws-iso-b", "https://api.ecr.us-isob-east-1.sc2s.sgov.gov/"],
        ["123456789012.dkr.ecr-fips.us-isob-east-1.sc2s.sgov.gov", "123456789012", "us-isob-east-1",
            true, false, "aws-iso-b", "https://api.ecr-fips.us-isob-east-1.sc2s.sgov.gov/"],
        ["123456789012.dkr.ecr.eu-isoe-west-1.cloud.adc-e.uk", "123456789012", "eu-isoe-west-1",
            false, false, "aws-iso-e", "https://api.ecr.eu-isoe-west-1.cloud.adc-e.uk/"],
        ["123456789012.dkr.ecr-fips.eu-isoe-west-1.cloud.adc-e.uk", "123456789012", "eu-isoe-west-1",
            true, false, "aws-iso-e", "https://api.ecr-fips.eu-isoe-west-1.cloud.adc-e.uk/"],
        ["123456789012.dkr.ecr.us-isof-south-1.csp.hci.ic.gov", "123456789012", "us-isof-south-1",
            false, false, "aws-iso-f", "https://api.ecr.us-isof-south-1.csp.hci.ic.gov/"],
        ["123456789012.dkr.ecr-fips.us-isof-east-1.csp.hci.ic.gov", "123456789012", "us-isof-east-1",
            true, false, "aws-iso-f", "https://api.ecr-fips.us-isof-east-1.csp.hci.ic.gov/"],
        ["*.dkr.ecr.ap-southeast-2.amazonaws.com", null, "ap-southeast-2", false, false, "aws", "https://api.ecr.ap-southeast-2.amazonaws.com/"],
        ["123456789012.dkr.ecr.*.amazonaws.com", "123456789012", null, false, false, "aws", null],
    ];

    [TestCaseSource(nameof(Hosts))]
    public void Parses_every_host_form(string host, string? account, string? region, bool fips, bool dualStack, string partition, string? api)
    {
        var parsed = EcrRegistryHost.Parse(host);

        Assert.Multiple(() =>
        {
            Assert.That(parsed.Host, Is.EqualTo(host.ToLowerInvariant()));
            Assert.That(parsed.AccountId, Is.EqualTo(account));
            Assert.That(parsed.Region, Is.EqualTo(region));
            Assert.That(parsed.IsFips, Is.EqualTo(fips));
            Assert.That(parsed.IsDualStack, Is.EqualTo(dualStack));
            Assert.That(parsed.IsPublic, Is.False);
            Assert.That(parsed.Partition, Is.EqualTo(partition));
            Assert.That(parsed.ApiEndpoint?.AbsoluteUri, Is.EqualTo(api));
            Assert.That(parsed.SigningService, Is.EqualTo("ecr"));
            Assert.That(RegistryType.Guess(host), Is.EqualTo(RegistryType.AwsEcr), "the core guesses the same hosts as ECR");
        });
    }

    [Test]
    public void Public_ecr_uses_the_ecr_public_api_in_us_east_1()
    {
        var parsed = EcrRegistryHost.Parse("Public.ECR.aws");

        Assert.Multiple(() =>
        {
            Assert.That(parsed.IsPublic, Is.True);
            Assert.That(parsed.AccountId, Is.Null);
            Assert.That(parsed.Region, Is.EqualTo("us-east-1"));
            Assert.That(parsed.Partition, Is.EqualTo("aws"));
            Assert.That(parsed.ApiEndpoint!.AbsoluteUri, Is.EqualTo("https://api.ecr-public.us-east-1.amazonaws.com/"));
            Assert.That(
                parsed.ApiEndpointFor("eu-west-1").AbsoluteUri,
                Is.EqualTo("https://api.ecr-public.us-east-1.amazonaws.com/"),
                "ECR Public has one API region");
            Assert.That(parsed.SigningService, Is.EqualTo("ecr-public"));
        });
    }

    [Test]
    public void Public_ecr_dual_stack_host_is_ecr_public_on_the_dual_stack_api()
    {
        var parsed = EcrRegistryHost.Parse("ECR-Public.AWS.com");

        Assert.Multiple(() =>
        {
            Assert.That(parsed.Host, Is.EqualTo(EcrRegistryHost.PublicDualStackHost));
            Assert.That(parsed.IsPublic, Is.True);
            Assert.That(parsed.IsDualStack, Is.True);
            Assert.That(parsed.IsFips, Is.False);
            Assert.That(parsed.AccountId, Is.Null);
            Assert.That(parsed.Region, Is.EqualTo("us-east-1"));
            Assert.That(parsed.Partition, Is.EqualTo("aws"));
            Assert.That(parsed.SigningService, Is.EqualTo("ecr-public"));

            // ECR Public's ruleset (botocore/data/ecr-public/2020-10-30/endpoint-rule-set-1.json): dual-stack in aws is
            // https://ecr-public.{Region}.api.aws; AWS's "Making requests to Amazon ECR Public registries" lists the pair.
            Assert.That(parsed.ApiEndpoint!.AbsoluteUri, Is.EqualTo("https://ecr-public.us-east-1.api.aws/"));
            Assert.That(RegistryType.Guess("ecr-public.aws.com"), Is.EqualTo(RegistryType.AwsEcr));
        });
    }

    [Test]
    public void A_region_override_keeps_the_partition_fips_and_dual_stack()
    {
        var fips = EcrRegistryHost.Parse("123456789012.dkr.ecr-fips.*.amazonaws.com");
        var dualStack = EcrRegistryHost.Parse("123456789012.dkr-ecr.*.on.aws");
        var china = EcrRegistryHost.Parse("*.dkr.ecr.*.amazonaws.com.cn");

        Assert.Multiple(() =>
        {
            Assert.That(fips.ApiEndpointFor("us-west-1").AbsoluteUri, Is.EqualTo("https://api.ecr-fips.us-west-1.amazonaws.com/"));
            Assert.That(
                fips.ApiEndpointFor("us-gov-east-1").AbsoluteUri,
                Is.EqualTo("https://api.ecr-fips.us-gov-east-1.amazonaws.com/"),
                "GovCloud shares amazonaws.com");
            Assert.That(dualStack.ApiEndpointFor("eu-central-1").AbsoluteUri, Is.EqualTo("https://ecr.eu-central-1.api.aws/"));
            Assert.That(china.ApiEndpointFor("cn-north-1").AbsoluteUri, Is.EqualTo("https://api.ecr.cn-north-1.amazonaws.com.cn/"));
        });
        Assert.Throws<ArgumentException>(() => fips.ApiEndpointFor("not a region"));
        var other = Assert.Throws<ArgumentException>(() => fips.ApiEndpointFor("cn-north-1"));
        Assert.That(other!.Message, Does.Contain("aws-cn partition"));
        Assert.Throws<ArgumentException>(() => china.ApiEndpointFor("us-east-1"));
    }

    [TestCase("docker.io")]
    [TestCase("")]
    [TestCase("12345678901.dkr.ecr.us-east-1.amazonaws.com", TestName = "eleven-digit account")]
    [TestCase("1234567890123.dkr.ecr.us-east-1.amazonaws.com", TestName = "thirteen-digit account")]
    [TestCase("123456789012.dkr.ecr.us-east-1.amazonaws.com:443", TestName = "port")]
    [TestCase("123456789012.dkr.ecr.us-east-1.amazonaws.com.evil.example", TestName = "ECR name as a prefix of another host")]
    [TestCase("evil.123456789012.dkr.ecr.us-east-1.amazonaws.com", TestName = "ECR name as a suffix of another host")]
    [TestCase("123456789012.dkr.ecr.us-east-1.amazonaws.co")]
    [TestCase("123456789012.dkr-ecr.us-east-1.amazonaws.com", TestName = "dual-stack label on an IPv4 host")]
    [TestCase("123456789012.dkr.ecr.us-east-1.on.aws", TestName = "IPv4 label on a dual-stack host")]
    [TestCase("123456789012.dkr.ecr.cn-north-1.amazonaws.com", TestName = "China region outside amazonaws.com.cn")]
    [TestCase("123456789012.dkr.ecr.us-east-1.amazonaws.com.cn", TestName = "other region under amazonaws.com.cn")]
    [TestCase("123456789012.dkr.ecr.useast1.amazonaws.com", TestName = "malformed region")]
    [TestCase("123456789012.dkr.ecr.us-iso-east-1.amazonaws.com", TestName = "ISO region under amazonaws.com")]
    [TestCase("123456789012.dkr.ecr.us-east-1.c2s.ic.gov", TestName = "commercial region under an ISO suffix")]
    [TestCase("123456789012.dkr.ecr.us-isob-east-1.c2s.ic.gov", TestName = "ISO-B region under the ISO suffix")]
    [TestCase("123456789012.dkr.ecr.eu-central-1.amazonaws.eu", TestName = "commercial region under amazonaws.eu")]
    [TestCase("123456789012.dkr.ecr.eusc-de-east-1.amazonaws.com", TestName = "European Sovereign Cloud region under amazonaws.com")]
    [TestCase("123456789012.dkr-ecr.cn-north-1.on.aws", TestName = "China region under on.aws")]
    [TestCase("ecr-public.aws.com.evil.example", TestName = "ECR Public dual-stack name as a prefix of another host")]
    [TestCase("evil.ecr-public.aws.com", TestName = "ECR Public dual-stack name as a suffix of another host")]
    [TestCase("123456789012.dkr.ecr-public.us-east-1.amazonaws.com")]
    [TestCase("ecr.aws")]
    public void Refuses_what_is_not_an_ecr_host(string host)
    {
        Assert.That(EcrRegistryHost.TryParse(host, out var parsed), Is.False);
        Assert.That(parsed, Is.Null);
        var error = Assert.Throws<FormatException>(() => EcrRegistryHost.Parse(host));
        Assert.That(error!.Message, Does.Contain("not an Amazon ECR registry host").Or.Contain("empty"));
    }
}
