using RegistryCredentials.Cli.Cli;
using RegistryCredentials.Cli.Interop;

namespace RegistryCredentials.Cli.Tests;

/// <summary>The small pure pieces the protocols depend on, in process.</summary>
[TestFixture]
public sealed class InteropFormatTests
{
    [TestCase("https://index.docker.io/v1/", "docker.io")]
    [TestCase("index.docker.io", "docker.io")]
    [TestCase("registry-1.docker.io", "docker.io")]
    [TestCase("http://registry.example.com:5000/", "registry.example.com:5000")]
    [TestCase("https://registry.example.com/v2/", "registry.example.com")]
    [TestCase("HTTPS://Registry.Example.com", "registry.example.com")]
    // containers-auth.json namespace keys cover the repositories below them: containers/image looks a reference up under
    // its repository, then each parent path by whole segments, then the host (pkg/docker/config/config.go,
    // authKeyLookupOrder; docs/containers-auth.json.5.md). So the key is the subtree host/path/*.
    [TestCase("quay.io/partner", "quay.io/partner/*")]
    [TestCase("https://quay.io/v2/partner/", "quay.io/partner/*")]
    [TestCase("docker.io/acme", "docker.io/acme/*")]
    [TestCase("quay.io/ns/app", "quay.io/ns/app/*")]
    [TestCase("  127.0.0.1:5000 ", "127.0.0.1:5000")]
    [TestCase("[::1]:5000", "[::1]:5000")]
    public void Docker_server_addresses_normalise_to_scopes(string address, string scope) =>
        Assert.That(DockerServerAddress.ToScope(address).Value, Is.EqualTo(scope));

    [Test]
    public void Docker_Hub_is_written_back_as_its_server_url()
    {
        Assert.Multiple(() =>
        {
            Assert.That(DockerServerAddress.ToServerUrl(DockerServerAddress.ToScope("docker.io")), Is.EqualTo("https://index.docker.io/v1/"));
            Assert.That(DockerServerAddress.ToServerUrl(DockerServerAddress.ToScope("docker.io/acme")), Is.EqualTo("docker.io/acme"));
            Assert.That(DockerServerAddress.ToServerUrl(DockerServerAddress.ToScope("quay.io")), Is.EqualTo("quay.io"));
            Assert.Throws<RegistryCredentials.RegistryScopeFormatException>(() => DockerServerAddress.ToScope("not a host"));
        });
    }

    [TestCase("plain", "\"plain\"")]
    [TestCase("<token>", "\"\\u003ctoken\\u003e\"")]
    [TestCase("a&b", "\"a\\u0026b\"")]
    [TestCase("quote\" back\\slash", "\"quote\\\" back\\\\slash\"")]
    [TestCase("line\nbreak\ttab\r", "\"line\\nbreak\\ttab\\r\"")]
    [TestCase("\u0001\u001f", "\"\\u0001\\u001f\"")]
    [TestCase("\b\f", "\"\\b\\f\"")]
    [TestCase("\u2028\u2029", "\"\\u2028\\u2029\"")]
    [TestCase("héllo €", "\"héllo €\"")]
    public void Strings_are_quoted_exactly_as_Go_encoding_json_does(string value, string expected) =>
        Assert.That(GoJson.Quote(value), Is.EqualTo(expected));

    [Test]
    public void A_lone_surrogate_becomes_the_replacement_character() =>
        Assert.That(GoJson.Quote("a" + (char)0xD800 + "b" + "\U0001F600"), Is.EqualTo("\"a\\ufffdb\U0001F600\""));

    [Test]
    public void Go_maps_sort_their_keys_by_bytes() =>
        Assert.That(
            GoJson.Map([new("b", "2"), new("B", "1"), new("https://index.docker.io/v1/", "hub")]),
            Is.EqualTo("{\"B\":\"1\",\"b\":\"2\",\"https://index.docker.io/v1/\":\"hub\"}"));

    [TestCase(0, "0s")]
    [TestCase(-5, "0s")]
    [TestCase(45, "45s")]
    [TestCase(300, "5m0s")]
    [TestCase(3600, "1h0m0s")]
    [TestCase(43199, "11h59m59s")]
    public void Durations_format_like_Go(int seconds, string expected) =>
        Assert.That(GoDuration.Format(TimeSpan.FromSeconds(seconds)), Is.EqualTo(expected));

    [TestCase("5m", 300)]
    [TestCase("300s", 300)]
    [TestCase("1h0m0s", 3600)]
    [TestCase("1h30m", 5400)]
    public void Durations_parse_like_Go(string text, int seconds)
    {
        Assert.That(GoDuration.TryParse(text, out var duration), Is.True);
        Assert.That(duration, Is.EqualTo(TimeSpan.FromSeconds(seconds)));
    }

    [TestCase("")]
    [TestCase("5")]
    [TestCase("m5")]
    [TestCase("1d")]
    public void Bad_durations_are_refused(string text) => Assert.That(GoDuration.TryParse(text, out _), Is.False);

    [TestCase("secret", "secret")]
    [TestCase("secret\n", "secret")]
    [TestCase("secret\r\n", "secret")]
    [TestCase("secret\n\n", "secret\n")]
    [TestCase("{\n \"k\": 1\n}\n", "{\n \"k\": 1\n}")]
    public void Only_one_trailing_line_break_is_removed_from_a_password(string input, string expected) =>
        Assert.That(PasswordInput.TrimOneLineBreak(input), Is.EqualTo(expected));

    [TestCase("docker-credential-regcred", true)]
    [TestCase("regcred", false)]
    [TestCase("dotnet", false)]
    [TestCase(null, false)]
    public void The_helper_mode_follows_the_invocation_name(string? name, bool helper) =>
        Assert.That(InvocationName.IsCredentialHelper(name), Is.EqualTo(helper));

    [Test]
    public async Task The_wrapper_bakes_in_a_SQLite_store_but_never_a_PostgreSQL_connection_string()
    {
        var error = new StringWriter();
        var terminal = new Terminal(new StringReader(string.Empty), new StringWriter(), error, false, false, _ => null);
        var globals = new GlobalOptions();
        await using var sqlite = new Hosting.ToolContext(terminal, "/tmp/registries.db", "/tmp/secret.key", "team");
        await using var postgres = new Hosting.ToolContext(terminal, "Host=db;Username=u;Password=pg-secret", null, null);

        Assert.Multiple(() =>
        {
            Assert.That(
                globals.ExplicitArguments(sqlite),
                Is.EqualTo(new[] { "--store", "/tmp/registries.db", "--key-file", "/tmp/secret.key", "--account", "team" }));
            Assert.That(globals.ExplicitArguments(postgres), Is.Empty);
            Assert.That(error.ToString(), Does.Contain("not written into the wrapper").And.Not.Contain("pg-secret"));
        });
    }

    [Test]
    public void The_wrapper_quotes_every_word_for_the_shell() =>
        Assert.That(
            HelperInstaller.Script(["/opt/my tools/regcred"], ["--store", "/tmp/it's.db"]),
            Is.EqualTo("#!/bin/sh\nexec '/opt/my tools/regcred' '--store' '/tmp/it'\\''s.db' 'helper' \"$@\"\n"));
}
