using System.Text;
using RegistryCredentials.Cli.Tests.Support;

namespace RegistryCredentials.Cli.Tests;

/// <summary>
/// What regcred reads is valid UTF-8 and bounded: a password or key file is at most 64 KiB, a JSON document on stdin at
/// most 1 MiB. Bytes that are not UTF-8 (on stdin, in a file, in an argument or the environment) are refused with a clear
/// message instead of being stored as U+FFFD, and every refusal leaves the store as it was.
/// </summary>
[TestFixture]
public sealed class InputTextAndSizeTests
{
    private const string Registry = "registry.example.com";

    private Sandbox _sandbox = null!;
    private string _kept = null!;

    [SetUp]
    public async Task SetUp()
    {
        _sandbox = new Sandbox();
        _kept = "pw-kept-" + Guid.NewGuid().ToString("N");
        var add = await _sandbox.RunWithPasswordAsync(_kept, "registry", "add", Registry, "--username", "ci", "--validate=false");
        Assert.That(add.ExitCode, Is.Zero, add.ToString());
    }

    [TearDown]
    public void TearDown() => _sandbox.Dispose();

    [Test]
    public async Task A_password_on_stdin_that_is_not_UTF_8_is_refused_and_stores_nothing()
    {
        var before = await StateAsync();
        var invalid = Bytes("pw-", [0xC3, 0x28, 0xFF], "-x\n");

        var update = await _sandbox.RunBytesAsync(["registry", "update", Registry, "--password-stdin", "--validate=false"], invalid);
        var add = await _sandbox.RunBytesAsync(["registry", "add", "quay.io/acme", "--username", "ci", "--password-stdin", "--validate=false"], invalid);

        Assert.Multiple(async () =>
        {
            foreach (var run in new[] { update, add })
            {
                Assert.That(run.ExitCode, Is.EqualTo(1), run.ToString());
                Assert.That(run.Stderr, Is.EqualTo("regcred: The password on stdin is not valid UTF-8 text.\n"));
            }

            Assert.That(await StateAsync(), Is.EqualTo(before));
        });
    }

    [Test]
    public async Task Credential_helper_JSON_that_is_not_UTF_8_is_refused_on_stdout_and_stores_nothing()
    {
        var before = await StateAsync();

        var rawBytes = await _sandbox.RunBytesAsync(
            ["helper", "store"],
            Bytes("{\"ServerURL\":\"" + Registry + "\",\"Username\":\"ci\",\"Secret\":\"pw-", [0xFF], "\"}\n"));
        var escapedSurrogate = await _sandbox.RunAsync(
            ["helper", "store"],
            "{\"ServerURL\":\"" + Registry + "\",\"Username\":\"ci\",\"Secret\":\"pw-\\ud800\"}\n");
        var newServer = await _sandbox.RunBytesAsync(
            ["helper", "store"],
            Bytes("{\"ServerURL\":\"quay.io\",\"Username\":\"c", [0xFF], "i\",\"Secret\":\"pw\"}\n"));
        var get = await _sandbox.RunBytesAsync(["helper", "get"], Bytes(Registry, [0xFF], "\n"));

        Assert.Multiple(async () =>
        {
            Assert.That(rawBytes.Stdout, Is.EqualTo("The input on stdin is not valid UTF-8 text.\n"), rawBytes.ToString());
            Assert.That(escapedSurrogate.Stdout, Is.EqualTo("the credentials on stdin: Secret is not valid UTF-8 text\n"), escapedSurrogate.ToString());
            Assert.That(newServer.Stdout, Is.EqualTo("The input on stdin is not valid UTF-8 text.\n"), newServer.ToString());
            Assert.That(get.Stdout, Is.EqualTo("The input on stdin is not valid UTF-8 text.\n"), get.ToString());
            foreach (var run in new[] { rawBytes, escapedSurrogate, newServer, get })
            {
                Assert.That(run.ExitCode, Is.EqualTo(1), run.ToString());
            }

            Assert.That(await StateAsync(), Is.EqualTo(before));
        });
    }

    [Test]
    public async Task A_user_name_argument_or_password_variable_that_was_not_UTF_8_is_refused()
    {
        var before = await StateAsync();

        // printf '\377' puts the byte 0xFF itself into argv and the environment, as a shell would from a mangled file.
        var argument = await _sandbox.RunShellAsync(
            "REGCRED_REGISTRY_PASSWORD=pw-ok exec \"$DOTNET\" \"$TOOL\" registry add quay.io/acme --username \"$(printf 'c\\377i')\" --validate=false");
        var variable = await _sandbox.RunShellAsync("REGCRED_REGISTRY_PASSWORD=\"$(printf 'pw-\\377')\" exec \"$DOTNET\" \"$TOOL\" registry update "
            + Registry
            + " --validate=false");

        Assert.Multiple(async () =>
        {
            Assert.That(argument.ExitCode, Is.EqualTo(1), argument.ToString());
            Assert.That(argument.Stderr, Does.StartWith("regcred: --username holds U+FFFD, the replacement character: it was not valid UTF-8"));
            Assert.That(variable.ExitCode, Is.EqualTo(1), variable.ToString());
            Assert.That(variable.Stderr, Does.StartWith("regcred: REGCRED_REGISTRY_PASSWORD holds U+FFFD"));
            Assert.That(await StateAsync(), Is.EqualTo(before));
        });
    }

    [Test]
    public async Task Import_refuses_a_config_that_is_not_UTF_8_and_skips_an_auth_that_decodes_to_invalid_UTF_8()
    {
        var before = await StateAsync();
        var config = Path.Combine(_sandbox.Root, "config.json");
        await File.WriteAllBytesAsync(config, Bytes("{\"auths\":{\"quay.io\":{\"username\":\"ci\",\"password\":\"pw-", [0xFF], "\"}}}"));
        var invalidFile = await _sandbox.RunAsync("import", "docker-config", config, "--validate=false");
        var afterInvalidFile = await StateAsync();

        // A credential helper that answers with a secret that is not UTF-8 (printf '\377' is the byte 0xFF).
        _sandbox.WriteScript("docker-credential-mangled", "cat > /dev/null\nprintf '{\"Username\":\"ci\",\"Secret\":\"pw-\\377\"}\\n'\n");
        var badAuth = Convert.ToBase64String(Bytes("ci:pw-", [0xC3, 0x28]));
        await File.WriteAllTextAsync(
            config,
            "{\"auths\":{\"quay.io\":{\"auth\":\"" + badAuth + "\"},\"ghcr.io\":{\"auth\":\"" + Json.Base64("octo:pw-good") + "\"}},"
            + "\"credHelpers\":{\"helper.example.com\":\"mangled\"}}");
        var mixed = await _sandbox.RunAsync("import", "docker-config", config, "--validate=false", "-o", "json");
        var report = Json.Parse(mixed.Stdout);

        Assert.Multiple(async () =>
        {
            Assert.That(invalidFile.ExitCode, Is.EqualTo(1), invalidFile.ToString());
            Assert.That(invalidFile.Stderr, Is.EqualTo($"regcred: The Docker config {config} is not valid UTF-8 text.\n"));
            Assert.That(afterInvalidFile, Is.EqualTo(before));

            Assert.That(mixed.ExitCode, Is.Zero, mixed.ToString());
            var quay = report.EnumerateArray().Single(r => r.Text("key") == "quay.io");
            Assert.That(quay.Text("result"), Is.EqualTo("skipped"), mixed.Stdout);
            Assert.That(quay.Text("detail"), Does.Contain("not valid UTF-8"));
            Assert.That(report.EnumerateArray().Single(r => r.Text("key") == "ghcr.io").Text("result"), Is.EqualTo("imported"), mixed.Stdout);
            var helper = report.EnumerateArray().Single(r => r.Text("key") == "helper.example.com");
            Assert.That(helper.Text("result"), Is.EqualTo("skipped"), mixed.Stdout);
            Assert.That(helper.Text("detail"), Does.Contain("docker-credential-mangled get printed").And.Contain("not valid UTF-8"));
            Assert.That((await _sandbox.RunAsync("registry", "get", "helper.example.com")).ExitCode, Is.EqualTo(2), "nothing stored from the helper");
            Assert.That((await _sandbox.RunAsync("registry", "get", "quay.io")).ExitCode, Is.EqualTo(2), "nothing stored for quay.io");
        });
    }

    [Test]
    public async Task A_password_of_64_KiB_is_taken_whole_from_stdin_and_one_byte_more_is_refused()
    {
        var exactly = new string('k', 64 * 1024);
        var update = await _sandbox.RunAsync(["registry", "update", Registry, "--password-stdin", "--validate=false"], exactly + "\n");
        Assert.That(update.ExitCode, Is.Zero, update.ToString());
        Assert.That(await StoredSecretAsync(), Is.EqualTo(exactly));
        _kept = exactly;
        var before = await StateAsync();

        var oneMore = await _sandbox.RunAsync(["registry", "update", Registry, "--password-stdin", "--validate=false"], exactly + "k\n");
        var muchMore = await _sandbox.RunAsync(
            ["registry", "add", "quay.io/acme", "--username", "ci", "--password-stdin", "--validate=false"],
            new string('k', 4 * 1024 * 1024));
        var variable = await _sandbox.RunWithPasswordAsync(exactly + "k", "registry", "add", "quay.io/acme", "--username", "ci", "--validate=false");

        Assert.Multiple(async () =>
        {
            Assert.That(oneMore.ExitCode, Is.EqualTo(1), oneMore.ToString());
            Assert.That(oneMore.Stderr, Does.StartWith("regcred: The password is larger than 64 KiB"));
            Assert.That(muchMore.ExitCode, Is.EqualTo(1), muchMore.ToString());
            Assert.That(muchMore.Stderr, Is.EqualTo("regcred: The password on stdin is larger than 64 KiB; nothing was read past that.\n"));
            Assert.That(variable.ExitCode, Is.EqualTo(1), variable.ToString());
            Assert.That(variable.Stderr, Does.StartWith("regcred: The password is larger than 64 KiB"));
            Assert.That(await StateAsync(), Is.EqualTo(before));
        });
    }

    [Test]
    public async Task Helper_and_kubelet_input_is_bounded_and_a_helper_secret_over_64_KiB_is_refused()
    {
        var before = await StateAsync();

        var bigSecret = await _sandbox.RunAsync(
            ["helper", "store"],
            "{\"ServerURL\":\"" + Registry + "\",\"Username\":\"ci\",\"Secret\":\"" + new string('s', (64 * 1024) + 1) + "\"}\n");
        var hugeStore = await _sandbox.RunAsync(
            ["helper", "store"],
            "{\"ServerURL\":\"" + Registry + "\",\"Username\":\"ci\",\"Secret\":\"" + new string('s', 2 * 1024 * 1024) + "\"}\n");
        var hugeKubelet = await _sandbox.RunAsync(
            ["kubelet-credential-provider"],
            "{\"apiVersion\":\"credentialprovider.kubelet.k8s.io/v1\",\"image\":\"" + new string('a', 2 * 1024 * 1024) + "\"}");

        Assert.Multiple(async () =>
        {
            Assert.That(bigSecret.ExitCode, Is.EqualTo(1), bigSecret.ToString());
            Assert.That(bigSecret.Stdout, Does.StartWith("The password is larger than 64 KiB"));
            Assert.That(hugeStore.ExitCode, Is.EqualTo(1), hugeStore.ToString());
            Assert.That(hugeStore.Stdout, Is.EqualTo("The input on stdin is larger than 1 MiB; nothing was read past that.\n"));
            Assert.That(hugeKubelet.ExitCode, Is.Not.Zero, hugeKubelet.ToString());
            Assert.That(hugeKubelet.Stderr, Is.EqualTo("regcred: The CredentialProviderRequest on stdin is larger than 1 MiB; nothing was read past that.\n"));
            Assert.That(await StateAsync(), Is.EqualTo(before));
        });
    }

    [Test]
    public async Task A_CA_file_over_1_MiB_or_not_UTF_8_is_refused_and_stores_nothing()
    {
        var before = await StateAsync();
        var big = Path.Combine(_sandbox.Root, "big-ca.pem");
        await File.WriteAllTextAsync(big, new string('A', (1024 * 1024) + 1));
        var binary = Path.Combine(_sandbox.Root, "binary-ca.der");
        await File.WriteAllBytesAsync(binary, [0x30, 0x82, 0xFF, 0xFE, 0x00]);

        var tooBig = await _sandbox.RunAsync("registry", "update", Registry, "--ca-file", big, "--validate=false");
        var notText = await _sandbox.RunAsync("registry", "update", Registry, "--ca-file", binary, "--validate=false");

        Assert.Multiple(async () =>
        {
            Assert.That(tooBig.ExitCode, Is.EqualTo(1), tooBig.ToString());
            Assert.That(tooBig.Stderr, Is.EqualTo($"regcred: The CA file {big} is larger than 1 MiB.\n"));
            Assert.That(notText.ExitCode, Is.EqualTo(1), notText.ToString());
            Assert.That(notText.Stderr, Is.EqualTo($"regcred: The CA file {binary} is not valid UTF-8 text.\n"));
            Assert.That(await StateAsync(), Is.EqualTo(before));
        });
    }

    private static byte[] Bytes(string before, byte[] middle, string after = "") =>
        [.. Encoding.UTF8.GetBytes(before), .. middle, .. Encoding.UTF8.GetBytes(after)];

    /// <summary>The entries (as JSON) and the kept entry's secret, as the helper hands it out.</summary>
    private async Task<string> StateAsync()
    {
        var list = await _sandbox.RunOkAsync("registry", "list", "-o", "json");
        return list.Stdout + "\n" + await StoredSecretAsync();
    }

    private async Task<string?> StoredSecretAsync()
    {
        var get = await _sandbox.RunAsync(["helper", "get"], Registry + "\n");
        Assert.That(get.ExitCode, Is.Zero, get.ToString());
        return Json.Parse(get.Stdout).Text("Secret");
    }
}
