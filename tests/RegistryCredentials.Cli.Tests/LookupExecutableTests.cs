using System.Text;
using System.Text.Json;
using RegistryCredentials.Cli.Tests.Support;
using RegistryCredentials.Tests.Support.Cloud;
using RegistryCredentials.Tests.Support.Registry;

namespace RegistryCredentials.Cli.Tests;

/// <summary>
/// regcred-lookup, the small executable of the per-pull lookups, installed beside regcred (<see cref="LookupInstall"/>):
/// as <c>docker-credential-regcred get</c> and as the kubelet plugin it answers byte for byte what regcred answers, and
/// whatever it does not serve itself (other commands, entries whose type needs a cloud provider, a PostgreSQL store, a
/// workload identity) it hands to regcred, which replaces the process with the same arguments and stdin.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class LookupExecutableTests
{
    private const string KubeletRequest = "{\"apiVersion\":\"credentialprovider.kubelet.k8s.io/v1\",\"kind\":\"CredentialProviderRequest\",\"image\":\"{0}\"}";
    private static LookupInstall _install = null!;
    private Sandbox _sandbox = null!;

    [OneTimeSetUp]
    public static void InstallBoth() => _install = LookupInstall.Create();

    [OneTimeTearDown]
    public static void Uninstall() => _install.Dispose();

    [SetUp]
    public void SetUp() => _sandbox = new Sandbox();

    [TearDown]
    public void TearDown() => _sandbox.Dispose();

    [Test]
    public async Task Get_answers_what_regcred_answers()
    {
        var secret = "lookup-secret-" + Guid.NewGuid().ToString("N");
        await AddAsync("reg.example.com", "ci", secret);
        await AddAsync("quay.io", "q", "q-secret");
        await AddAsync("docker.io/acme/*", "acme", "acme-secret");
        Assert.That((await _sandbox.RunAsync("registry", "deactivate", "quay.io")).ExitCode, Is.Zero);

        foreach (var input in new[] { "reg.example.com\n", "https://reg.example.com/", "ghcr.io\n", "quay.io\n", "docker.io/acme\n", "\n", "not a url\n" })
        {
            var small = await _sandbox.RunExecutableAsync(_install.Helper, ["get"], ProcessRunner.Utf8(input));
            var full = await _sandbox.RunExecutableAsync(_install.Regcred, ["helper", "--account", "default", "get"], ProcessRunner.Utf8(input));
            var verb = await _sandbox.RunExecutableAsync(_install.Lookup, ["helper", "get"], ProcessRunner.Utf8(input));
            Assert.Multiple(() =>
            {
                Assert.That(small.Stdout, Is.EqualTo(full.Stdout), input);
                Assert.That(small.Stderr, Is.EqualTo(full.Stderr), input);
                Assert.That(small.ExitCode, Is.EqualTo(full.ExitCode), input);
                Assert.That(verb.Stdout, Is.EqualTo(full.Stdout), input);
                Assert.That(verb.ExitCode, Is.EqualTo(full.ExitCode), input);
            });
        }

        var found = await _sandbox.RunExecutableAsync(_install.Helper, ["get"], ProcessRunner.Utf8("reg.example.com\n"));
        Assert.That(found.Stdout, Is.EqualTo($"{{\"ServerURL\":\"reg.example.com\",\"Username\":\"ci\",\"Secret\":\"{secret}\"}}\n"));
    }

    [Test]
    public async Task The_kubelet_plugin_answers_what_regcred_answers()
    {
        await AddAsync("reg.example.com", "kube", "kube-secret");
        await AddAsync("reg.example.com/team/app", "team", "team-secret");

        foreach (var image in new[] { "reg.example.com/other:1", "reg.example.com/team/app:2", "ghcr.io/x/y", "nginx" })
        {
            var request = ProcessRunner.Utf8(KubeletRequest.Replace("{0}", image, StringComparison.Ordinal));
            var small = await _sandbox.RunExecutableAsync(_install.Lookup, ["kubelet-credential-provider", "--cache-duration", "7m"], request);
            var full = await _sandbox.RunExecutableAsync(
                _install.Regcred, ["kubelet-credential-provider", "--cache-duration", "7m", "--account", "default"], request);
            Assert.Multiple(() =>
            {
                Assert.That(small.ExitCode, Is.Zero, small.ToString());
                Assert.That(small.Stdout, Is.EqualTo(full.Stdout), image);
                Assert.That(small.Stderr, Is.EqualTo(full.Stderr), image);
            });
        }

        // Bad input: the same error, and the store is as it was.
        var before = (await _sandbox.RunOkAsync("registry", "list", "-o", "json")).Stdout;
        foreach (var bad in new[] { "{}", "not json", "{\"apiVersion\":\"credentialprovider.kubelet.k8s.io/v2\",\"image\":\"a/b\"}" })
        {
            var small = await _sandbox.RunExecutableAsync(_install.Lookup, ["kubelet-credential-provider"], ProcessRunner.Utf8(bad));
            var full = await _sandbox.RunExecutableAsync(_install.Regcred, ["kubelet-credential-provider", "--account", "default"], ProcessRunner.Utf8(bad));
            Assert.Multiple(() =>
            {
                Assert.That(small.ExitCode, Is.EqualTo(1), small.ToString());
                Assert.That(small.Stderr, Is.EqualTo(full.Stderr), bad);
                Assert.That(small.Stdout, Is.Empty);
            });
        }

        Assert.That((await _sandbox.RunOkAsync("registry", "list", "-o", "json")).Stdout, Is.EqualTo(before));
    }

    /// <summary>
    /// The Native AOT regcred-lookup starts OpenSSL on a second thread as the process starts (Native/openssl_warmup.c;
    /// run with <c>REGCRED_TEST_INSTALL_DIR</c> on the published folder to test that binary). Turned off, or with the
    /// runtime's own OpenSSL settings in the environment (a version override that does not exist falls back to
    /// OpenSSL 3; memory debugging installs allocators before the first allocation), every answer is the same, for a
    /// lookup that decrypts and for ones that never reach OpenSSL (no entry, empty input).
    /// </summary>
    [Test]
    public async Task The_openssl_warm_up_and_the_runtimes_openssl_settings_change_no_answer()
    {
        var secret = "warm-secret-" + Guid.NewGuid().ToString("N");
        await AddAsync("reg.example.com", "ci", secret);
        var environments = new[]
        {
            new Dictionary<string, string?>(),
            new Dictionary<string, string?> { ["REGCRED_NO_OPENSSL_WARMUP"] = "1" },
            new Dictionary<string, string?> { ["CLR_OPENSSL_VERSION_OVERRIDE"] = "0.9.9" },
            new Dictionary<string, string?> { ["DOTNET_SYSTEM_NET_SECURITY_OPENSSL_MEMORY_DEBUG"] = "1" },
        };

        foreach (var input in new[] { "reg.example.com\n", "ghcr.io\n", "\n" })
        {
            var expected = await _sandbox.RunExecutableAsync(_install.Regcred, ["helper", "--account", "default", "get"], ProcessRunner.Utf8(input));
            foreach (var environment in environments)
            {
                var run = await _sandbox.RunExecutableAsync(_install.Helper, ["get"], ProcessRunner.Utf8(input), environment);
                var said = input.Trim() + " " + string.Join(",", environment.Keys);
                Assert.Multiple(() =>
                {
                    Assert.That(run.Stdout, Is.EqualTo(expected.Stdout), said);
                    Assert.That(run.ExitCode, Is.EqualTo(expected.ExitCode), said);
                });
            }
        }

        var kubelet = await _sandbox.RunExecutableAsync(
            _install.Lookup,
            ["kubelet-credential-provider"],
            ProcessRunner.Utf8(KubeletRequest.Replace("{0}", "reg.example.com/app:1", StringComparison.Ordinal)),
            environments[2]);
        Assert.That(kubelet.ExitCode, Is.Zero, kubelet.ToString());
        Assert.That(kubelet.Stdout, Does.Contain(secret));
    }

    [Test]
    public async Task A_store_that_does_not_exist_is_the_same_error_and_nothing_is_created()
    {
        var filesBefore = _sandbox.Files();
        var small = await _sandbox.RunExecutableAsync(_install.Helper, ["get"], ProcessRunner.Utf8("reg.example.com\n"));
        var full = await _sandbox.RunExecutableAsync(_install.Regcred, ["helper", "--account", "default", "get"], ProcessRunner.Utf8("reg.example.com\n"));
        var kubelet = await _sandbox.RunExecutableAsync(
            _install.Lookup, ["kubelet-credential-provider"], ProcessRunner.Utf8(KubeletRequest.Replace("{0}", "reg.example.com/a", StringComparison.Ordinal)));

        Assert.Multiple(() =>
        {
            Assert.That(small.ExitCode, Is.EqualTo(1), small.ToString());
            Assert.That(small.Stdout, Is.EqualTo(full.Stdout));
            Assert.That(kubelet.ExitCode, Is.EqualTo(2), kubelet.ToString());
            Assert.That(kubelet.Stderr, Does.Contain("There is no store at"));
            Assert.That(_sandbox.Files(), Is.EqualTo(filesBefore));
        });
    }

    [Test]
    public async Task Other_commands_are_answered_by_regcred_with_the_same_arguments()
    {
        await AddAsync("reg.example.com", "ci", "ci-secret");

        // regcred's command line through the small executable: the same bytes out, the same exit code.
        string[][] commands = [["registry", "list", "-o", "json"], ["--version"], ["registry", "get", "nowhere.example.com"], ["no-such-command"]];
        foreach (var arguments in commands)
        {
            var small = await _sandbox.RunExecutableAsync(_install.Lookup, arguments);
            var full = await _sandbox.RunExecutableAsync(_install.Regcred, arguments);
            Assert.Multiple(() =>
            {
                Assert.That(small.Stdout, Is.EqualTo(full.Stdout), string.Join(' ', arguments));
                Assert.That(small.Stderr, Is.EqualTo(full.Stderr), string.Join(' ', arguments));
                Assert.That(small.ExitCode, Is.EqualTo(full.ExitCode), string.Join(' ', arguments));
            });
        }

        // The helper protocol's other actions: regcred keeps the docker-credential-regcred name (argv[0]), so it speaks the
        // protocol. Docker's login (store) writes through regcred; get then reads it back on the lean path.
        var login = await _sandbox.RunExecutableAsync(
            _install.Helper, ["store"], ProcessRunner.Utf8("{\"ServerURL\":\"ghcr.io\",\"Username\":\"octo\",\"Secret\":\"ghcr-secret\"}"));
        var list = await _sandbox.RunExecutableAsync(_install.Helper, ["list"]);
        var get = await _sandbox.RunExecutableAsync(_install.Helper, ["get"], ProcessRunner.Utf8("ghcr.io\n"));
        var erase = await _sandbox.RunExecutableAsync(_install.Helper, ["erase"], ProcessRunner.Utf8("ghcr.io\n"));
        var gone = await _sandbox.RunExecutableAsync(_install.Helper, ["get"], ProcessRunner.Utf8("ghcr.io\n"));
        var usage = await _sandbox.RunExecutableAsync(_install.Helper, ["get", "extra"]);
        Assert.Multiple(() =>
        {
            Assert.That(login.ExitCode, Is.Zero, login.ToString());
            Assert.That(list.Stdout, Is.EqualTo("{\"ghcr.io\":\"octo\",\"reg.example.com\":\"ci\"}\n"), list.ToString());
            Assert.That(get.Stdout, Is.EqualTo("{\"ServerURL\":\"ghcr.io\",\"Username\":\"octo\",\"Secret\":\"ghcr-secret\"}\n"), get.ToString());
            Assert.That(erase.ExitCode, Is.Zero, erase.ToString());
            Assert.That(gone.Stdout, Is.EqualTo("credentials not found in native keychain\n"));
            Assert.That(gone.ExitCode, Is.EqualTo(1));
            Assert.That(usage.Stdout, Does.StartWith("Usage: docker-credential-regcred"));
            Assert.That(usage.ExitCode, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task An_ecr_entry_is_answered_by_regcred_through_the_ecr_api()
    {
        // The lookup executable has no ECR provider: the lean lookup finds the awsecr entry (NoProvider) and hands the
        // whole command to regcred, whose provider signs GetAuthorizationToken for the local ECR (FakeEcrEndpoint checks
        // SigV4 as AWS does, see its summary) and answers with the token.
        var keys = AwsTestKeys.NewLongTerm();
        await using var ecr = await FakeEcrEndpoint.StartAsync(TimeProvider.System);
        ecr.Region = "us-east-1";
        ecr.AddKeys(keys);
        var registry = $"{AwsTestKeys.NewAccountId()}.dkr.ecr.us-east-1.amazonaws.com";
        var add = await _sandbox.RunWithPasswordAsync(
            keys.SecretAccessKey, "registry", "add", registry, "--username", keys.AccessKeyId, "--type", "awsecr", "--validate=false");
        Assert.That(add.ExitCode, Is.Zero, add.ToString());
        var aws = new Dictionary<string, string?>
        {
            ["AWS_ENDPOINT_URL_ECR"] = ecr.BaseUri.AbsoluteUri,
            ["AWS_EC2_METADATA_DISABLED"] = "true",
            ["SSL_CERT_FILE"] = TestCertificates.Shared.CaPath,
        };

        var get = await _sandbox.RunExecutableAsync(_install.Helper, ["get"], ProcessRunner.Utf8(registry + "\n"), aws);
        var getPassword = ecr.LastPassword;
        var kubelet = await _sandbox.RunExecutableAsync(
            _install.Lookup,
            ["kubelet-credential-provider"],
            ProcessRunner.Utf8(KubeletRequest.Replace("{0}", registry + "/team/app:1", StringComparison.Ordinal)),
            aws);

        Assert.Multiple(() =>
        {
            Assert.That(get.ExitCode, Is.Zero, get.ToString());
            Assert.That(get.Stdout, Is.EqualTo($"{{\"ServerURL\":\"{registry}\",\"Username\":\"AWS\",\"Secret\":\"{getPassword}\"}}\n"));
            Assert.That(kubelet.ExitCode, Is.Zero, kubelet.ToString());
            var auth = Json.Parse(kubelet.Stdout).GetProperty("auth").GetProperty(registry);
            Assert.That(auth.Text("username"), Is.EqualTo("AWS"));
            Assert.That(auth.Text("password"), Is.EqualTo(ecr.LastPassword));
            Assert.That(ecr.TokensIssued, Is.EqualTo(2), "each process asked ECR once, with the entry's keys");
            Assert.That(ecr.Calls.All(c => c.AccessKeyId == keys.AccessKeyId), Is.True);
        });
    }

    [Test]
    public async Task A_hand_off_passes_argv_and_stdin_byte_for_byte_and_no_store_descriptor()
    {
        // A stand-in regcred records what it is started with: its arguments (one per line), its stdin, and the files it
        // has open (the store must have been closed: nothing of it leaks into regcred).
        using var recording = _install.WithRegcredScript(
            "out=\"$REGCRED_RECORD\"\n"
            + "for a in \"$@\"; do printf '%s\\n' \"$a\"; done > \"$out.args\"\n"
            + "cat > \"$out.stdin\"\n"
            + "ls -l /proc/$$/fd > \"$out.fds\" 2>&1\n"
            + "echo handed-off\n"
            + "exit 42\n");
        var record = Path.Combine(_sandbox.Root, "record");
        var environment = new Dictionary<string, string?> { ["REGCRED_RECORD"] = record };
        await AddAsync("reg.example.com", "ci", "ci-secret");
        var ecr = $"{AwsTestKeys.NewAccountId()}.dkr.ecr.us-east-1.amazonaws.com";
        var keys = AwsTestKeys.NewLongTerm();
        var add = await _sandbox.RunWithPasswordAsync(
            keys.SecretAccessKey, "registry", "add", ecr, "--username", keys.AccessKeyId, "--type", "awsecr", "--validate=false");
        Assert.That(add.ExitCode, Is.Zero, add.ToString());
        var helper = Path.Combine(recording.Directory, "docker-credential-regcred");
        var lookup = Path.Combine(recording.Directory, "regcred-lookup");

        // 1. Input read, then handed off (an awsecr entry): what was read is replayed, CRLF and all.
        var input = Encoding.UTF8.GetBytes("  " + ecr + "\r\n");
        var get = await _sandbox.RunExecutableAsync(helper, ["get"], input, environment);
        AssertHandedOff(get, record, ["get"], input);
        Assert.That(File.ReadAllText(record + ".fds"), Does.Not.Contain("registries.db"));

        // 2. A service-account token (workload identity needs the full composition), a request larger than a pipe holds.
        var request = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["apiVersion"] = "credentialprovider.kubelet.k8s.io/v1",
            ["kind"] = "CredentialProviderRequest",
            ["image"] = "reg.example.com/team/app:1",
            ["serviceAccountToken"] = Base64Url("{\"alg\":\"RS256\"}") + "."
                + Base64Url($"{{\"sub\":\"system:serviceaccount:team:puller\",\"padding\":\"{new string('x', 200_000)}\"}}") + ".signature",
        }));
        var kubelet = await _sandbox.RunExecutableAsync(
            lookup, ["--account=default", "kubelet-credential-provider", "--cache-duration", "2m"], request, environment);
        AssertHandedOff(kubelet, record, ["--account=default", "kubelet-credential-provider", "--cache-duration", "2m"], request);

        // 3. A command it does not serve, untouched stdin (bytes that are not UTF-8 included) and unusual arguments.
        byte[] raw = [0xff, 0xfe, 0x00, 0x41, 0x0a];
        string[] odd = ["registry", "add", "", "with space", "ünïcode", "--", "-x"];
        var other = await _sandbox.RunExecutableAsync(lookup, odd, raw, environment);
        AssertHandedOff(other, record, odd, raw);

        // 4. A PostgreSQL store: no PostgreSQL in the small executable.
        var postgres = await _sandbox.RunExecutableAsync(
            helper, ["get"], ProcessRunner.Utf8("reg.example.com\n"),
            new Dictionary<string, string?>(environment) { ["REGCRED_STORE"] = "Host=127.0.0.1;Port=1;Database=none" });
        AssertHandedOff(postgres, record, ["get"], ProcessRunner.Utf8("reg.example.com\n"));

        // 5. What it serves itself never starts regcred.
        File.Delete(record + ".args");
        var served = await _sandbox.RunExecutableAsync(helper, ["get"], ProcessRunner.Utf8("reg.example.com\n"), environment);
        Assert.Multiple(() =>
        {
            Assert.That(served.ExitCode, Is.Zero, served.ToString());
            Assert.That(File.Exists(record + ".args"), Is.False);
        });
    }

    [Test]
    public async Task Without_regcred_beside_it_a_hand_off_is_a_clear_error()
    {
        using var alone = _install.WithRegcredScript("exit 0\n");
        File.Delete(Path.Combine(alone.Directory, "regcred"));
        var helper = await _sandbox.RunExecutableAsync(Path.Combine(alone.Directory, "docker-credential-regcred"), ["list"]);
        var command = await _sandbox.RunExecutableAsync(Path.Combine(alone.Directory, "regcred-lookup"), ["registry", "list"]);
        Assert.Multiple(() =>
        {
            Assert.That(helper.ExitCode, Is.EqualTo(1));
            Assert.That(helper.Stdout, Does.Contain("needs the full regcred").And.Contain(Path.Combine(alone.Directory, "regcred")));
            Assert.That(command.ExitCode, Is.EqualTo(2));
            Assert.That(command.Stderr, Does.StartWith("regcred: This command needs the full regcred"));
        });
    }

    [Test]
    public async Task Helper_install_beside_regcred_lookup_writes_a_wrapper_that_runs_it()
    {
        var secret = "wrapped-" + Guid.NewGuid().ToString("N");
        await AddAsync("reg.example.com", "ci", secret);
        var folder = Path.Combine(_sandbox.Root, "wrappers");
        var install = await _sandbox.RunExecutableAsync(_install.Regcred, ["helper", "install", "--dir", folder]);
        var wrapper = Path.Combine(folder, "docker-credential-regcred");
        var get = await _sandbox.RunExecutableAsync(wrapper, ["get"], ProcessRunner.Utf8("reg.example.com\n"));
        var list = await _sandbox.RunExecutableAsync(wrapper, ["list"]);
        Assert.Multiple(() =>
        {
            Assert.That(install.ExitCode, Is.Zero, install.ToString());
            Assert.That(File.ReadAllText(wrapper), Is.EqualTo($"#!/bin/sh\nexec '{_install.Lookup}' 'helper' \"$@\"\n"));
            Assert.That(get.Stdout, Is.EqualTo($"{{\"ServerURL\":\"reg.example.com\",\"Username\":\"ci\",\"Secret\":\"{secret}\"}}\n"));
            Assert.That(list.Stdout, Is.EqualTo("{\"reg.example.com\":\"ci\"}\n"), list.ToString());
        });
    }

    private static void AssertHandedOff(ToolRun run, string record, string[] arguments, byte[] stdin)
    {
        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(42), run.ToString());
            Assert.That(run.Stdout, Is.EqualTo("handed-off\n"), "nothing was written before the hand-off");
            Assert.That(File.ReadAllText(record + ".args"), Is.EqualTo(string.Concat(arguments.Select(a => a + "\n"))));
            Assert.That(File.ReadAllBytes(record + ".stdin"), Is.EqualTo(stdin));
        });
    }

    private static string Base64Url(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private async Task AddAsync(string scope, string username, string password)
    {
        var run = await _sandbox.RunWithPasswordAsync(password, "registry", "add", scope, "--username", username, "--validate=false");
        Assert.That(run.ExitCode, Is.Zero, run.ToString());
    }
}
