namespace RegistryCredentials.Aws.Tests;

/// <summary>Every ECR host form: account, region, FIPS, dual-stack, partition and the API endpoint that serves it.</summary>
public class EcrRegistryHostTests
{
    private static readonly object?[][] Hosts =
    [
        //          host                                                          account          region              fips   dual   partition     api endpoint
        ["123456789012.dkr.ecr.us-east-1.amazonaws.com", "123456789012", "us-east-1", false, false, "aws", "https://api.ecr.us-east-1.amazonaws.com/"],
        ["123456789012.DKR.ECR.EU-WEST-1.AMAZONAWS.COM", "123456789012", "eu-west-1", false, false, "aws", "https://api.ecr.eu-west-1.amazonaws.com/"],
        ["123456789012.dkr.ecr-fips.us-east-2.amazonaws.com", "123456789012", "us-east-2", true, false, "aws", "https://api.ecr-fips.us-east-2.amazonaws.com/"],
        ["123456789012.dkr.ecr.us-gov-west-1.amazonaws.com", "123456789012", "us-gov-west-1", false, false, "aws-us-gov", "https://api.ecr.us-gov-west-1.amazonaws.com/"],
        ["123456789012.dkr.ecr-fips.us-gov-east-1.amazonaws.com", "123456789012", "us-gov-east-1", true, false, "aws-us-gov", "https://api.ecr-fips.us-gov-east-1.amazonaws.com/"],
        ["123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn", "123456789012", "cn-north-1", false, false, "aws-cn", "https://api.ecr.cn-north-1.amazonaws.com.cn/"],
        ["123456789012.dkr-ecr.us-west-2.on.aws", "123456789012", "us-west-2", false, true, "aws", "https://api.ecr.us-west-2.amazonaws.com/"],
        ["123456789012.dkr-ecr-fips.us-east-1.on.aws", "123456789012", "us-east-1", true, true, "aws", "https://api.ecr-fips.us-east-1.amazonaws.com/"],
        ["123456789012.dkr-ecr.cn-northwest-1.on.amazonwebservices.com.cn", "123456789012", "cn-northwest-1", false, true, "aws-cn", "https://api.ecr.cn-northwest-1.amazonaws.com.cn/"],
        ["123456789012.dkr.ecr.eusc-de-east-1.amazonaws.eu", "123456789012", "eusc-de-east-1", false, false, "aws-eusc", "https://api.ecr.eusc-de-east-1.amazonaws.eu/"],
        ["123456789012.dkr.ecr.us-iso-east-1.c2s.ic.gov", "123456789012", "us-iso-east-1", false, false, "aws-iso", "https://api.ecr.us-iso-east-1.c2s.ic.gov/"],
        ["123456789012.dkr.ecr.us-isob-east-1.sc2s.sgov.gov", "123456789012", "us-isob-east-1", false, false, "aws-iso-b", "https://api.ecr.us-isob-east-1.sc2s.sgov.gov/"],
        ["123456789012.dkr.ecr.eu-isoe-west-1.cloud.adc-e.uk", "123456789012", "eu-isoe-west-1", false, false, "aws-iso-e", "https://api.ecr.eu-isoe-west-1.cloud.adc-e.uk/"],
        ["123456789012.dkr.ecr.us-isof-south-1.csp.hci.ic.gov", "123456789012", "us-isof-south-1", false, false, "aws-iso-f", "https://api.ecr.us-isof-south-1.csp.hci.ic.gov/"],
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
            Assert.That(parsed.ApiEndpointFor("eu-west-1").AbsoluteUri, Is.EqualTo("https://api.ecr-public.us-east-1.amazonaws.com/"), "ECR Public has one API region");
            Assert.That(parsed.SigningService, Is.EqualTo("ecr-public"));
        });
    }

    [Test]
    public void A_region_override_keeps_the_partition_and_fips()
    {
        var parsed = EcrRegistryHost.Parse("123456789012.dkr.ecr-fips.*.amazonaws.com");
        Assert.That(parsed.ApiEndpointFor("us-west-1").AbsoluteUri, Is.EqualTo("https://api.ecr-fips.us-west-1.amazonaws.com/"));
        Assert.Throws<ArgumentException>(() => parsed.ApiEndpointFor("not a region"));
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
