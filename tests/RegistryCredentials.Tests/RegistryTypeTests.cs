using System.Text.Json;

namespace RegistryCredentials.Tests;

/// <summary>Table-driven tests of <see cref="RegistryType"/>: guessing from a host or scope, parsing, JSON.</summary>
public class RegistryTypeTests
{
    // Amazon ECR: commercial, FIPS, China, EU sovereign, dual-stack and the ISO partitions.
    [TestCase("123456789012.dkr.ecr.us-east-1.amazonaws.com", "awsecr")]
    [TestCase("123456789012.dkr.ecr.eu-west-1.amazonaws.com", "awsecr")]
    [TestCase("123456789012.dkr.ecr-fips.us-east-1.amazonaws.com", "awsecr")]
    [TestCase("123456789012.dkr.ecr-fips.us-gov-west-1.amazonaws.com", "awsecr")]
    [TestCase("123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn", "awsecr")]
    [TestCase("123456789012.dkr.ecr.eusc-de-east-1.amazonaws.eu", "awsecr")]
    [TestCase("123456789012.dkr-ecr.us-east-1.on.aws", "awsecr")]
    [TestCase("123456789012.dkr-ecr-fips.us-east-1.on.aws", "awsecr")]
    [TestCase("123456789012.dkr-ecr.cn-north-1.on.amazonwebservices.com.cn", "awsecr")]
    [TestCase("123456789012.dkr.ecr.us-iso-east-1.c2s.ic.gov", "awsecr")]
    [TestCase("123456789012.dkr.ecr.us-isob-east-1.sc2s.sgov.gov", "awsecr")]
    [TestCase("123456789012.dkr.ecr.eu-isoe-west-1.cloud.adc-e.uk", "awsecr")]
    [TestCase("123456789012.dkr.ecr.us-isof-south-1.csp.hci.ic.gov", "awsecr")]
    [TestCase("public.ecr.aws", "awsecr")]
    [TestCase("ecr-public.aws.com", "awsecr")]
    [TestCase("PUBLIC.ECR.AWS", "awsecr")]
    [TestCase("123456789012.DKR.ECR.US-EAST-1.AMAZONAWS.COM", "awsecr")]
    [TestCase("123456789012.dkr.ecr.us-east-1.amazonaws.com:443", "awsecr")]
    [TestCase("public.ecr.aws:443", "awsecr")]
    // Not ECR.
    [TestCase("12345678901.dkr.ecr.us-east-1.amazonaws.com", "docker_v2")]
    [TestCase("1234567890123.dkr.ecr.us-east-1.amazonaws.com", "docker_v2")]
    [TestCase("abcdefghijkl.dkr.ecr.us-east-1.amazonaws.com", "docker_v2")]
    [TestCase("123456789012.dkr.ecr.amazonaws.com", "docker_v2")]
    [TestCase("123456789012.ecr.us-east-1.amazonaws.com", "docker_v2")]
    [TestCase("123456789012.dkr.ecr.us-east-1.amazonaws.org", "docker_v2")]
    [TestCase("123456789012.dkr.ecr.us-east-1.amazonaws.com.evil.io", "docker_v2")]
    [TestCase("evil.123456789012.dkr.ecr.us-east-1.amazonaws.com", "docker_v2")]
    [TestCase("123456789012.dkr.ecr-gov.us-east-1.amazonaws.com", "docker_v2")]
    [TestCase("ecr.aws", "docker_v2")]
    [TestCase("public.ecr.aws.evil.io", "docker_v2")]
    // Google Container Registry and Artifact Registry.
    [TestCase("gcr.io", "gcr")]
    [TestCase("us.gcr.io", "gcr")]
    [TestCase("eu.gcr.io", "gcr")]
    [TestCase("asia.gcr.io", "gcr")]
    [TestCase("GCR.IO", "gcr")]
    [TestCase("gcr.io:443", "gcr")]
    [TestCase("us-central1-docker.pkg.dev", "gcr")]
    [TestCase("europe-west4-docker.pkg.dev", "gcr")]
    [TestCase("docker.us-central1.rep.pkg.dev", "gcr")]
    // Not Google.
    [TestCase("notgcr.io", "docker_v2")]
    [TestCase("gcr.io.evil.com", "docker_v2")]
    [TestCase("pkg.dev", "docker_v2")]
    [TestCase("us-central1.pkg.dev", "docker_v2")]
    [TestCase("us-central1-docker.pkg.dev.evil.com", "docker_v2")]
    // Azure Container Registry.
    [TestCase("myreg.azurecr.io", "acr")]
    [TestCase("myreg.azurecr.cn", "acr")]
    [TestCase("myreg.azurecr.de", "acr")]
    [TestCase("myreg.azurecr.us", "acr")]
    [TestCase("MyReg.AzureCR.IO", "acr")]
    [TestCase("myreg.azurecr.io:443", "acr")]
    // Not Azure.
    [TestCase("azurecr.io", "docker_v2")]
    [TestCase("myreg.azurecr.com", "docker_v2")]
    [TestCase("myreg.azurecr.io.evil.com", "docker_v2")]
    // Everything else is a plain Docker Registry v2.
    [TestCase("docker.io", "docker_v2")]
    [TestCase("index.docker.io", "docker_v2")]
    [TestCase("quay.io", "docker_v2")]
    [TestCase("ghcr.io", "docker_v2")]
    [TestCase("registry.gitlab.com", "docker_v2")]
    [TestCase("localhost", "docker_v2")]
    [TestCase("localhost:5000", "docker_v2")]
    [TestCase("10.0.0.1:5000", "docker_v2")]
    [TestCase("[::1]:5000", "docker_v2")]
    [TestCase("", "docker_v2")]
    public void Guess_from_host(string host, string expected)
    {
        var type = RegistryType.Guess(host);

        Assert.That(type.Value, Is.EqualTo(expected));
        Assert.That(type, Is.SameAs(RegistryType.Parse(expected)), "a guess returns a built-in instance");
    }

    [TestCase("123456789012.dkr.ecr.us-east-1.amazonaws.com", "awsecr")]
    [TestCase("123456789012.dkr.ecr.us-east-1.amazonaws.com/team/*", "awsecr")]
    [TestCase("*.dkr.ecr.*.amazonaws.com", "awsecr")]
    [TestCase("*.dkr.ecr.us-east-1.amazonaws.com", "awsecr")]
    [TestCase("public.ecr.aws/ns", "awsecr")]
    [TestCase("gcr.io/project", "gcr")]
    [TestCase("*.gcr.io", "gcr")]
    [TestCase("us-docker.pkg.dev/project/repo", "gcr")]
    [TestCase("*.pkg.dev", "gcr")]
    [TestCase("docker.*.rep.pkg.dev", "gcr")]
    [TestCase("*.azurecr.io", "acr")]
    [TestCase("myreg.azurecr.io:443/app", "acr")]
    [TestCase("*.azurecr.cn", "acr")]
    [TestCase("docker.io/acme", "docker_v2")]
    [TestCase("*.example.com", "docker_v2")]
    [TestCase("localhost:5000", "docker_v2")]
    [TestCase("[::1]:5000/app", "docker_v2")]
    public void Guess_from_scope(string scope, string expected) =>
        Assert.That(RegistryType.Guess(RegistryScope.Parse(scope)).Value, Is.EqualTo(expected));

    [Test]
    public void Guess_null_throws_ArgumentNullException()
    {
        Assert.Throws<ArgumentNullException>(() => RegistryType.Guess((string)null!));
        Assert.Throws<ArgumentNullException>(() => RegistryType.Guess((RegistryScope)null!));
    }

    private static IEnumerable<TestCaseData> BuiltIns()
    {
        yield return new TestCaseData("docker_v2", RegistryType.DockerV2);
        yield return new TestCaseData("DOCKER_V2", RegistryType.DockerV2);
        yield return new TestCaseData("Docker_V2", RegistryType.DockerV2);
        yield return new TestCaseData("awsecr", RegistryType.AwsEcr);
        yield return new TestCaseData("AwsEcr", RegistryType.AwsEcr);
        yield return new TestCaseData("gcr", RegistryType.Google);
        yield return new TestCaseData("GCR", RegistryType.Google);
        yield return new TestCaseData("acr", RegistryType.Azure);
        yield return new TestCaseData("ACR", RegistryType.Azure);
    }

    [TestCaseSource(nameof(BuiltIns))]
    public void Parse_returns_the_built_in_instance_case_insensitively(string name, RegistryType expected)
    {
        var type = RegistryType.Parse(name);

        Assert.That(type, Is.SameAs(expected));
        Assert.That(type.ToString(), Is.EqualTo(expected.Value));
    }

    [TestCase("harbor", "harbor")]
    [TestCase("Harbor", "harbor")]
    [TestCase("my-type_2", "my-type_2")]
    [TestCase("0", "0")]
    [TestCase("x", "x")]
    public void Parse_accepts_custom_type(string name, string value)
    {
        var type = RegistryType.Parse(name);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(type.Value, Is.EqualTo(value));
            Assert.That(type, Is.EqualTo(RegistryType.Parse(value.ToUpperInvariant())));
            Assert.That(type == RegistryType.Parse(value), Is.True);
            Assert.That(type.GetHashCode(), Is.EqualTo(RegistryType.Parse(value).GetHashCode()));
            Assert.That(type, Is.Not.EqualTo(RegistryType.DockerV2));
        }
    }

    [Test]
    public void Parse_accepts_64_characters_and_rejects_65()
    {
        Assert.That(RegistryType.Parse(new string('a', 64)).Value, Has.Length.EqualTo(64));
        Assert.Throws<ArgumentException>(() => RegistryType.Parse(new string('a', 65)));
    }

    [TestCase("")]
    [TestCase(" ")]
    [TestCase("docker v2")]
    [TestCase(" acr")]
    [TestCase("acr ")]
    [TestCase("-acr")]
    [TestCase("_acr")]
    [TestCase("docker.v2")]
    [TestCase("a/b")]
    [TestCase("acr!")]
    [TestCase("\u00e9cr")]
    public void Parse_rejects_invalid_name(string name)
    {
        var e = Assert.Throws<ArgumentException>(() => RegistryType.Parse(name));

        Assert.That(e.ParamName, Is.EqualTo("value"));
        Assert.That(e.Message, Does.Contain($"'{name}' is not a registry type"));
    }

    [Test]
    public void Parse_null_throws_ArgumentNullException() =>
        Assert.Throws<ArgumentNullException>(() => RegistryType.Parse(null!));

    private static IEnumerable<TestCaseData> JsonTypes()
    {
        yield return new TestCaseData(RegistryType.DockerV2, "\"docker_v2\"");
        yield return new TestCaseData(RegistryType.AwsEcr, "\"awsecr\"");
        yield return new TestCaseData(RegistryType.Google, "\"gcr\"");
        yield return new TestCaseData(RegistryType.Azure, "\"acr\"");
        yield return new TestCaseData(RegistryType.Parse("harbor"), "\"harbor\"");
    }

    [TestCaseSource(nameof(JsonTypes))]
    public void Json_round_trips_as_the_name(RegistryType type, string json)
    {
        var written = JsonSerializer.Serialize(type);
        var read = JsonSerializer.Deserialize<RegistryType>(written);

        Assert.That(written, Is.EqualTo(json));
        Assert.That(read, Is.EqualTo(type));
    }

    [TestCase("\"AWSECR\"")]
    [TestCase("\"awsecr\"")]
    public void Json_read_returns_the_built_in_instance(string json) =>
        Assert.That(JsonSerializer.Deserialize<RegistryType>(json), Is.SameAs(RegistryType.AwsEcr));

    [Test]
    public void Json_round_trips_inside_an_object()
    {
        var holder = new TypeHolder { Type = RegistryType.Azure, Other = RegistryType.Parse("harbor") };

        var json = JsonSerializer.Serialize(holder);
        var read = JsonSerializer.Deserialize<TypeHolder>(json);

        Assert.That(json, Is.EqualTo("{\"Type\":\"acr\",\"Other\":\"harbor\",\"Missing\":null}"));
        Assert.That(read, Is.Not.Null);
        Assert.That(read!.Type, Is.SameAs(RegistryType.Azure));
        Assert.That(read.Other, Is.EqualTo(RegistryType.Parse("harbor")));
        Assert.That(read.Missing, Is.Null);
    }

    [TestCase("\"not a type\"")]
    [TestCase("\"\"")]
    [TestCase("42")]
    [TestCase("{}")]
    public void Json_rejects_invalid_type(string json) =>
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<RegistryType>(json));

    private sealed class TypeHolder
    {
        public RegistryType? Type { get; set; }

        public RegistryType? Other { get; set; }

        public RegistryType? Missing { get; set; }
    }
}
