using System.Security.Cryptography;
using System.Text.Json;
using RegistryCredentials.Cli.Tests.Support;

namespace RegistryCredentials.Cli.Tests;

/// <summary>
/// The lean start of <c>helper get</c> and <c>kubelet-credential-provider</c> (read by hand, the store, the key and the
/// <c>docker_v2</c> provider only) gives byte for byte the answer of the full command line, and hands entries that need a
/// cloud provider to the full composition. A global option written after the verb is left to System.CommandLine, so each
/// pair below runs once on each path.
/// </summary>
[TestFixture]
public sealed class LookupPathTests
{
    private Sandbox _sandbox = null!;

    [SetUp]
    public void SetUp() => _sandbox = new Sandbox();

    [TearDown]
    public void TearDown() => _sandbox.Dispose();

    [Test]
    public async Task Helper_get_answers_the_same_on_the_lean_and_the_full_command_line()
    {
        await AddAsync("reg.example.com", "ci", "lean-secret-" + Guid.NewGuid().ToString("N"));
        await AddAsync("quay.io", "q", "q-secret");
        Assert.That((await _sandbox.RunAsync("registry", "deactivate", "quay.io")).ExitCode, Is.Zero);

        foreach (var input in new[] { "reg.example.com\n", "ghcr.io\n", "quay.io\n", "\n", "not a url\n" })
        {
            var lean = await _sandbox.RunAsync(["--store", _sandbox.Store, "helper", "get"], input);
            var leanEquals = await _sandbox.RunAsync(["--store=" + _sandbox.Store, "--account", "default", "helper", "get"], input);
            var full = await _sandbox.RunAsync(["helper", "--store", _sandbox.Store, "get"], input);
            Assert.Multiple(() =>
            {
                Assert.That(lean.Stdout, Is.EqualTo(full.Stdout), input);
                Assert.That(lean.Stderr, Is.EqualTo(full.Stderr), input);
                Assert.That(lean.ExitCode, Is.EqualTo(full.ExitCode), input);
                Assert.That(leanEquals.Stdout, Is.EqualTo(full.Stdout), input);
                Assert.That(leanEquals.ExitCode, Is.EqualTo(full.ExitCode), input);
            });
        }
    }

    [Test]
    public async Task The_kubelet_plugin_answers_the_same_on_the_lean_and_the_full_command_line()
    {
        await AddAsync("reg.example.com", "kube", "kube-secret");
        await AddAsync("reg.example.com/team/app", "team", "team-secret");

        foreach (var image in new[] { "reg.example.com/other:1", "reg.example.com/team/app:2", "ghcr.io/x/y", "nginx" })
        {
            var request = $"{{\"apiVersion\":\"credentialprovider.kubelet.k8s.io/v1\",\"kind\":\"CredentialProviderRequest\",\"image\":\"{image}\"}}";
            var lean = await _sandbox.RunAsync(["kubelet-credential-provider", "--cache-duration", "7m"], request);
            var full = await _sandbox.RunAsync(["kubelet-credential-provider", "--cache-duration", "7m", "--account", "default"], request);
            Assert.Multiple(() =>
            {
                Assert.That(lean.ExitCode, Is.Zero, lean.ToString());
                Assert.That(lean.Stdout, Is.EqualTo(full.Stdout), image);
                Assert.That(lean.Stderr, Is.EqualTo(full.Stderr), image);
            });
        }

        var badDuration = await _sandbox.RunAsync(["kubelet-credential-provider", "--cache-duration=soon"], "{}");
        var badDurationFull = await _sandbox.RunAsync(["kubelet-credential-provider", "--cache-duration=soon", "--account", "default"], "{}");
        Assert.Multiple(() =>
        {
            Assert.That(badDuration.ExitCode, Is.EqualTo(1));
            Assert.That(badDuration.Stderr, Is.EqualTo(badDurationFull.Stderr));
            Assert.That(badDuration.Stderr, Does.Contain("--cache-duration 'soon'"));
        });
    }

    [Test]
    public async Task An_entry_that_needs_a_cloud_provider_is_answered_by_the_full_composition()
    {
        // A gcr entry with a service-account key, passed through as _json_key (GoogleOptions.ExchangeForAccessToken is off
        // by default): no network. The lean host has no gcr provider, so it must hand the lookup to the full one.
        using var rsa = RSA.Create(2048);
        var key = JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["type"] = "service_account",
            ["project_id"] = "lean-test",
            ["private_key_id"] = Guid.NewGuid().ToString("N"),
            ["private_key"] = rsa.ExportPkcs8PrivateKeyPem(),
            ["client_email"] = "puller@lean-test.iam.gserviceaccount.com",
        });
        var add = await _sandbox.RunWithPasswordAsync(
            key, "registry", "add", "us-docker.pkg.dev", "--username", "_json_key", "--type", "gcr", "--validate=false");
        Assert.That(add.ExitCode, Is.Zero, add.ToString());

        var get = await _sandbox.RunAsync(["helper", "get"], "us-docker.pkg.dev\n");
        var request = "{\"apiVersion\":\"credentialprovider.kubelet.k8s.io/v1\",\"kind\":\"CredentialProviderRequest\","
            + "\"image\":\"us-docker.pkg.dev/p/r/app:1\"}";
        var kubelet = await _sandbox.RunAsync(["kubelet-credential-provider"], request);

        Assert.Multiple(() =>
        {
            Assert.That(get.ExitCode, Is.Zero, get.ToString());
            using var answer = JsonDocument.Parse(get.Stdout);
            Assert.That(answer.RootElement.GetProperty("Username").GetString(), Is.EqualTo("_json_key"));
            Assert.That(answer.RootElement.GetProperty("Secret").GetString(), Is.EqualTo(key));
            Assert.That(kubelet.ExitCode, Is.Zero, kubelet.ToString());
            using var response = JsonDocument.Parse(kubelet.Stdout);
            var auth = response.RootElement.GetProperty("auth").GetProperty("us-docker.pkg.dev");
            Assert.That(auth.GetProperty("username").GetString(), Is.EqualTo("_json_key"));
            Assert.That(auth.GetProperty("password").GetString(), Is.EqualTo(key));
        });
    }

    [Test]
    public async Task A_registry_off_the_allow_list_is_refused_the_same_on_both_paths()
    {
        await AddAsync("reg.example.com", "ci", "ci-secret");
        Assert.That((await _sandbox.RunAsync("settings", "set", "allowed-registries", "quay.io")).ExitCode, Is.Zero);

        var lean = await _sandbox.RunAsync(["helper", "get"], "reg.example.com\n");
        var full = await _sandbox.RunAsync(["helper", "--account", "default", "get"], "reg.example.com\n");

        Assert.Multiple(() =>
        {
            Assert.That(lean.ExitCode, Is.EqualTo(1));
            Assert.That(lean.Stdout, Is.EqualTo(full.Stdout));
            Assert.That(lean.Stdout, Does.Not.Contain("ci-secret"));
        });
    }

    private async Task AddAsync(string scope, string username, string password)
    {
        var run = await _sandbox.RunWithPasswordAsync(password, "registry", "add", scope, "--username", username, "--validate=false");
        Assert.That(run.ExitCode, Is.Zero, run.ToString());
    }
}
