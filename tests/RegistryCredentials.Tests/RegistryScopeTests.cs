using System.Text.Json;

namespace RegistryCredentials.Tests;

/// <summary>
/// Table-driven tests of <see cref="RegistryScope"/> parsing, normalisation, equality and matching
/// (DESIGN.md §3 "Matching").
/// </summary>
public class RegistryScopeTests
{
    private static readonly string Path250 = new('a', 250);
    private static readonly string Path255 = new('a', 255);
    private static readonly string Path256 = new('a', 256);

    // On Docker Hub a one-segment repository gets "library/" (8 characters): 247 is the longest.
    private static readonly string HubName247 = new('n', 247);
    private static readonly string HubName248 = new('n', 248);

    /// <summary>input, Value, Host, Port, Path, IsGlob.</summary>
    private static IEnumerable<TestCaseData> ValidScopes()
    {
        yield return S("docker.io", "docker.io", "docker.io", null, "", false);
        yield return S("docker.io/", "docker.io", "docker.io", null, "", false);
        yield return S("docker.io/*", "docker.io", "docker.io", null, "", false);
        yield return S("docker.io/", "docker.io", "docker.io", null, "", false);
        yield return S("docker.io/acme", "docker.io/library/acme", "docker.io", null, "library/acme", false);
        yield return S("docker.io/acme/*", "docker.io/acme/*", "docker.io", null, "acme", false);
        yield return S("docker.io/acme/app", "docker.io/acme/app", "docker.io", null, "acme/app", false);
        yield return S("docker.io/library/*", "docker.io/library/*", "docker.io", null, "library", false);
        yield return S("docker.io/library", "docker.io/library/library", "docker.io", null, "library/library", false);
        yield return S("docker.io/library/nginx", "docker.io/library/nginx", "docker.io", null, "library/nginx", false);
        yield return S("Index.Docker.IO", "docker.io", "docker.io", null, "", false);
        yield return S("index.docker.io/acme", "docker.io/library/acme", "docker.io", null, "library/acme", false);
        yield return S("registry-1.docker.io/acme/*", "docker.io/acme/*", "docker.io", null, "acme", false);
        yield return S("REGISTRY-1.DOCKER.IO", "docker.io", "docker.io", null, "", false);
        yield return S("docker.io:443", "docker.io:443", "docker.io", 443, "", false);
        yield return S("*.azurecr.io", "*.azurecr.io", "*.azurecr.io", null, "", true);
        yield return S("*.AzureCR.IO/*", "*.azurecr.io", "*.azurecr.io", null, "", true);
        yield return S("*.azurecr.io:443/team", "*.azurecr.io:443/team", "*.azurecr.io", 443, "team", true);
        yield return S("*.azurecr.io/team/*", "*.azurecr.io/team/*", "*.azurecr.io", null, "team", true);
        yield return S("*.dkr.ecr.*.amazonaws.com", "*.dkr.ecr.*.amazonaws.com", "*.dkr.ecr.*.amazonaws.com", null, "", true);
        yield return S("localhost", "localhost", "localhost", null, "", false);
        yield return S("localhost:5000", "localhost:5000", "localhost", 5000, "", false);
        yield return S("LOCALHOST:5000/app/*", "localhost:5000/app/*", "localhost", 5000, "app", false);
        yield return S("[::1]:5000/app", "[::1]:5000/app", "[::1]", 5000, "app", false);
        yield return S("[0:0:0:0:0:0:0:1]:5000/app/*", "[::1]:5000/app/*", "[::1]", 5000, "app", false);
        yield return S("[2001:DB8::1]", "[2001:db8::1]", "[2001:db8::1]", null, "", false);
        yield return S("10.0.0.1:5000/team", "10.0.0.1:5000/team", "10.0.0.1", 5000, "team", false);
        yield return S("Quay.IO/ns/app", "quay.io/ns/app", "quay.io", null, "ns/app", false);
        yield return S("quay.io/ns/app/sub", "quay.io/ns/app/sub", "quay.io", null, "ns/app/sub", false);
        yield return S("quay.io/a.b_c__d-e---f", "quay.io/a.b_c__d-e---f", "quay.io", null, "a.b_c__d-e---f", false);
        yield return S("x.io:65535", "x.io:65535", "x.io", 65535, "", false);
        yield return S("x.io:1", "x.io:1", "x.io", 1, "", false);
        yield return S("x.io/" + Path250, "x.io/" + Path250, "x.io", null, Path250, false);
        yield return S("x.io/" + Path250 + "/*", "x.io/" + Path250 + "/*", "x.io", null, Path250, false);

        // As distribution/reference (reference.go, RepositoryNameTotalLengthMax): 255 is the limit of the path alone.
        yield return S("x.io/" + Path255, "x.io/" + Path255, "x.io", null, Path255, false);
        yield return S("x.io:5000/" + Path255 + "/*", "x.io:5000/" + Path255 + "/*", "x.io", 5000, Path255, false);
        yield return S("docker.io/" + HubName247, "docker.io/library/" + HubName247, "docker.io", null, "library/" + HubName247, false);
    }

    private static TestCaseData S(string input, string value, string host, int? port, string path, bool isGlob) =>
        new TestCaseData(input, value, host, port, path, isGlob).SetArgDisplayNames(Display(input));

    /// <summary>input, a fragment the message must contain.</summary>
    private static IEnumerable<TestCaseData> InvalidScopes()
    {
        yield return F("", "it is empty");
        yield return F(" ", "whitespace");
        yield return F("x.io /a", "whitespace");
        yield return F("\tx.io", "whitespace");
        yield return F("x.io\n", "whitespace");
        yield return F("https://x.io", "drop the scheme 'https://'");
        yield return F("http://host/", "drop the scheme 'http://'");
        yield return F("https://index.docker.io/v1/", "drop the scheme 'https://'");
        yield return F("a..b", "'a..b' has an empty label");
        yield return F(".x.io", "'.x.io' has an empty label");
        yield return F("x.io.", "'x.io.' has an empty label");
        yield return F("x.io..", "has an empty label");
        yield return F("/acme", "host is empty");
        yield return F("/*", "host is empty");
        yield return F("x.io:", "port after 'x.io:' is empty");
        yield return F("x.io:0", "'0' is out of range");
        yield return F("x.io:65536", "'65536' is out of range");
        yield return F("x.io:123456", "'123456' is out of range");
        yield return F("x.io:abc", "'abc' is not a number");
        yield return F("x.io:-1", "'-1' is not a number");
        yield return F("x.io:80:80", "'80:80' is not a number");
        yield return F("[::1]:0", "'0' is out of range");
        yield return F("[::1]:65536/app", "'65536' is out of range");
        yield return F("[::1", "no closing ']'");
        yield return F("[::1]x", "unexpected 'x'");
        yield return F("[zz::1]", "'[zz::1]' is not a valid bracketed IPv6 address");
        yield return F("a*.io", "'*' must be a whole label");
        yield return F("*a.io", "'*' must be a whole label");
        yield return F("x.*io", "'*' must be a whole label");
        yield return F("x.io/a*/b", "'*' is allowed only as a whole host label or as the final path segment");
        yield return F("docker.io/acme/", "write 'docker.io/acme' for the one repository 'acme', or 'docker.io/acme/*' for every repository below it");
        yield return F("quay.io/ns/app/", "a trailing '/' is ambiguous");
        yield return F("docker.io/org*", "not a prefix inside a segment: for every repository below 'org' write 'docker.io/org/*'");
        yield return F("quay.io/team/org*", "for every repository below 'team/org' write 'quay.io/team/org/*'");
        yield return F("x.io/*/b", "'*' is allowed only as a whole host label or as the final path segment");
        yield return F("x.io/a/*/b", "'*' is allowed only as a whole host label or as the final path segment");
        yield return F("x.io/a*", "write 'x.io/a/*'");
        yield return F("x.io/**", "'*' is allowed only as a whole host label or as the final path segment");
        yield return F("x.io/a/*/", "'*' is allowed only as a whole host label or as the final path segment");
        yield return F("x.io/A", "'A' must be lower-case");
        yield return F("x.io/acme/App", "'acme/App' must be lower-case");
        yield return F("x.io//a", "'/a' has an empty component");
        yield return F("x.io/a//", "'a//' has an empty component");
        yield return F("x.io//*", "repository path is empty");
        yield return F("x.io/-a", "'-'");
        yield return F("x.io/a___b", "'a___b'");
        yield return F("x.io/a..b", "'a..b'");
        yield return F("quay.io/ns/app:1", "contains the character ':'");
        yield return F("quay.io/ns/app@sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", "contains the character '@'");
        yield return F("x_y.io", "contains the character '_'");
        yield return F("-x.io", "'-x' of the registry host starts or ends with '-'");
        yield return F(new string('a', 64) + ".io", "longer than 63");
        yield return F("x.io/" + Path256, "repository path is longer than 255");
        yield return F("x.io/" + Path250 + "/bbbbb/*", "repository path is longer than 255");
        yield return F("x.io/" + Path256 + "/*", "repository path is longer than 255");
        yield return F("x.io:5000/" + Path256, "repository path is longer than 255");
        yield return F("docker.io/" + HubName248, "repository path is longer than 255");
        yield return F(new string('a', RegistryScope.MaxLength + 1), "longer than 517");

        // IPv6 as distribution/reference's ipv6address (regexp.go): hex digits and ':' only, no zone, no dotted IPv4.
        yield return F("[fe80::1%eth0]:5000", "is not a valid bracketed IPv6 address");
        yield return F("[::ffff:192.0.2.1]", "'[::ffff:192.0.2.1]' is not a valid bracketed IPv6 address");
        yield return F("[2001:db8:3:4::192.0.2.33]:5000/debian", "is not a valid bracketed IPv6 address");
        yield return F("[fd00123123123]:5000", "is not a valid bracketed IPv6 address");
    }

    private static TestCaseData F(string input, string messageFragment) =>
        new TestCaseData(input, messageFragment).SetArgDisplayNames(Display(input));

    private static string Display(string input) =>
        (input.Length > 60 ? input[..57] + "..." : input).ReplaceLineEndings("\\n").Replace("\t", "\\t", StringComparison.Ordinal);

    [TestCaseSource(nameof(ValidScopes))]
    public void Parse_normalises_valid_scope(string input, string value, string host, int? port, string path, bool isGlob)
    {
        var scope = RegistryScope.Parse(input);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(scope.Value, Is.EqualTo(value), nameof(scope.Value));
            Assert.That(scope.ToString(), Is.EqualTo(value), nameof(scope.ToString));
            Assert.That(scope.Host, Is.EqualTo(host), nameof(scope.Host));
            Assert.That(scope.Port, Is.EqualTo(port), nameof(scope.Port));
            Assert.That(scope.Registry, Is.EqualTo(port is null ? host : host + ":" + port), nameof(scope.Registry));
            Assert.That(scope.Path, Is.EqualTo(path), nameof(scope.Path));
            Assert.That(scope.IsGlob, Is.EqualTo(isGlob), nameof(scope.IsGlob));
            Assert.That(RegistryScope.Parse(scope.Value), Is.EqualTo(scope), "Parse(Value) round-trips");
            Assert.That(RegistryScope.TryParse(input, out var again), Is.True);
            Assert.That(again, Is.EqualTo(scope));
        }
    }

    [TestCaseSource(nameof(InvalidScopes))]
    public void Parse_rejects_invalid_scope_with_a_clear_message(string input, string messageFragment)
    {
        var e = Assert.Throws<RegistryScopeFormatException>(() => RegistryScope.Parse(input));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(e.Message, Does.Contain(messageFragment));
            Assert.That(e.Message, Does.StartWith($"Invalid registry scope '{input}'"));
            Assert.That(e.Scope, Is.EqualTo(input));
            Assert.That(e.Reason, Is.Not.Null.And.Not.Empty);
            Assert.That(e, Is.InstanceOf<FormatException>());
        }
    }

    [TestCaseSource(nameof(InvalidScopes))]
    public void TryParse_returns_false_and_never_throws(string input, string messageFragment)
    {
        var ok = true;
        RegistryScope? scope = null;

        Assert.DoesNotThrow(() => ok = RegistryScope.TryParse(input, out scope));
        Assert.That(ok, Is.False);
        Assert.That(scope, Is.Null);
    }

    [Test]
    public void TryParse_null_returns_false()
    {
        var ok = true;
        RegistryScope? scope = null;

        Assert.DoesNotThrow(() => ok = RegistryScope.TryParse(null, out scope));
        Assert.That(ok, Is.False);
        Assert.That(scope, Is.Null);
    }

    [Test]
    public void Parse_null_throws_ArgumentNullException() =>
        Assert.Throws<ArgumentNullException>(() => RegistryScope.Parse(null!));

    [TestCase("docker.io/acme/*", "index.docker.io/acme/*")]
    [TestCase("docker.io/acme", "index.docker.io/acme")]
    [TestCase("docker.io/acme", "docker.io/library/acme")]
    [TestCase("docker.io/nginx", "Index.Docker.IO/library/nginx")]
    [TestCase("docker.io/acme/*", "Registry-1.Docker.IO/acme/*")]
    [TestCase("docker.io", "Index.Docker.IO")]
    [TestCase("docker.io", "docker.io/*")]
    [TestCase("quay.io", "QUAY.io/")]
    [TestCase("*.azurecr.io", "*.AZURECR.IO/*")]
    [TestCase("localhost:5000", "LocalHost:5000")]
    [TestCase("[::1]:5000", "[0::1]:5000/")]
    [TestCase("[2001:db8::1]/app", "[2001:DB8:0:0:0:0:0:1]/app")]
    [TestCase("[2001:db8::1]/app/*", "[2001:DB8:0:0:0:0:0:1]/app/*")]
    public void Equivalent_spellings_are_one_scope(string left, string right)
    {
        var a = RegistryScope.Parse(left);
        var b = RegistryScope.Parse(right);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(a, Is.EqualTo(b));
            Assert.That(a.Equals((object)b), Is.True);
            Assert.That(a == b, Is.True);
            Assert.That(a != b, Is.False);
            Assert.That(a.GetHashCode(), Is.EqualTo(b.GetHashCode()));
            Assert.That(a.Value, Is.EqualTo(b.Value));
            Assert.That(new HashSet<RegistryScope> { a, b }, Has.Count.EqualTo(1));
        }
    }

    [TestCase("docker.io/acme", "docker.io/acmecorp")]
    [TestCase("docker.io/acme", "docker.io/acme/*")]
    [TestCase("docker.io/acme/app", "docker.io/acme/app/*")]
    [TestCase("quay.io/ns", "quay.io/ns/*")]
    [TestCase("docker.io/library/*", "docker.io/library")]
    [TestCase("docker.io/acme", "docker.io/acme/app")]
    [TestCase("docker.io", "docker.io:443")]
    [TestCase("localhost", "localhost:5000")]
    [TestCase("localhost:5000", "localhost:5001")]
    [TestCase("*.azurecr.io", "myreg.azurecr.io")]
    [TestCase("quay.io", "quay.io.evil.com")]
    public void Different_scopes_are_not_equal(string left, string right)
    {
        var a = RegistryScope.Parse(left);
        var b = RegistryScope.Parse(right);

        Assert.That(a, Is.Not.EqualTo(b));
        Assert.That(a != b, Is.True);
        Assert.That(a == b, Is.False);
    }

    // Exact host, case-insensitive.
    [TestCase("docker.io", "nginx", true)]
    [TestCase("docker.io", "acme/app:1", true)]
    [TestCase("docker.io", "quay.io/ns/app", false)]
    [TestCase("quay.io", "quay.io/ns/app", true)]
    [TestCase("QUAY.IO", "quay.io/ns/app", true)]
    [TestCase("quay.io", "Quay.IO/ns/app", true)]
    [TestCase("quay.io", "quay.io.evil.com/ns/app", false)]
    [TestCase("quay.io", "evil.quay.io/ns/app", false)]
    [TestCase("10.0.0.1:5000", "10.0.0.1:5000/app", true)]
    [TestCase("10.0.0.1:5000", "10.0.0.2:5000/app", false)]
    // Ports must be equal.
    [TestCase("localhost:5000", "localhost:5000/app", true)]
    [TestCase("localhost:5000", "localhost/app", false)]
    [TestCase("localhost:5000", "localhost:5001/app", false)]
    [TestCase("localhost", "localhost:5000/app", false)]
    [TestCase("localhost", "localhost/app", true)]
    [TestCase("quay.io", "quay.io:443/ns/app", false)]
    [TestCase("quay.io:443", "quay.io:443/ns/app", true)]
    [TestCase("docker.io", "docker.io:443/nginx", false)]
    [TestCase("docker.io:443", "docker.io:443/nginx", true)]
    // IPv6.
    [TestCase("[::1]:5000", "[::1]:5000/app", true)]
    [TestCase("[::1]:5000/app/*", "[0:0::1]:5000/app/x", true)]
    [TestCase("[::1]:5000/app", "[0:0::1]:5000/app/x", false)]
    [TestCase("[::1]:5000/app", "[0:0::1]:5000/app", true)]
    [TestCase("[::1]:5000", "[::1]/app", false)]
    [TestCase("[::1]", "[::2]/app", false)]
    // Glob hosts: label by label, same number of labels.
    [TestCase("*.azurecr.io", "myreg.azurecr.io/app", true)]
    [TestCase("*.azurecr.io", "MyReg.AzureCR.io/app", true)]
    [TestCase("*.AZURECR.IO", "myreg.azurecr.io/app", true)]
    [TestCase("*.azurecr.io", "a.b.azurecr.io/app", false)]
    [TestCase("*.azurecr.io", "azurecr.io/app", false)]
    [TestCase("*.azurecr.io", "myreg.azurecr.cn/app", false)]
    [TestCase("*.azurecr.io", "myreg.azurecr.io.evil.com/app", false)]
    [TestCase("*.azurecr.io", "myreg.azurecr.io:443/app", false)]
    [TestCase("*.azurecr.io:443", "myreg.azurecr.io:443/app", true)]
    [TestCase("*.azurecr.io/team/*", "myreg.azurecr.io/team/app", true)]
    [TestCase("*.azurecr.io/team", "myreg.azurecr.io/team/app", false)]
    [TestCase("*.azurecr.io/team", "myreg.azurecr.io/team", true)]
    [TestCase("*.azurecr.io/team/*", "myreg.azurecr.io/other/app", false)]
    [TestCase("*.dkr.ecr.*.amazonaws.com", "123456789012.dkr.ecr.us-east-1.amazonaws.com/app", true)]
    [TestCase("*.dkr.ecr.*.amazonaws.com", "123456789012.dkr.ecr.us-east-1.amazonaws.com.cn/app", false)]
    [TestCase("*.example.com", "[::1]/app", false)]
    // host/path/*: every repository below path, whole segments, never path itself.
    [TestCase("docker.io/acme/*", "docker.io/acme/app", true)]
    [TestCase("docker.io/acme/*", "acme/app", true)]
    [TestCase("docker.io/acme/*", "acme/team/app:1", true)]
    [TestCase("docker.io/acme/*", "acmecorp/app", false)]
    [TestCase("docker.io/acme/*", "docker.io/acmecorp/app", false)]
    [TestCase("docker.io/acme/*", "acme", false)]
    [TestCase("docker.io/acme/*", "quay.io/acme/app", false)]
    [TestCase("docker.io/library/*", "nginx", true)]
    [TestCase("quay.io/ns/app/*", "quay.io/ns/app/sub", true)]
    [TestCase("quay.io/ns/app/*", "quay.io/ns/app/sub/deeper", true)]
    [TestCase("quay.io/ns/app/*", "quay.io/ns/app", false)]
    [TestCase("quay.io/ns/app/*", "quay.io/ns/application/x", false)]
    [TestCase("quay.io/ns/*", "quay.io/ns", false)]
    // host/path: exactly the one repository.
    [TestCase("quay.io/ns/app", "quay.io/ns/app", true)]
    [TestCase("quay.io/ns/app", "quay.io/ns/app:1", true)]
    [TestCase("quay.io/ns/app", "quay.io/ns/app/sub", false)]
    [TestCase("quay.io/ns/app", "quay.io/ns/application", false)]
    [TestCase("quay.io/ns/app", "quay.io/ns", false)]
    [TestCase("quay.io/ns/app/sub", "quay.io/ns/app", false)]
    [TestCase("docker.io/acme/app", "acme/app", true)]
    [TestCase("docker.io/acme/app", "acme/app/x", false)]
    [TestCase("docker.io/library/nginx", "nginx:1.27", true)]
    [TestCase("docker.io/library/nginx", "docker.io/library/nginx@sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", true)]
    [TestCase("docker.io/library/nginx", "nginx-extra", false)]
    // On Docker Hub a one-segment path follows the reference rule: docker.io/nginx is library/nginx.
    [TestCase("docker.io/nginx", "nginx", true)]
    [TestCase("docker.io/nginx", "docker.io/library/nginx:1", true)]
    [TestCase("docker.io/acme", "acme/app", false)]
    [TestCase("docker.io/acme", "acme", true)]
    // Docker Hub aliases are one host.
    [TestCase("index.docker.io/acme/*", "registry-1.docker.io/acme/app", true)]
    [TestCase("registry-1.docker.io", "nginx", true)]
    [TestCase("Index.Docker.IO", "acme/app", true)]
    [TestCase("docker.io", "index.docker.io/acme/app", true)]
    [TestCase("docker.io/acme/*", "INDEX.DOCKER.IO/acme/app", true)]
    public void Matches_follows_host_port_and_path_rules(string scope, string image, bool expected)
    {
        var s = RegistryScope.Parse(scope);
        var i = ImageReference.Parse(image);

        Assert.That(s.Matches(i), Is.EqualTo(expected));
    }

    [Test]
    public void Matches_null_throws_ArgumentNullException() =>
        Assert.Throws<ArgumentNullException>(() => RegistryScope.Parse("docker.io").Matches(null!));

    [TestCase("docker.io/acme/*", "\"docker.io/acme/*\"")]
    [TestCase("docker.io/acme/app", "\"docker.io/acme/app\"")]
    [TestCase("Index.Docker.IO", "\"docker.io\"")]
    [TestCase("*.azurecr.io", "\"*.azurecr.io\"")]
    [TestCase("[::1]:5000/app", "\"[::1]:5000/app\"")]
    public void Json_round_trips_the_normalised_value(string input, string json)
    {
        var scope = RegistryScope.Parse(input);

        var written = JsonSerializer.Serialize(scope);
        var read = JsonSerializer.Deserialize<RegistryScope>(written);

        Assert.That(written, Is.EqualTo(json));
        Assert.That(read, Is.EqualTo(scope));
    }

    [TestCase("\"https://x.io\"")]
    [TestCase("\"docker.io/acme/\"")]
    [TestCase("\"docker.io/acme*\"")]
    [TestCase("\"\"")]
    [TestCase("42")]
    public void Json_rejects_invalid_scope(string json) =>
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<RegistryScope>(json));

    [TestCase("docker.io", RegistryScopeKind.Registry)]
    [TestCase("docker.io/*", RegistryScopeKind.Registry)]
    [TestCase("docker.io/", RegistryScopeKind.Registry)]
    [TestCase("*.azurecr.io", RegistryScopeKind.Registry)]
    [TestCase("docker.io/acme", RegistryScopeKind.Repository)]
    [TestCase("quay.io/ns/app", RegistryScopeKind.Repository)]
    [TestCase("*.azurecr.io/team", RegistryScopeKind.Repository)]
    [TestCase("docker.io/acme/*", RegistryScopeKind.Subtree)]
    [TestCase("quay.io/ns/app/*", RegistryScopeKind.Subtree)]
    public void Kind_says_what_the_scope_covers(string input, RegistryScopeKind kind) =>
        Assert.That(RegistryScope.Parse(input).Kind, Is.EqualTo(kind));

    [TestCase("docker.io/acme", "acme")]
    [TestCase("index.docker.io/acme", "acme")]
    [TestCase("docker.io/nginx", "nginx")]
    public void A_one_segment_Docker_Hub_repository_carries_a_note_suggesting_the_subtree(string input, string name)
    {
        var scope = RegistryScope.Parse(input);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(scope.Value, Is.EqualTo("docker.io/library/" + name));
            Assert.That(scope.Note, Does.Contain($"names the one repository 'docker.io/library/{name}'"));
            Assert.That(scope.Note, Does.Contain($"write 'docker.io/{name}/*'"));
            Assert.That(RegistryScope.Parse(scope.Value).Note, Is.Null, "the canonical form needs no note");
        }
    }

    [TestCase("docker.io/library/nginx")]
    [TestCase("docker.io/acme/*")]
    [TestCase("docker.io/acme/app")]
    [TestCase("docker.io")]
    [TestCase("quay.io/acme")]
    public void Other_scopes_carry_no_note(string input) =>
        Assert.That(RegistryScope.Parse(input).Note, Is.Null);
}
