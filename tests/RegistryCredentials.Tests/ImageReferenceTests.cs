namespace RegistryCredentials.Tests;

/// <summary>
/// Table-driven tests of <see cref="ImageReference"/> against the distribution/reference grammar
/// (DESIGN.md §3 "Image references").
/// </summary>
public class ImageReferenceTests
{
    // sha256, sha384 and sha512 of the empty string.
    private const string Hex64 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    private const string Hex96 = "38b060a751ac96384cd9327eb1b1e36a21fdb71114be07434c0cc7bf63f6e1da274edebfe76f65fbd51ad2f14898b95b";
    private const string Hex128 =
        "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e";
    private const string Hex32 = "d41d8cd98f00b204e9800998ecf8427e";
    private const string Sha256 = "sha256:" + Hex64;
    private const string Sha384 = "sha384:" + Hex96;
    private const string Sha512 = "sha512:" + Hex128;

    private const string Hub = "docker.io";

    private static readonly string Tag128 = new('t', 128);
    private static readonly string Tag129 = new('t', 129);

    // distribution/reference (reference.go) limits the repository path alone to 255 characters, not registry and path.
    private static readonly string Path250 = new('a', 250);
    private static readonly string Path255 = new('a', 255);
    private static readonly string Path256 = new('a', 256);

    // "library/" is 8 characters and counts: a single-segment Hub name may be 247 characters.
    private static readonly string HubName237 = new('n', 237);
    private static readonly string HubName247 = new('n', 247);
    private static readonly string HubName248 = new('n', 248);

    // reference_test.go: strings.Repeat("a/", 127) + "a" is a 255-character path.
    private static readonly string Slashes255 = string.Concat(Enumerable.Repeat("a/", 127)) + "a";

    // normalize_test.go's 64-hex name: refused alone, accepted with a registry.
    private const string Id64 = "1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a";
    private const string Song64 = "thisisthesongthatneverendsitgoesonandonandonthisisthesongthatnev";
    private const string FfDigest = "sha256:ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff";

    private static readonly string Label64 = new('h', 64);
    private static readonly string HostTooLong = string.Join('.', new string('a', 63), new string('b', 63), new string('c', 63), new string('d', 63)) + ".io";

    /// <summary>input, Registry, Host, Port, Repository, Tag, Digest, IsRegistryImplicit, FamiliarName.</summary>
    private static IEnumerable<TestCaseData> ValidReferences()
    {
        // Docker Hub: implicit registry, library/ for single-segment names.
        yield return V("nginx", Hub, Hub, null, "library/nginx", null, null, true, "nginx");
        yield return V("nginx:1.27", Hub, Hub, null, "library/nginx", "1.27", null, true, "nginx");
        yield return V("nginx:latest", Hub, Hub, null, "library/nginx", "latest", null, true, "nginx");
        yield return V("acme/app", Hub, Hub, null, "acme/app", null, null, true, "acme/app");
        yield return V("acme/app:v1", Hub, Hub, null, "acme/app", "v1", null, true, "acme/app");
        yield return V("library/nginx", Hub, Hub, null, "library/nginx", null, null, true, "nginx");
        yield return V("library/a/b", Hub, Hub, null, "library/a/b", null, null, true, "library/a/b");
        yield return V("a/b/c/d", Hub, Hub, null, "a/b/c/d", null, null, true, "a/b/c/d");
        yield return V("foo_bar/app", Hub, Hub, null, "foo_bar/app", null, null, true, "foo_bar/app");
        yield return V("localhost", Hub, Hub, null, "library/localhost", null, null, true, "localhost");
        yield return V("localhost:5000", Hub, Hub, null, "library/localhost", "5000", null, true, "localhost");
        yield return V("0/1", Hub, Hub, null, "0/1", null, null, true, "0/1");

        // Docker Hub aliases are one registry, docker.io; an explicit Hub name still gets library/.
        yield return V("docker.io/nginx", Hub, Hub, null, "library/nginx", null, null, false, "nginx");
        yield return V("docker.io/library/nginx", Hub, Hub, null, "library/nginx", null, null, false, "nginx");
        yield return V("docker.io/library", Hub, Hub, null, "library/library", null, null, false, "library");
        yield return V("index.docker.io/nginx", Hub, Hub, null, "library/nginx", null, null, false, "nginx");
        yield return V("index.docker.io/acme/app", Hub, Hub, null, "acme/app", null, null, false, "acme/app");
        yield return V("registry-1.docker.io/nginx:1", Hub, Hub, null, "library/nginx", "1", null, false, "nginx");
        yield return V("registry-1.docker.io/acme/app", Hub, Hub, null, "acme/app", null, null, false, "acme/app");
        yield return V("Docker.IO/nginx", Hub, Hub, null, "library/nginx", null, null, false, "nginx");
        yield return V("INDEX.DOCKER.IO/acme/app:1", Hub, Hub, null, "acme/app", "1", null, false, "acme/app");

        // With a port docker.io is an ordinary registry (distribution compares the domain exactly).
        yield return V("docker.io:443/nginx", "docker.io:443", "docker.io", 443, "nginx", null, null, false, "docker.io:443/nginx");

        // localhost and hosts with '.' or ':' or an upper-case letter are registries.
        yield return V("localhost/app", "localhost", "localhost", null, "app", null, null, false, "localhost/app");
        yield return V("localhost:5000/app", "localhost:5000", "localhost", 5000, "app", null, null, false, "localhost:5000/app");
        yield return V("localhost:5000/a/b/c:1", "localhost:5000", "localhost", 5000, "a/b/c", "1", null, false, "localhost:5000/a/b/c");
        yield return V("LocalHost/app", "localhost", "localhost", null, "app", null, null, false, "localhost/app");
        yield return V("myhost:5000/app", "myhost:5000", "myhost", 5000, "app", null, null, false, "myhost:5000/app");
        yield return V("MyHost:5000/app", "myhost:5000", "myhost", 5000, "app", null, null, false, "myhost:5000/app");
        yield return V("Foo/bar", "Foo", "Foo", null, "bar", null, null, false, "Foo/bar");
        yield return V("quay.io/ns/app:1.2", "quay.io", "quay.io", null, "ns/app", "1.2", null, false, "quay.io/ns/app");
        yield return V("Quay.IO/ns/app", "quay.io", "quay.io", null, "ns/app", null, null, false, "quay.io/ns/app");
        yield return V("a.b.c.example.com/x/y/z", "a.b.c.example.com", "a.b.c.example.com", null, "x/y/z", null, null, false, "a.b.c.example.com/x/y/z");
        yield return V(
            "my-registry.example:8443/team/app",
            "my-registry.example:8443",
            "my-registry.example",
            8443,
            "team/app",
            null,
            null,
            false,
            "my-registry.example:8443/team/app");
        yield return V(
            "xn--bcher-kva.example/app",
            "xn--bcher-kva.example",
            "xn--bcher-kva.example",
            null,
            "app",
            null,
            null,
            false,
            "xn--bcher-kva.example/app");
        yield return V("reg.example.com:1/app", "reg.example.com:1", "reg.example.com", 1, "app", null, null, false, "reg.example.com:1/app");

        // IPv4 and bracketed IPv6 hosts.
        yield return V("192.168.1.10/app", "192.168.1.10", "192.168.1.10", null, "app", null, null, false, "192.168.1.10/app");
        yield return V("192.168.1.10:5000/ns/app:v2", "192.168.1.10:5000", "192.168.1.10", 5000, "ns/app", "v2", null, false, "192.168.1.10:5000/ns/app");
        yield return V("127.0.0.1:65535/app", "127.0.0.1:65535", "127.0.0.1", 65535, "app", null, null, false, "127.0.0.1:65535/app");
        yield return V("[::1]:5000/app", "[::1]:5000", "[::1]", 5000, "app", null, null, false, "[::1]:5000/app");
        yield return V("[::1]/app", "[::1]", "[::1]", null, "app", null, null, false, "[::1]/app");
        yield return V("[::1]:5000/app:1.0", "[::1]:5000", "[::1]", 5000, "app", "1.0", null, false, "[::1]:5000/app");
        yield return V("[2001:db8::1]:443/ns/app:tag", "[2001:db8::1]:443", "[2001:db8::1]", 443, "ns/app", "tag", null, false, "[2001:db8::1]:443/ns/app");
        yield return V("[2001:DB8:0:0:0:0:0:1]/app", "[2001:db8::1]", "[2001:db8::1]", null, "app", null, null, false, "[2001:db8::1]/app");
        yield return V("[fe80::1]:5000/app@" + Sha256, "[fe80::1]:5000", "[fe80::1]", 5000, "app", null, Sha256, false, "[fe80::1]:5000/app");

        // Path components and separators: '.', '_', '__', runs of '-'.
        yield return V("a.io/a.b", "a.io", "a.io", null, "a.b", null, null, false, "a.io/a.b");
        yield return V("a.io/a_b", "a.io", "a.io", null, "a_b", null, null, false, "a.io/a_b");
        yield return V("a.io/a__b", "a.io", "a.io", null, "a__b", null, null, false, "a.io/a__b");
        yield return V("a.io/a-b", "a.io", "a.io", null, "a-b", null, null, false, "a.io/a-b");
        yield return V("a.io/a---b", "a.io", "a.io", null, "a---b", null, null, false, "a.io/a---b");
        yield return V("a.io/a.b_c__d-e--f/g0", "a.io", "a.io", null, "a.b_c__d-e--f/g0", null, null, false, "a.io/a.b_c__d-e--f/g0");
        yield return V("a.io/0/1", "a.io", "a.io", null, "0/1", null, null, false, "a.io/0/1");

        // Tags: [\w][\w.-]{0,127}.
        yield return V("app:_", Hub, Hub, null, "library/app", "_", null, true, "app");
        yield return V("app:1", Hub, Hub, null, "library/app", "1", null, true, "app");
        yield return V("app:V1.0-RC_1", Hub, Hub, null, "library/app", "V1.0-RC_1", null, true, "app");
        yield return V("app:v1..2--x", Hub, Hub, null, "library/app", "v1..2--x", null, true, "app");
        yield return V("app:" + Tag128, Hub, Hub, null, "library/app", Tag128, null, true, "app");

        // Digests, alone and with a tag.
        yield return V("nginx@" + Sha256, Hub, Hub, null, "library/nginx", null, Sha256, true, "nginx");
        yield return V("nginx:1.27@" + Sha256, Hub, Hub, null, "library/nginx", "1.27", Sha256, true, "nginx");
        yield return V("acme/app:tag@" + Sha256, Hub, Hub, null, "acme/app", "tag", Sha256, true, "acme/app");
        yield return V("quay.io/ns/app@" + Sha512, "quay.io", "quay.io", null, "ns/app", null, Sha512, false, "quay.io/ns/app");
        yield return V("quay.io/ns/app:1@" + Sha384, "quay.io", "quay.io", null, "ns/app", "1", Sha384, false, "quay.io/ns/app");
        yield return V("app@md5:" + Hex32, Hub, Hub, null, "library/app", null, "md5:" + Hex32, true, "app");
        yield return V("app@multihash+base58:" + Hex32, Hub, Hub, null, "library/app", null, "multihash+base58:" + Hex32, true, "app");
        yield return V(
            "app@foo.bar-baz_qux:ABCDEF0123456789ABCDEF0123456789abcd",
            Hub,
            Hub,
            null,
            "library/app",
            null,
            "foo.bar-baz_qux:ABCDEF0123456789ABCDEF0123456789abcd",
            true,
            "app");

        // The 255-character limit on the repository path (reference.go, RepositoryNameTotalLengthMax).
        yield return V("a.io/" + Path250, "a.io", "a.io", null, Path250, null, null, false, "a.io/" + Path250);
        yield return V(HubName237, Hub, Hub, null, "library/" + HubName237, null, null, true, HubName237);
        yield return V(HubName247, Hub, Hub, null, "library/" + HubName247, null, null, true, HubName247);

        // reference_test.go, TestReferenceParse.
        yield return V("example.com/" + Path255 + ":tag", "example.com", "example.com", null, Path255, "tag", null, false, "example.com/" + Path255);
        yield return V(Slashes255 + ":tag-puts-this-over-max", Hub, Hub, null, Slashes255, "tag-puts-this-over-max", null, true, Slashes255);
        yield return V("test_com", Hub, Hub, null, "library/test_com", null, null, true, "test_com");
        yield return V("test.com:tag", Hub, Hub, null, "library/test.com", "tag", null, true, "test.com");
        yield return V("test.com:5000", Hub, Hub, null, "library/test.com", "5000", null, true, "test.com");
        yield return V("test:5000/repo:tag@" + FfDigest, "test:5000", "test", 5000, "repo", "tag", FfDigest, false, "test:5000/repo");
        yield return V("lowercase:Uppercase", Hub, Hub, null, "library/lowercase", "Uppercase", null, true, "lowercase");
        yield return V("b.gcr.io/test.example.com/my-app:test.example.com", "b.gcr.io", "b.gcr.io", null, "test.example.com/my-app",
            "test.example.com", null, false, "b.gcr.io/test.example.com/my-app");
        yield return V("xn--7o8h.com/myimage:xn--7o8h.com@" + FfDigest, "xn--7o8h.com", "xn--7o8h.com", null, "myimage", "xn--7o8h.com", FfDigest,
            false, "xn--7o8h.com/myimage");
        yield return V("foo_bar.com:8080", Hub, Hub, null, "library/foo_bar.com", "8080", null, true, "foo_bar.com");
        yield return V("foo/foo_bar.com:8080", Hub, Hub, null, "foo/foo_bar.com", "8080", null, true, "foo/foo_bar.com");
        yield return V("192.168.1.1", Hub, Hub, null, "library/192.168.1.1", null, null, true, "192.168.1.1");
        yield return V("192.168.1.1:5000", Hub, Hub, null, "library/192.168.1.1", "5000", null, true, "192.168.1.1");
        yield return V("192.168.1.1:5000/repo:5050", "192.168.1.1:5000", "192.168.1.1", 5000, "repo", "5050", null, false, "192.168.1.1:5000/repo");
        yield return V("[2001:db8:1:2:3:4:5:6]/repo:tag", "[2001:db8:1:2:3:4:5:6]", "[2001:db8:1:2:3:4:5:6]", null, "repo", "tag", null, false,
            "[2001:db8:1:2:3:4:5:6]/repo");
        yield return V("[2001:db8::]:5000/repo", "[2001:db8::]:5000", "[2001:db8::]", 5000, "repo", null, null, false, "[2001:db8::]:5000/repo");

        // normalize_test.go, TestValidateReferenceName and TestParseRepositoryInfo.
        yield return V("LOCALDOMAIN/library/debian", "LOCALDOMAIN", "LOCALDOMAIN", null, "library/debian", null, null, false, "LOCALDOMAIN/library/debian");
        yield return V("[fc00::1]:5000/docker/docker", "[fc00::1]:5000", "[fc00::1]", 5000, "docker/docker", null, null, false, "[fc00::1]:5000/docker/docker");
        yield return V("[fc00:1:2:3:4:5:6:7]:5000/library/debian", "[fc00:1:2:3:4:5:6:7]:5000", "[fc00:1:2:3:4:5:6:7]", 5000, "library/debian", null,
            null, false, "[fc00:1:2:3:4:5:6:7]:5000/library/debian");
        yield return V("192.168.0.1:80", Hub, Hub, null, "library/192.168.0.1", "80", null, true, "192.168.0.1");
        yield return V(Song64, Hub, Hub, null, "library/" + Song64, null, null, true, Song64);
        // Its familiar name keeps "library/", so that it parses back (upstream's familiar "1a3f…" would not).
        yield return V("docker.io/" + Id64, Hub, Hub, null, "library/" + Id64, null, null, false, "library/" + Id64);
        yield return V(Id64 + ":tag", Hub, Hub, null, "library/" + Id64, "tag", null, true, "library/" + Id64);
        yield return V("dock__er/docker", Hub, Hub, null, "dock__er/docker", null, null, true, "dock__er/docker");
        yield return V("docker---rules/docker", Hub, Hub, null, "docker---rules/docker", null, null, true, "docker---rules/docker");
        yield return V("FOO/bar", "FOO", "FOO", null, "bar", null, null, false, "FOO/bar");
    }

    private static TestCaseData V(
        string input,
        string registry,
        string host,
        int? port,
        string repository,
        string? tag,
        string? digest,
        bool isImplicit,
        string familiarName) =>
        new TestCaseData(input, registry, host, port, repository, tag, digest, isImplicit, familiarName)
            .SetArgDisplayNames(input.Length > 60 ? input[..57] + "..." : input);

    /// <summary>input, expected Part, a fragment the message must contain.</summary>
    private static IEnumerable<TestCaseData> InvalidReferences()
    {
        // The reference as a whole.
        yield return I("", ImageReferencePart.Reference, "empty");
        yield return I(" ", ImageReferencePart.Reference, "whitespace");
        yield return I(" nginx", ImageReferencePart.Reference, "whitespace");
        yield return I("nginx ", ImageReferencePart.Reference, "whitespace");
        yield return I("ng inx", ImageReferencePart.Reference, "whitespace");
        yield return I("nginx\t", ImageReferencePart.Reference, "whitespace");
        yield return I("nginx\n:1", ImageReferencePart.Reference, "whitespace");
        yield return I("https://index.docker.io/v1/", ImageReferencePart.Reference, "drop the scheme 'https://'");
        yield return I("http://host/app", ImageReferencePart.Reference, "drop the scheme 'http://'");
        yield return I("http://localhost:5000/app:1", ImageReferencePart.Reference, "drop the scheme 'http://'");
        yield return I("oci://quay.io/ns/app", ImageReferencePart.Reference, "drop the scheme 'oci://'");
        yield return I("a.io/" + Path256, ImageReferencePart.Repository, "longer than 255");
        yield return I(HubName248, ImageReferencePart.Repository, "'library/" + HubName248 + "' is longer than 255");

        // reference_test.go: "domain/" + 256 characters is ErrNameTooLong; normalize_test.go: a 255+ namespace.
        yield return I("domain/" + Path256 + ":tag", ImageReferencePart.Repository, "longer than 255");
        yield return I(Slashes255 + "a", ImageReferencePart.Repository, "longer than 255");

        // normalize_test.go: ParseNormalizedNamed refuses a 64-hex string as a name ("cannot specify 64-byte hexadecimal strings").
        yield return I(Id64, ImageReferencePart.Repository, "64-character hexadecimal string is an image id");
        yield return I(Hex64, ImageReferencePart.Repository, "image id, not a repository name");

        // Registry host and port.
        yield return I("localhost:0/app", ImageReferencePart.Registry, "'0' is out of range");
        yield return I("localhost:65536/app", ImageReferencePart.Registry, "'65536' is out of range");
        yield return I("localhost:99999999999/app", ImageReferencePart.Registry, "'99999999999' is out of range");
        yield return I("localhost:abc/app", ImageReferencePart.Registry, "'abc' is not a number");
        yield return I("localhost:-1/app", ImageReferencePart.Registry, "'-1' is not a number");
        yield return I("localhost:/app", ImageReferencePart.Registry, "port after 'localhost:' is empty");
        yield return I("foo:bar/baz", ImageReferencePart.Registry, "'bar' is not a number");
        yield return I("[::1]:0/app", ImageReferencePart.Registry, "'0' is out of range");
        yield return I("[::1]:65536/app", ImageReferencePart.Registry, "'65536' is out of range");
        yield return I("[::1]:x/app", ImageReferencePart.Registry, "'x' is not a number");
        yield return I("[::1/app", ImageReferencePart.Registry, "'[::1' has no closing ']'");
        yield return I("[::1]x/app", ImageReferencePart.Registry, "unexpected 'x'");
        yield return I("[::g]/app", ImageReferencePart.Registry, "'[::g]' is not a valid bracketed IPv6 address");
        yield return I("[127.0.0.1]/app", ImageReferencePart.Registry, "'[127.0.0.1]' is not a valid bracketed IPv6 address");
        yield return I("[fe80::1%eth0]/app", ImageReferencePart.Registry, "is not a valid bracketed IPv6 address");

        // IPv6 as regexp.go's ipv6address (hex digits and ':' only) and the cases of reference_test.go, normalize_test.go
        // and regexp_test.go: no zone, no dotted IPv4 tail, brackets required, a port after ':' only.
        yield return I("[fe80::1%eth0]:5000/repo", ImageReferencePart.Registry, "is not a valid bracketed IPv6 address");
        yield return I("[fe80::1%@invalidzone]:5000/repo", ImageReferencePart.Digest, "digest algorithm 'invalidzone]' is not valid");
        yield return I("[2001:db8:3:4::192.0.2.33]:5000/debian", ImageReferencePart.Registry, "is not a valid bracketed IPv6 address");
        yield return I("[::ffff:127.0.0.1]/app", ImageReferencePart.Registry, "'[::ffff:127.0.0.1]' is not a valid bracketed IPv6 address");
        yield return I("[fd00123123123]:5000/app", ImageReferencePart.Registry, "is not a valid bracketed IPv6 address");
        yield return I("[fd00:1:2::3]75050/app", ImageReferencePart.Registry, "unexpected '75050'");
        yield return I("[fd00:1:2::3]::75050/app", ImageReferencePart.Registry, "':75050' is not a number");
        yield return I("[2001:0db8:85a3:0000:0000:8a2e:0370:7334]:750505/app", ImageReferencePart.Registry, "'750505' is out of range");
        yield return I("fc00::1:5000/debian", ImageReferencePart.Registry, "is not a number");
        yield return I("[2001:db8::1]", ImageReferencePart.Repository, "character '['");
        yield return I("[2001:db8::1]:5000", ImageReferencePart.Repository, "character '['");
        yield return I("[2001:db8::1]:tag", ImageReferencePart.Repository, "character '['");
        yield return I("[fc00::1]", ImageReferencePart.Repository, "character '['");
        yield return I("-bad.io/app", ImageReferencePart.Registry, "'-bad'");
        yield return I("bad-.io/app", ImageReferencePart.Registry, "'bad-'");
        yield return I("a..b.io/app", ImageReferencePart.Registry, "'a..b.io' has an empty label");
        yield return I(".io/app", ImageReferencePart.Registry, "'.io' has an empty label");
        yield return I("a.io./app", ImageReferencePart.Registry, "'a.io.' has an empty label");
        yield return I("a_b.io/app", ImageReferencePart.Registry, "'a_b.io' contains the character '_'");
        yield return I("Foo_Bar/app", ImageReferencePart.Registry, "'Foo_Bar' contains the character '_'");
        yield return I("*.io/app", ImageReferencePart.Registry, "'*.io' contains '*'");
        yield return I(Label64 + ".io/app", ImageReferencePart.Registry, "longer than 63");
        yield return I(HostTooLong + "/app", ImageReferencePart.Registry, "longer than 253");

        // Repository path.
        yield return I("Nginx", ImageReferencePart.Repository, "'Nginx' must be lower-case");

        // reference_test.go and normalize_test.go.
        yield return I("Uppercase:tag", ImageReferencePart.Repository, "'Uppercase' must be lower-case");
        yield return I("test:5000/Uppercase/lowercase:tag", ImageReferencePart.Repository, "must be lower-case");
        yield return I("aa/asdf$$^/aa", ImageReferencePart.Repository, "character '$'");
        yield return I("docker.io/docker/Docker", ImageReferencePart.Repository, "must be lower-case");
        yield return I("-docker", ImageReferencePart.Repository, "'-docker'");
        yield return I("-docker.io/docker/docker", ImageReferencePart.Registry, "'-docker'");
        yield return I("docker///docker", ImageReferencePart.Repository, "empty component");
        yield return I("docker-/docker", ImageReferencePart.Repository, "'docker-/docker'");
        yield return I("____/____", ImageReferencePart.Repository, "'____/____'");
        yield return I("dock_.er/docker", ImageReferencePart.Registry, "contains the character '_'");
        yield return I("docker/", ImageReferencePart.Repository, "empty component");
        yield return I("acme/App", ImageReferencePart.Repository, "'acme/App' must be lower-case");
        yield return I("a.io/A", ImageReferencePart.Repository, "'A' must be lower-case");
        yield return I("quay.io/ns/App:1", ImageReferencePart.Repository, "'ns/App' must be lower-case");
        yield return I("Foo/Bar", ImageReferencePart.Repository, "'Bar' must be lower-case");
        yield return I("a.io/a___b", ImageReferencePart.Repository, "'a___b'");
        yield return I("a.io/_a", ImageReferencePart.Repository, "'_a'");
        yield return I("a.io/a_", ImageReferencePart.Repository, "'a_'");
        yield return I("a.io/.a", ImageReferencePart.Repository, "'.a'");
        yield return I("a.io/a.", ImageReferencePart.Repository, "'a.'");
        yield return I("a.io/-a", ImageReferencePart.Repository, "'-a'");
        yield return I("a.io/a-", ImageReferencePart.Repository, "'a-'");
        yield return I("a.io/a..b", ImageReferencePart.Repository, "'a..b'");
        yield return I("a.io/a.-b", ImageReferencePart.Repository, "'a.-b'");
        yield return I("a.io/a-.b", ImageReferencePart.Repository, "'a-.b'");
        yield return I("a.io/a_.b", ImageReferencePart.Repository, "'a_.b'");
        yield return I("a/-b", ImageReferencePart.Repository, "'a/-b'");
        yield return I("a/b-/c", ImageReferencePart.Repository, "'a/b-/c'");
        yield return I("a//b", ImageReferencePart.Repository, "'a//b' has an empty component");
        yield return I("a.io/a//b", ImageReferencePart.Repository, "'a//b' has an empty component");
        yield return I("a.io/app/", ImageReferencePart.Repository, "'app/' has an empty component");
        yield return I("/app", ImageReferencePart.Repository, "'/app' has an empty component");
        yield return I("a.io/", ImageReferencePart.Repository, "repository path is empty");
        yield return I("a.io/a$b", ImageReferencePart.Repository, "character '$'");
        yield return I("a.io/a+b", ImageReferencePart.Repository, "character '+'");
        yield return I("a/b:c:d", ImageReferencePart.Repository, "character ':'");
        yield return I("[]/app", ImageReferencePart.Repository, "character '['");
        yield return I(":tag", ImageReferencePart.Repository, "repository name is missing");
        yield return I("@" + Sha256, ImageReferencePart.Repository, "repository name is missing");

        // Tag.
        yield return I("app:", ImageReferencePart.Tag, "tag after ':' is empty");
        yield return I("a.io/app:", ImageReferencePart.Tag, "tag after ':' is empty");
        yield return I("app:-v1", ImageReferencePart.Tag, "'-v1' must start with a letter, digit or '_'");
        yield return I("app:.v1", ImageReferencePart.Tag, "'.v1' must start with a letter, digit or '_'");
        yield return I("app:v1+x", ImageReferencePart.Tag, "'v1+x' contains the character '+'");
        yield return I("app:v1!", ImageReferencePart.Tag, "'v1!' contains the character '!'");
        yield return I("app:v\u00e9", ImageReferencePart.Tag, "contains the character '\u00e9'");
        yield return I("app:" + Tag129, ImageReferencePart.Tag, "tag is longer than 128");
        yield return I("app:" + Tag129 + "@" + Sha256, ImageReferencePart.Tag, "tag is longer than 128");

        // Digest.
        yield return I("app@", ImageReferencePart.Digest, "not of the form algorithm:hex");
        yield return I("app@sha256", ImageReferencePart.Digest, "'sha256' is not of the form algorithm:hex");
        yield return I("app@sha256:", ImageReferencePart.Digest, "must have 64 hex digits, not 0");
        yield return I("app@sha256:" + Hex64[..63], ImageReferencePart.Digest, "must have 64 hex digits, not 63");
        yield return I("app@sha256:" + Hex64 + "0", ImageReferencePart.Digest, "must have 64 hex digits, not 65");
        yield return I("app@sha256:" + Hex64.ToUpperInvariant(), ImageReferencePart.Digest, "sha256 digest must be lower-case hexadecimal");
        yield return I("app@sha256:" + Hex64[..63] + "g", ImageReferencePart.Digest, "sha256 digest must be lower-case hexadecimal");
        yield return I("app@sha512:" + Hex64, ImageReferencePart.Digest, "sha512 digest must have 128 hex digits, not 64");
        yield return I("app@sha384:" + Hex128, ImageReferencePart.Digest, "sha384 digest must have 96 hex digits, not 128");
        yield return I("app@md5:" + Hex32[..31], ImageReferencePart.Digest, "at least 32 hex digits");
        yield return I("app@md5:" + Hex32[..31] + "z", ImageReferencePart.Digest, "must be hexadecimal after 'md5:'");
        yield return I("app@:" + Hex64, ImageReferencePart.Digest, "has no algorithm");
        yield return I("app@1sha:" + Hex64, ImageReferencePart.Digest, "algorithm '1sha' is not valid");
        yield return I("app@sha-:" + Hex64, ImageReferencePart.Digest, "algorithm 'sha-' is not valid");
        yield return I("app@-sha:" + Hex64, ImageReferencePart.Digest, "algorithm '-sha' is not valid");
        yield return I("app@sha..256:" + Hex64, ImageReferencePart.Digest, "algorithm 'sha..256' is not valid");
        yield return I("app@sha#256:" + Hex64, ImageReferencePart.Digest, "algorithm 'sha#256' is not valid");
        yield return I("app:1@sha256:abc", ImageReferencePart.Digest, "must have 64 hex digits, not 3");
        yield return I("app@" + Sha256 + "@" + Sha256, ImageReferencePart.Digest, "sha256 digest must be lower-case hexadecimal");
    }

    private static TestCaseData I(string input, ImageReferencePart part, string messageFragment) =>
        new TestCaseData(input, part, messageFragment)
            .SetArgDisplayNames(
                (input.Length > 60 ? input[..57] + "..." : input).ReplaceLineEndings("\\n").Replace("\t", "\\t", StringComparison.Ordinal),
                part.ToString());

    private static string Suffix(string? tag, string? digest) =>
        (tag is null ? string.Empty : ":" + tag) + (digest is null ? string.Empty : "@" + digest);

    [TestCaseSource(nameof(ValidReferences))]
    public void Parse_accepts_valid_reference(
        string input,
        string registry,
        string host,
        int? port,
        string repository,
        string? tag,
        string? digest,
        bool isImplicit,
        string familiarName)
    {
        var reference = ImageReference.Parse(input);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(reference.Registry, Is.EqualTo(registry), nameof(reference.Registry));
            Assert.That(reference.Host, Is.EqualTo(host), nameof(reference.Host));
            Assert.That(reference.Port, Is.EqualTo(port), nameof(reference.Port));
            Assert.That(reference.Repository, Is.EqualTo(repository), nameof(reference.Repository));
            Assert.That(reference.Tag, Is.EqualTo(tag), nameof(reference.Tag));
            Assert.That(reference.Digest, Is.EqualTo(digest), nameof(reference.Digest));
            Assert.That(reference.IsRegistryImplicit, Is.EqualTo(isImplicit), nameof(reference.IsRegistryImplicit));
            Assert.That(reference.IsDockerHub, Is.EqualTo(registry == Hub), nameof(reference.IsDockerHub));
            Assert.That(reference.FamiliarName, Is.EqualTo(familiarName), nameof(reference.FamiliarName));
            Assert.That(reference.ToFamiliarString(), Is.EqualTo(familiarName + Suffix(tag, digest)), nameof(reference.ToFamiliarString));
            Assert.That(reference.ToString(), Is.EqualTo(registry + "/" + repository + Suffix(tag, digest)), nameof(reference.ToString));
        }
    }

    [TestCaseSource(nameof(ValidReferences))]
    public void ToString_and_familiar_string_parse_back_to_an_equal_reference(
        string input,
        string registry,
        string host,
        int? port,
        string repository,
        string? tag,
        string? digest,
        bool isImplicit,
        string familiarName)
    {
        var reference = ImageReference.Parse(input);
        var reparsed = ImageReference.Parse(reference.ToString());
        var fromFamiliar = ImageReference.Parse(reference.ToFamiliarString());

        using (Assert.EnterMultipleScope())
        {
            Assert.That(reparsed == reference, Is.True, "Parse(r.ToString()) == r");
            Assert.That(reparsed, Is.EqualTo(reference));
            Assert.That(reparsed.GetHashCode(), Is.EqualTo(reference.GetHashCode()));
            Assert.That(reparsed.Host, Is.EqualTo(host));
            Assert.That(reparsed.Port, Is.EqualTo(port));
            Assert.That(reparsed.IsRegistryImplicit, Is.False, "ToString() always names the registry");
            Assert.That(fromFamiliar, Is.EqualTo(reference), "Parse(r.ToFamiliarString()) == r");
            Assert.That(fromFamiliar.IsRegistryImplicit, Is.EqualTo(registry == Hub));
        }
    }

    [TestCaseSource(nameof(ValidReferences))]
    public void TryParse_accepts_valid_reference(
        string input,
        string registry,
        string host,
        int? port,
        string repository,
        string? tag,
        string? digest,
        bool isImplicit,
        string familiarName)
    {
        var ok = ImageReference.TryParse(input, out var reference);

        Assert.That(ok, Is.True);
        Assert.That(reference, Is.EqualTo(ImageReference.Parse(input)));
    }

    [TestCaseSource(nameof(InvalidReferences))]
    public void Parse_rejects_invalid_reference_naming_the_part(string input, ImageReferencePart part, string messageFragment)
    {
        var e = Assert.Throws<ImageReferenceFormatException>(() => ImageReference.Parse(input));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(e.Part, Is.EqualTo(part), nameof(e.Part));
            Assert.That(e.Message, Does.Contain(messageFragment));
            Assert.That(e.Message, Does.StartWith($"Invalid image reference '{input}'"));
            Assert.That(e.Reference, Is.EqualTo(input));
            Assert.That(e.Reason, Is.Not.Null.And.Not.Empty);
            Assert.That(e, Is.InstanceOf<FormatException>());
        }
    }

    [TestCaseSource(nameof(InvalidReferences))]
    public void TryParse_returns_false_and_never_throws(string input, ImageReferencePart part, string messageFragment)
    {
        var ok = true;
        ImageReference? reference = null;

        Assert.DoesNotThrow(() => ok = ImageReference.TryParse(input, out reference));
        Assert.That(ok, Is.False);
        Assert.That(reference, Is.Null);
    }

    [Test]
    public void TryParse_null_returns_false_and_never_throws()
    {
        var ok = true;
        ImageReference? reference = null;

        Assert.DoesNotThrow(() => ok = ImageReference.TryParse(null, out reference));
        Assert.That(ok, Is.False);
        Assert.That(reference, Is.Null);
    }

    [Test]
    public void Parse_null_throws_ArgumentNullException() =>
        Assert.Throws<ArgumentNullException>(() => ImageReference.Parse(null!));

    [TestCase("nginx", "docker.io/nginx")]
    [TestCase("nginx", "docker.io/library/nginx")]
    [TestCase("nginx", "index.docker.io/library/nginx")]
    [TestCase("nginx", "registry-1.docker.io/nginx")]
    [TestCase("nginx", "library/nginx")]
    [TestCase("acme/app:1", "Index.Docker.IO/acme/app:1")]
    [TestCase("quay.io/ns/app", "QUAY.IO/ns/app")]
    [TestCase("[::1]:5000/app", "[0:0:0:0:0:0:0:1]:5000/app")]
    [TestCase("localhost/app", "LOCALHOST/app")]
    public void Equivalent_spellings_are_equal(string left, string right)
    {
        var a = ImageReference.Parse(left);
        var b = ImageReference.Parse(right);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(a, Is.EqualTo(b));
            Assert.That(a == b, Is.True);
            Assert.That(a != b, Is.False);
            Assert.That(a.GetHashCode(), Is.EqualTo(b.GetHashCode()));
            Assert.That(a.ToString(), Is.EqualTo(b.ToString()));
        }
    }

    [TestCase("nginx", "nginx:latest")]
    [TestCase("nginx", "nginx@" + Sha256)]
    [TestCase("nginx:1", "nginx:1@" + Sha256)]
    [TestCase("acme/app", "acme/app2")]
    [TestCase("docker.io/nginx", "docker.io:443/nginx")]
    [TestCase("localhost/app", "localhost:5000/app")]
    [TestCase("quay.io/ns/app", "quay.io/ns/app/sub")]
    [TestCase("app:V1", "app:v1")]
    public void Different_references_are_not_equal(string left, string right)
    {
        var a = ImageReference.Parse(left);
        var b = ImageReference.Parse(right);

        Assert.That(a, Is.Not.EqualTo(b));
        Assert.That(a != b, Is.True);
    }
}
