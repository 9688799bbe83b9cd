using RegistryCredentials.Cli.Tests.Support;

namespace RegistryCredentials.Cli.Tests;

/// <summary>
/// Only <c>registry add</c>, <c>import</c> and the helper's <c>store</c> (Docker's login) create a store and its key,
/// and they say so on stderr; every other command on a store or key file that does not exist fails clearly, with a
/// non-zero exit, and creates nothing.
/// </summary>
[TestFixture]
public sealed class StoreAndKeyFileTests
{
    private const string KubeletRequest =
        "{\"apiVersion\":\"credentialprovider.kubelet.k8s.io/v1\",\"kind\":\"CredentialProviderRequest\",\"image\":\"registry.example.com/app:1\"}";

    private Sandbox _sandbox = null!;

    [SetUp]
    public void SetUp() => _sandbox = new Sandbox();

    [TearDown]
    public void TearDown() => _sandbox.Dispose();

    [Test]
    public async Task Read_commands_on_a_store_that_does_not_exist_fail_clearly_and_create_nothing()
    {
        var before = _sandbox.Files();

        var list = await _sandbox.RunAsync("registry", "list");
        var get = await _sandbox.RunAsync("registry", "get", "registry.example.com");
        var resolve = await _sandbox.RunAsync("resolve", "registry.example.com/app:1");
        var export = await _sandbox.RunAsync("export", "dockerconfigjson", "--all");
        var delete = await _sandbox.RunAsync("registry", "delete", "registry.example.com");
        var kubelet = await _sandbox.RunAsync(["kubelet-credential-provider"], KubeletRequest);
        var helperGet = await _sandbox.RunAsync(["helper", "get"], "registry.example.com\n");
        var helperList = await _sandbox.RunAsync(["helper", "list"], "unused\n");
        var helperErase = await _sandbox.RunAsync(["helper", "erase"], "registry.example.com\n");

        Assert.Multiple(() =>
        {
            foreach (var run in new[] { list, get, resolve, export, delete, kubelet })
            {
                Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
                Assert.That(run.Stderr, Does.StartWith("regcred: There is no store at " + _sandbox.Store).And.Contain("registry add"), run.ToString());
                Assert.That(run.Stdout, Is.Empty, run.ToString());
            }

            // The helper protocol: the error on stdout and exit 1 (docker-credential-helpers' Serve); not "credentials not
            // found in native keychain", which would make Docker pull anonymously as if all were well.
            foreach (var run in new[] { helperGet, helperList, helperErase })
            {
                Assert.That(run.ExitCode, Is.EqualTo(1), run.ToString());
                Assert.That(run.Stdout, Does.StartWith("There is no store at " + _sandbox.Store), run.ToString());
                Assert.That(run.Stdout, Does.Not.Contain("credentials not found"));
            }

            Assert.That(_sandbox.Files(), Is.EqualTo(before), "nothing was created: no store, no key, no folder");
        });
    }

    [Test]
    public async Task Read_commands_without_the_key_file_of_an_existing_store_fail_clearly_and_create_no_key()
    {
        const string password = "pw-KeyGone-3e9a7c";
        await AddAsync("registry.example.com", password);
        var listed = (await _sandbox.RunOkAsync("registry", "list", "-o", "json")).Stdout;
        var moved = _sandbox.KeyFile + ".moved";
        File.Move(_sandbox.KeyFile, moved);

        var list = await _sandbox.RunAsync("registry", "list");
        var resolve = await _sandbox.RunAsync("resolve", "registry.example.com/app:1", "-o", "docker-auth");
        var kubelet = await _sandbox.RunAsync(["kubelet-credential-provider"], KubeletRequest);
        var helperGet = await _sandbox.RunAsync(["helper", "get"], "registry.example.com\n");
        var update = await _sandbox.RunAsync("registry", "update", "registry.example.com", "--name", "renamed", "--validate=false");

        Assert.Multiple(() =>
        {
            foreach (var run in new[] { list, resolve, kubelet, update })
            {
                Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
                Assert.That(run.Stderr, Does.Contain("The key file " + _sandbox.KeyFile + " does not exist"), run.ToString());
                Assert.That(run.Stdout, Is.Empty);
            }

            Assert.That(helperGet.ExitCode, Is.EqualTo(1), helperGet.ToString());
            Assert.That(helperGet.Stdout, Does.StartWith("The key file " + _sandbox.KeyFile + " does not exist"));
            Assert.That(File.Exists(_sandbox.KeyFile), Is.False, "no new key was made");
        });

        File.Move(moved, _sandbox.KeyFile);
        Assert.That((await _sandbox.RunOkAsync("registry", "list", "-o", "json")).Stdout, Is.EqualTo(listed), "the store is as it was");
        _sandbox.AssertNeverPrinted(password);
    }

    [Test]
    public async Task Registry_add_creates_the_store_and_the_key_and_says_so_on_stderr_once()
    {
        var first = await _sandbox.RunWithPasswordAsync("pw-First-5c1d", "registry", "add", "registry.example.com", "--username", "ci", "--validate=false");
        var second = await _sandbox.RunWithPasswordAsync("pw-Second-8e2f", "registry", "add", "quay.io/acme", "--username", "ci", "--validate=false");

        Assert.Multiple(() =>
        {
            Assert.That(first.ExitCode, Is.Zero, first.ToString());
            Assert.That(first.Stderr, Is.EqualTo($"regcred: created new store {_sandbox.Store} and key {_sandbox.KeyFile}\n"));
            Assert.That(second.ExitCode, Is.Zero, second.ToString());
            Assert.That(second.Stderr, Is.Empty);
            Assert.That(File.Exists(_sandbox.Store), Is.True);
            Assert.That(File.Exists(_sandbox.KeyFile), Is.True);
        });
    }

    [Test]
    public async Task A_refused_add_creates_nothing_when_its_input_is_refused_before_the_store_is_needed()
    {
        var before = _sandbox.Files();

        var noPassword = await _sandbox.RunAsync("registry", "add", "registry.example.com", "--username", "ci", "--validate=false");
        var badScope = await _sandbox.RunWithPasswordAsync("pw-x", "registry", "add", "https://registry.example.com", "--username", "ci", "--validate=false");

        Assert.That(noPassword.ExitCode, Is.EqualTo(1), noPassword.ToString());
        Assert.That(badScope.ExitCode, Is.Not.Zero, badScope.ToString());
        Assert.That(_sandbox.Files(), Is.EqualTo(before));
    }

    [Test]
    public async Task Add_to_an_existing_store_whose_key_file_is_missing_is_refused_and_makes_no_key()
    {
        await AddAsync("registry.example.com", "pw-Old-1a2b");
        File.Delete(_sandbox.KeyFile);

        var add = await _sandbox.RunWithPasswordAsync("pw-New-3c4d", "registry", "add", "quay.io/acme", "--username", "ci", "--validate=false");

        Assert.Multiple(() =>
        {
            Assert.That(add.ExitCode, Is.EqualTo(2), add.ToString());
            Assert.That(add.Stderr, Does.Contain("The key file " + _sandbox.KeyFile + " does not exist").And.Contain("move the store away"));
            Assert.That(File.Exists(_sandbox.KeyFile), Is.False);
        });
    }

    [Test]
    public async Task Import_creates_the_store_and_key_only_when_it_adds_a_credential()
    {
        var config = Path.Combine(_sandbox.Root, "config.json");
        await File.WriteAllTextAsync(config, "{\"auths\":{}}");
        var before = _sandbox.Files();

        var nothing = await _sandbox.RunAsync("import", "docker-config", config, "--validate=false");
        var filesAfterNothing = _sandbox.Files();
        await File.WriteAllTextAsync(config, "{\"auths\":{\"registry.example.com\":{\"auth\":\"" + Json.Base64("ci:pw-Import-7f3e") + "\"}}}");
        var one = await _sandbox.RunAsync("import", "docker-config", config, "--validate=false");

        Assert.Multiple(async () =>
        {
            Assert.That(nothing.ExitCode, Is.Zero, nothing.ToString());
            Assert.That(filesAfterNothing, Is.EqualTo(before), "an import that adds nothing creates nothing");
            Assert.That(one.ExitCode, Is.Zero, one.ToString());
            Assert.That(one.Stderr, Does.Contain($"regcred: created new store {_sandbox.Store} and key {_sandbox.KeyFile}"));
            Assert.That(
                Json.Parse((await _sandbox.RunOkAsync("registry", "get", "registry.example.com", "-o", "json")).Stdout).Text("registry_user"),
                Is.EqualTo("ci"));
        });
    }

    [Test]
    public async Task The_helpers_store_is_dockers_login_and_creates_the_store_answering_nothing_on_stdout()
    {
        var store = await _sandbox.RunAsync(["helper", "store"], "{\"ServerURL\":\"registry.example.com\",\"Username\":\"ci\",\"Secret\":\"pw-Login-2d8b\"}\n");
        var get = await _sandbox.RunAsync(["helper", "get"], "registry.example.com\n");

        Assert.Multiple(() =>
        {
            Assert.That(store.ExitCode, Is.Zero, store.ToString());
            Assert.That(store.StdoutBytes, Is.Empty);
            Assert.That(store.Stderr, Does.Contain("created new store " + _sandbox.Store));
            Assert.That(get.Stdout, Does.Contain("\"Secret\":\"pw-Login-2d8b\""), get.ToString());
        });
    }

    [Test]
    public async Task With_the_key_in_REGCRED_SECRET_KEY_no_key_file_is_made_or_needed()
    {
        _sandbox.Environment["REGCRED_SECRET_KEY"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

        var add = await _sandbox.RunWithPasswordAsync("pw-EnvKey-6b1c", "registry", "add", "registry.example.com", "--username", "ci", "--validate=false");
        var list = await _sandbox.RunAsync("registry", "list");

        Assert.Multiple(() =>
        {
            Assert.That(add.ExitCode, Is.Zero, add.ToString());
            Assert.That(add.Stderr, Does.Contain("created new store " + _sandbox.Store).And.Contain("REGCRED_SECRET_KEY"));
            Assert.That(list.ExitCode, Is.Zero, list.ToString());
            Assert.That(File.Exists(_sandbox.KeyFile), Is.False);
        });
    }

    private async Task AddAsync(string scope, string password)
    {
        var run = await _sandbox.RunWithPasswordAsync(password, "registry", "add", scope, "--username", "ci", "--validate=false");
        Assert.That(run.ExitCode, Is.Zero, run.ToString());
    }
}
