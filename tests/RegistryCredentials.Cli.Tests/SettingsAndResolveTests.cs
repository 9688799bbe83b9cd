using RegistryCredentials.Cli.Tests.Support;

namespace RegistryCredentials.Cli.Tests;

/// <summary><c>regcred settings</c> (persisted in a JSON file, applied at start-up) and <c>regcred resolve</c>.</summary>
[TestFixture]
public sealed class SettingsAndResolveTests
{
    private Sandbox _sandbox = null!;

    [SetUp]
    public void SetUp() => _sandbox = new Sandbox();

    [TearDown]
    public void TearDown() => _sandbox.Dispose();

    private string SettingsFile => Path.Combine(_sandbox.Home, ".config", "regcred", "settings.json");

    [Test]
    public async Task Settings_are_kept_in_the_config_folder_and_printed_as_table_json_or_one_value()
    {
        var empty = await _sandbox.RunOkAsync("settings", "get");
        await _sandbox.RunOkAsync("settings", "set", "default-registry", "reg.example.com");
        await _sandbox.RunOkAsync("settings", "set", "allowed-registries", "reg.example.com, *.azurecr.io ,quay.io/partner");
        var table = await _sandbox.RunOkAsync("settings", "get");
        var json = Json.Parse((await _sandbox.RunOkAsync("settings", "get", "-o", "json")).Stdout);
        var one = await _sandbox.RunOkAsync("settings", "get", "default-registry");
        var file = Json.Parse(await File.ReadAllTextAsync(SettingsFile));
        await _sandbox.RunOkAsync("settings", "set", "default-registry", "");
        var cleared = await _sandbox.RunOkAsync("settings", "get", "default-registry");

        Assert.Multiple(() =>
        {
            Assert.That(empty.Stdout, Does.Contain("default-registry").And.Contain("allowed-registries"));
            Assert.That(table.Stdout, Does.Contain("reg.example.com,*.azurecr.io,quay.io/partner"));
            Assert.That(json.Text("default-registry"), Is.EqualTo("reg.example.com"));
            Assert.That(
                json.GetProperty("allowed-registries").EnumerateArray().Select(e => e.GetString()),
                Is.EqualTo(new[] { "reg.example.com", "*.azurecr.io", "quay.io/partner" }));
            Assert.That(one.Stdout, Is.EqualTo("reg.example.com\n"));
            Assert.That(file.Text("defaultRegistry"), Is.EqualTo("reg.example.com"));
            Assert.That(cleared.Stdout, Is.EqualTo("\n"));
            Assert.That(Directory.Exists(Path.Combine(_sandbox.Home, ".local", "share", "regcred")), Is.False, "settings never open the store");
        });
    }

    [Test]
    public async Task Invalid_settings_are_refused_with_exit_1_and_the_file_is_left_alone()
    {
        await _sandbox.RunOkAsync("settings", "set", "default-registry", "reg.example.com");
        var before = await File.ReadAllTextAsync(SettingsFile);
        var scheme = await _sandbox.RunAsync("settings", "set", "default-registry", "https://reg.example.com");
        var glob = await _sandbox.RunAsync("settings", "set", "allowed-registries", "quay.io,bad host");
        var unknown = await _sandbox.RunAsync("settings", "set", "colour", "blue");

        Assert.Multiple(() =>
        {
            RegistryCommandTests.AssertError(scheme, 1, "drop the scheme");
            RegistryCommandTests.AssertError(glob, 1, "bad host");
            Assert.That(unknown.ExitCode, Is.EqualTo(1), unknown.ToString());
            Assert.That(File.ReadAllText(SettingsFile), Is.EqualTo(before));
        });
    }

    [Test]
    public async Task The_default_registry_replaces_Docker_Hub_for_references_naming_no_registry()
    {
        await _sandbox.RunWithPasswordAsync("default-pw-1", "registry", "add", "reg.example.com", "--username", "mirror", "--validate=false");
        await _sandbox.RunOkAsync("settings", "set", "default-registry", "reg.example.com");

        var resolved = await _sandbox.RunOkAsync("resolve", "ubuntu:22.04");
        var json = Json.Parse((await _sandbox.RunOkAsync("resolve", "ubuntu:22.04", "-o", "json")).Stdout);

        Assert.Multiple(() =>
        {
            Assert.That(
                resolved.Stdout,
                Does.Contain(
                    "REGISTRY    reg.example.com\n").And.Contain(
                        "REPOSITORY  ubuntu\n").And.Contain("RESULT      credential\n").And.Contain("USER        mirror\n"));
            Assert.That(json.Text("registry"), Is.EqualTo("reg.example.com"));
            Assert.That(json.Text("entry"), Is.EqualTo("reg.example.com"));
            Assert.That(json.Text("credential"), Is.EqualTo("username-password"));
            Assert.That(json.Text("registry_user"), Is.EqualTo("mirror"));
        });
        _sandbox.AssertNeverPrinted("default-pw-1");
    }

    [Test]
    public async Task The_allow_list_denies_other_registries_with_exit_5()
    {
        await _sandbox.RunOkAsync("settings", "set", "allowed-registries", "quay.io");

        // resolve reads a store and no longer creates one (issue 12): make it with an unrelated entry.
        var add = await _sandbox.RunWithPasswordAsync("pw-Other-4d2e", "registry", "add", "other.example.com", "--username", "ci", "--validate=false");
        Assert.That(add.ExitCode, Is.Zero, add.ToString());
        var hub = await _sandbox.RunAsync("resolve", "nginx");
        var hubAuth = await _sandbox.RunAsync("resolve", "nginx", "-o", "docker-auth");
        var quay = await _sandbox.RunAsync("resolve", "quay.io/ns/app:1", "-o", "json");
        var anonymousAuth = await _sandbox.RunAsync("resolve", "quay.io/ns/app:1", "-o", "docker-auth");

        Assert.Multiple(() =>
        {
            RegistryCommandTests.AssertError(hub, 5, "not on the allow-list");
            Assert.That(hub.Stdout, Does.Contain("RESULT      denied\n").And.Contain("REASON      RegistryNotAllowed\n"));
            RegistryCommandTests.AssertError(hubAuth, 5, "not on the allow-list");
            Assert.That(hubAuth.Stdout, Is.Empty);
            Assert.That(quay.ExitCode, Is.Zero, quay.ToString());
            Assert.That(Json.Parse(quay.Stdout).Text("result"), Is.EqualTo("anonymous"));
            Assert.That(anonymousAuth.Stdout, Is.EqualTo("e30=\n"), "base64url of {} is Docker's empty credential");
        });
    }

    [Test]
    public async Task A_malformed_image_is_a_usage_error_and_the_settings_file_can_be_moved()
    {
        var bad = await _sandbox.RunAsync("resolve", "quay.io/NS/app:bad tag");
        var elsewhere = Path.Combine(_sandbox.Root, "elsewhere.json");
        var set = await _sandbox.RunAsync(
            ["settings", "set", "default-registry", "moved.example.com"],
            null,
            new Dictionary<string, string?> { ["REGCRED_SETTINGS"] = elsewhere });

        Assert.Multiple(() =>
        {
            RegistryCommandTests.AssertError(bad, 1, "regcred: ");
            Assert.That(set.ExitCode, Is.Zero, set.ToString());
            Assert.That(File.ReadAllText(elsewhere), Does.Contain("moved.example.com"));
            Assert.That(File.Exists(SettingsFile), Is.False);
        });
    }
}
