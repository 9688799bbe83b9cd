using RegistryCredentials.Cli.Tests.Support;

namespace RegistryCredentials.Cli.Tests;

/// <summary>
/// <c>regcred settings</c> (the account's policy in the store, issue 14 section 5; an old settings.json is moved in once) and
/// <c>regcred resolve</c>.
/// </summary>
[TestFixture]
public sealed class SettingsAndResolveTests
{
    private Sandbox _sandbox = null!;

    [SetUp]
    public void SetUp() => _sandbox = new Sandbox();

    [TearDown]
    public void TearDown() => _sandbox.Dispose();

    private string SettingsFile => Path.Combine(_sandbox.Home, ".config", "regcred", "settings.json");

    /// <summary>The policies stored in the sandbox's store, read through the library (what the API and the page read).</summary>
    private async Task<string> StoredPoliciesAsync()
    {
        await using var store = new Sqlite.SqliteRegistryStore(new Sqlite.SqliteRegistryStoreOptions { Path = _sandbox.Store });
        var all = await store.ListPoliciesAsync();
        return string.Join('\n', all.Select(p => $"{p.Account}|{p.Version}|{p.DefaultRegistry}|{string.Join(',', p.AllowedRegistries)}"));
    }

    [Test]
    public async Task Settings_are_the_accounts_policy_in_the_store_printed_as_table_json_or_one_value()
    {
        var empty = await _sandbox.RunOkAsync("settings", "get");
        var storeCreatedByGet = File.Exists(_sandbox.Store);
        await _sandbox.RunOkAsync("settings", "set", "default-registry", "reg.example.com");
        await _sandbox.RunOkAsync("settings", "set", "allowed-registries", "reg.example.com, *.azurecr.io ,quay.io/partner");
        var table = await _sandbox.RunOkAsync("settings", "get");
        var json = Json.Parse((await _sandbox.RunOkAsync("settings", "get", "-o", "json")).Stdout);
        var one = await _sandbox.RunOkAsync("settings", "get", "default-registry");
        var stored = await StoredPoliciesAsync();
        await _sandbox.RunOkAsync("settings", "set", "default-registry", "");
        var cleared = await _sandbox.RunOkAsync("settings", "get", "default-registry");
        var list = await _sandbox.RunOkAsync("settings", "get", "allowed-registries");

        Assert.Multiple(() =>
        {
            Assert.That(empty.Stdout, Does.Contain("default-registry").And.Contain("allowed-registries"));
            Assert.That(storeCreatedByGet, Is.False, "reading the settings creates no store");
            Assert.That(table.Stdout, Does.Contain("reg.example.com,*.azurecr.io,quay.io/partner"));
            Assert.That(json.Text("default-registry"), Is.EqualTo("reg.example.com"));
            Assert.That(
                json.GetProperty("allowed-registries").EnumerateArray().Select(e => e.GetString()),
                Is.EqualTo(new[] { "reg.example.com", "*.azurecr.io", "quay.io/partner" }));
            Assert.That(one.Stdout, Is.EqualTo("reg.example.com\n"));
            Assert.That(stored, Is.EqualTo("default|2|reg.example.com|reg.example.com,*.azurecr.io,quay.io/partner"), "the account's policy in the store");
            Assert.That(cleared.Stdout, Is.EqualTo("\n"));
            Assert.That(list.Stdout, Is.EqualTo("reg.example.com,*.azurecr.io,quay.io/partner\n"), "setting one key keeps the other");
            Assert.That(File.Exists(SettingsFile), Is.False, "no settings file is written any more");
        });
    }

    [Test]
    public async Task Invalid_settings_are_refused_with_exit_1_and_nothing_stored_changes()
    {
        await _sandbox.RunOkAsync("settings", "set", "default-registry", "reg.example.com");
        await _sandbox.RunOkAsync("settings", "set", "allowed-registries", "quay.io");
        var before = await StoredPoliciesAsync();
        var scheme = await _sandbox.RunAsync("settings", "set", "default-registry", "https://reg.example.com");
        var glob = await _sandbox.RunAsync("settings", "set", "allowed-registries", "quay.io,bad host");
        var path = await _sandbox.RunAsync("settings", "set", "default-registry", "reg.example.com/team");
        var unknown = await _sandbox.RunAsync("settings", "set", "colour", "blue");

        Assert.Multiple(async () =>
        {
            RegistryCommandTests.AssertError(scheme, 1, "drop the scheme");
            RegistryCommandTests.AssertError(glob, 1, "bad host");
            RegistryCommandTests.AssertError(path, 1, "without '*' or a path");
            Assert.That(unknown.ExitCode, Is.EqualTo(1), unknown.ToString());
            Assert.That(await StoredPoliciesAsync(), Is.EqualTo(before), "nothing stored changed");
        });
    }

    [Test]
    public async Task An_old_settings_file_is_moved_into_the_store_on_first_use_said_on_stderr_and_never_read_again()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(SettingsFile)!);
        await File.WriteAllTextAsync(SettingsFile, """{"defaultRegistry": "old.example.com", "allowedRegistries": ["old.example.com", "quay.io"]}""");

        var first = await _sandbox.RunOkAsync("settings", "get", "-o", "json");
        var stored = await StoredPoliciesAsync();
        await File.WriteAllTextAsync(SettingsFile + ".migrated", """{"defaultRegistry": "edited.example.com"}""");
        var second = await _sandbox.RunOkAsync("settings", "get", "default-registry");
        var denied = await _sandbox.RunAsync("resolve", "docker.io/library/nginx");

        Assert.Multiple(() =>
        {
            Assert.That(first.Stderr, Does.Contain("moved the settings of " + SettingsFile).And.Contain("global policy").And.Contain(".migrated"));
            Assert.That(Json.Parse(first.Stdout).Text("default-registry"), Is.EqualTo("old.example.com"));
            Assert.That(stored, Is.EqualTo("*|1|old.example.com|old.example.com,quay.io"), "the file's values became the global policy");
            Assert.That(File.Exists(SettingsFile), Is.False, "renamed");
            Assert.That(second.Stderr, Does.Not.Contain("moved"), "said once");
            Assert.That(second.Stdout, Is.EqualTo("old.example.com\n"), "the renamed file is never read again");
            RegistryCommandTests.AssertError(denied, 5, "not on the allow-list");
        });
    }

    [Test]
    public async Task An_old_settings_file_never_overwrites_a_policy_the_store_has()
    {
        await _sandbox.RunOkAsync("settings", "set", "default-registry", "reg.example.com");
        await using (var store = new Sqlite.SqliteRegistryStore(new Sqlite.SqliteRegistryStoreOptions { Path = _sandbox.Store }))
        {
            // A global policy written by another front end (the API's ?account=*): through the library, as the API does.
            await store.TrySetPolicyAsync(new RegistryPolicy { Account = RegistryPolicy.GlobalAccount, AllowedRegistries = ["quay.io"] }, 0);
        }

        var before = await StoredPoliciesAsync();
        Directory.CreateDirectory(Path.GetDirectoryName(SettingsFile)!);
        await File.WriteAllTextAsync(SettingsFile, """{"defaultRegistry": "old.example.com"}""");

        var run = await _sandbox.RunOkAsync("settings", "get", "default-registry");

        Assert.Multiple(async () =>
        {
            Assert.That(run.Stderr, Does.Contain("already has a global policy").And.Contain(".migrated"));
            Assert.That(run.Stdout, Is.EqualTo("reg.example.com\n"));
            Assert.That(await StoredPoliciesAsync(), Is.EqualTo(before));
            Assert.That(File.Exists(SettingsFile), Is.False);
        });
    }

    [Test]
    public async Task A_settings_file_with_a_value_the_store_refuses_is_an_error_and_is_left_in_place()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(SettingsFile)!);
        await File.WriteAllTextAsync(SettingsFile, """{"defaultRegistry": "https://reg.example.com"}""");

        var run = await _sandbox.RunAsync("settings", "get");

        Assert.Multiple(async () =>
        {
            Assert.That(run.ExitCode, Is.Not.Zero, run.ToString());
            Assert.That(run.Stderr, Does.Contain(SettingsFile).And.Contain("nothing was moved"));
            Assert.That(File.Exists(SettingsFile), Is.True);
            Assert.That(await StoredPoliciesAsync(), Is.Empty);
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
    public async Task A_malformed_image_is_a_usage_error_and_an_old_settings_file_can_be_found_elsewhere()
    {
        var bad = await _sandbox.RunAsync("resolve", "quay.io/NS/app:bad tag");
        var elsewhere = Path.Combine(_sandbox.Root, "elsewhere.json");
        await File.WriteAllTextAsync(elsewhere, """{"defaultRegistry": "moved.example.com"}""");
        var get = await _sandbox.RunAsync(["settings", "get", "default-registry"], null, new Dictionary<string, string?> { ["REGCRED_SETTINGS"] = elsewhere });

        Assert.Multiple(() =>
        {
            RegistryCommandTests.AssertError(bad, 1, "regcred: ");
            Assert.That(get.ExitCode, Is.Zero, get.ToString());
            Assert.That(get.Stdout, Is.EqualTo("moved.example.com\n"));
            Assert.That(File.Exists(elsewhere + ".migrated"), Is.True);
        });
    }
}
