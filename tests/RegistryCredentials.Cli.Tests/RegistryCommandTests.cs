using System.Text.Json;
using RegistryCredentials.Cli.Tests.Support;

namespace RegistryCredentials.Cli.Tests;

/// <summary><c>regcred registry …</c> run as a process: tables, JSON, exit codes, and passwords never shown.</summary>
[TestFixture]
public sealed class RegistryCommandTests
{
    private Sandbox _sandbox = null!;

    [SetUp]
    public void SetUp() => _sandbox = new Sandbox();

    [TearDown]
    public void TearDown() => _sandbox.Dispose();

    [Test]
    public async Task Add_list_and_get_print_the_anchorectl_table_and_never_the_password()
    {
        const string password = "pw-Table-7c1f9e";
        var add = await _sandbox.RunWithPasswordAsync(password, "registry", "add", "registry.example.com:5000/team/*", "--username", "ci", "--name",
            "Team registry", "--validate=false");
        var list = await _sandbox.RunOkAsync("registry", "list");
        var get = await _sandbox.RunOkAsync("registry", "get", "registry.example.com:5000/team/*");

        Assert.That(add.ExitCode, Is.Zero, add.ToString());
        foreach (var run in new[] { add, list, get })
        {
            var lines = run.Stdout.Split('\n');
            var header = lines.Single(l => l.Contains("REGISTRY NAME", StringComparison.Ordinal));
            // anchorectl's columns (Anchore's documentation of anchorectl registry list|get), then regcred's ACTIVE.
            var positions = new[] { "REGISTRY NAME", "REGISTRY TYPE", "REGISTRY USER", "REGISTRY VERIFY", "CREATED AT", "LAST UPDATED" }
                .Select(c => header.IndexOf(c, StringComparison.Ordinal))
                .Append(header.LastIndexOf("REGISTRY ", StringComparison.Ordinal))
                .Append(header.IndexOf("ACTIVE", StringComparison.Ordinal))
                .ToArray();
            var row = lines.Single(l => l.Contains("Team registry", StringComparison.Ordinal));
            Assert.Multiple(() =>
            {
                Assert.That(positions, Is.All.GreaterThanOrEqualTo(0), header);
                Assert.That(positions, Is.Ordered.Ascending, header);
                Assert.That(row, Does.Contain("docker_v2").And.Contain(" ci ").And.Contain(" true ").And.Contain("registry.example.com:5000/team"));
                Assert.That(row, Does.Match(@"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"));
                // Only the first add says something off a terminal: that it created the store and its key (issue 12).
                Assert.That(
                    run.Stderr,
                    Is.EqualTo(run == add ? $"regcred: created new store {_sandbox.Store} and key {_sandbox.KeyFile}\n" : string.Empty),
                    "nothing else on stderr when it is not a terminal");
            });
        }

        _sandbox.AssertNeverPrinted(password);
    }

    [Test]
    public async Task List_and_get_with_json_output_use_anchore_field_names_and_hold_no_password()
    {
        const string password = "pw-Json-2b7d41";
        await RunAddAsync(password, "quay.io/partner/*", "--username", "partner", "--email", "ops@example.com", "--secure-connection=false");
        await RunAddAsync(password, "docker.io/acme/*", "--username", "acme-ci", "--type", "docker_v2");
        await _sandbox.RunOkAsync("registry", "deactivate", "quay.io/partner/*");

        var list = Json.Parse((await _sandbox.RunOkAsync("registry", "list", "-o", "json")).Stdout);
        var get = Json.Parse((await _sandbox.RunOkAsync("registry", "get", "quay.io/partner/*", "--output", "json")).Stdout);

        Assert.Multiple(() =>
        {
            Assert.That(list.ValueKind, Is.EqualTo(JsonValueKind.Array));
            Assert.That(list.EnumerateArray().Select(e => e.Text("registry")), Is.EqualTo(new[] { "docker.io/acme/*", "quay.io/partner/*" }));
            Assert.That(get.Text("registry"), Is.EqualTo("quay.io/partner/*"));
            Assert.That(get.Text("registry_user"), Is.EqualTo("partner"));
            Assert.That(get.Text("registry_type"), Is.EqualTo("docker_v2"));
            Assert.That(get.Text("registry_email"), Is.EqualTo("ops@example.com"));
            Assert.That(get.GetProperty("registry_verify").GetBoolean(), Is.False);
            Assert.That(get.GetProperty("active").GetBoolean(), Is.False);
            Assert.That(get.GetProperty("version").GetInt64(), Is.EqualTo(2));
            Assert.That(get.Text("created_at"), Does.Match(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$"));
            Assert.That(list[0].GetProperty("registry_verify").GetBoolean(), Is.True);
            Assert.That(list.ToString() + get, Does.Not.Contain("password").IgnoreCase);
        });
        _sandbox.AssertNeverPrinted(password);
    }

    [Test]
    public async Task Exit_codes_are_2_for_not_found_3_for_conflict_1_for_usage_with_one_line_errors()
    {
        await RunAddAsync("first-pw-1", "registry.example.com", "--username", "ci");
        var missing = await _sandbox.RunAsync("registry", "get", "nowhere.example.com");
        var conflict = await _sandbox.RunWithPasswordAsync("second-pw-2", "registry", "add", "registry.example.com", "--username", "other", "--validate=false");
        var replaced = await _sandbox.RunWithPasswordAsync(
            "third-pw-3",
            "registry",
            "add",
            "registry.example.com",
            "--username",
            "other",
            "--validate=false",
            "--replace");
        var url = await _sandbox.RunWithPasswordAsync("fourth-pw-4", "registry", "add", "https://index.docker.io/v1/", "--username", "hub", "--validate=false");
        var noPassword = await _sandbox.RunAsync("registry", "add", "quay.io", "--username", "q", "--validate=false");
        var argumentPassword = await _sandbox.RunAsync("registry", "add", "quay.io", "--username", "q", "--password", "argv-secret-5", "--validate=false");
        var unknownCommand = await _sandbox.RunAsync("registry", "frobnicate");
        var missingUsername = await _sandbox.RunWithPasswordAsync("sixth-pw-6", "registry", "add", "quay.io");
        var deleteMissing = await _sandbox.RunAsync("registry", "delete", "nowhere.example.com");
        var badType = await _sandbox.RunWithPasswordAsync(
            "seventh-pw-7",
            "registry",
            "add",
            "quay.io",
            "--username",
            "q",
            "--type",
            "no such type!",
            "--validate=false");

        Assert.Multiple(() =>
        {
            AssertError(missing, 2, "does not exist");
            AssertError(conflict, 3, "already exists");
            Assert.That(replaced.ExitCode, Is.Zero, replaced.ToString());
            AssertError(url, 1, "drop the scheme");
            AssertError(noPassword, 1, "REGCRED_REGISTRY_PASSWORD");
            AssertError(argumentPassword, 1, "never taken from arguments");
            AssertError(unknownCommand, 1, "frobnicate");
            AssertError(missingUsername, 1, "--username");
            AssertError(deleteMissing, 2, "does not exist");
            AssertError(badType, 1, "not a registry type");
        });
        foreach (var secret in new[] { "first-pw-1", "second-pw-2", "third-pw-3", "fourth-pw-4", "argv-secret-5", "sixth-pw-6", "seventh-pw-7" })
        {
            _sandbox.AssertNeverPrinted(secret);
        }
    }

    [Test]
    public async Task Password_stdin_takes_a_multi_line_json_key_and_trims_one_trailing_line_break()
    {
        // Shaped like a service-account key; the key material is random per run, not a key.
        var key = "{\n  \"type\": \"service_account\",\n  \"project_id\": \"demo\",\n  \"private_key\": \"-----BEGIN PRIVATE KEY-----\\n"
            + Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24))
            + "\\n-----END PRIVATE KEY-----\\n\",\n  \"client_email\": \"ci@demo.iam.gserviceaccount.com\"\n}";
        var add = await _sandbox.RunAsync(["registry", "add", "registry.example.com/demo/*", "--username", "_json_key", "--password-stdin",
            "--validate=false"], key + "\n");
        var addTwo = await _sandbox.RunAsync(
            ["registry", "add", "other.example.com", "--username", "_json_key", "--password-stdin", "--validate=false"], key + "\n\n");
        var addCrLf = await _sandbox.RunAsync(
            ["registry", "add", "crlf.example.com", "--username", "_json_key", "--password-stdin", "--validate=false"], key + "\r\n");
        var emptyStdin = await _sandbox.RunAsync(["registry", "add", "empty.example.com", "--username", "u", "--password-stdin", "--validate=false"], "\n");
        Assert.Multiple(() =>
        {
            Assert.That(add.ExitCode, Is.Zero, add.ToString());
            Assert.That(addTwo.ExitCode, Is.Zero, addTwo.ToString());
            Assert.That(addCrLf.ExitCode, Is.Zero, addCrLf.ToString());
            AssertError(emptyStdin, 1, "empty password");
        });

        var stored = await _sandbox.RunOkAsync("resolve", "registry.example.com/demo/app:1", "-o", "docker-auth");
        var storedTwo = await _sandbox.RunOkAsync("resolve", "other.example.com/app", "-o", "docker-auth");
        var storedCrLf = await _sandbox.RunOkAsync("resolve", "crlf.example.com/app", "-o", "docker-auth");
        var auth = Json.DecodeRegistryAuth(stored.Stdout);
        Assert.Multiple(() =>
        {
            Assert.That(auth.Text("username"), Is.EqualTo("_json_key"));
            Assert.That(auth.Text("password"), Is.EqualTo(key), "exactly the key, internal line breaks kept");
            Assert.That(auth.Text("serveraddress"), Is.EqualTo("registry.example.com"));
            Assert.That(Json.DecodeRegistryAuth(storedTwo.Stdout).Text("password"), Is.EqualTo(key + "\n"), "only one line break is trimmed");
            Assert.That(Json.DecodeRegistryAuth(storedCrLf.Stdout).Text("password"), Is.EqualTo(key));
        });
        await _sandbox.RunOkAsync("registry", "list");
        await _sandbox.RunOkAsync("registry", "get", "registry.example.com/demo/*", "-o", "json");
        _sandbox.AssertNeverPrinted("MIIEvQIBADANBgkqhkiG9w0BAQEFAASC", stored, storedTwo, storedCrLf);
    }

    [Test]
    public async Task Update_keeps_the_stored_password_unless_a_new_one_is_given()
    {
        await RunAddAsync("original-pw-1", "registry.example.com", "--username", "ci");
        var renamed = await _sandbox.RunAsync(
            "registry",
            "update",
            "registry.example.com",
            "--username",
            "deploy",
            "--name",
            "Prod",
            "--validate=false",
            "-o",
            "json");
        var keptAuth = Json.DecodeRegistryAuth((await _sandbox.RunOkAsync("resolve", "registry.example.com/app", "-o", "docker-auth")).Stdout);
        var changed = await _sandbox.RunWithPasswordAsync("rotated-pw-2", "registry", "update", "registry.example.com", "--validate=false");
        var changedAuth = Json.DecodeRegistryAuth((await _sandbox.RunOkAsync("resolve", "registry.example.com/app", "-o", "docker-auth")).Stdout);
        var fromStdin = await _sandbox.RunAsync(
            ["registry", "update", "registry.example.com", "--password-stdin", "--validate=false", "-o", "json"],
            "stdin-pw-3\n");
        var stdinAuth = Json.DecodeRegistryAuth((await _sandbox.RunOkAsync("resolve", "registry.example.com/app", "-o", "docker-auth")).Stdout);
        var missing = await _sandbox.RunAsync("registry", "update", "nowhere.example.com", "--username", "x", "--validate=false");

        Assert.Multiple(() =>
        {
            Assert.That(renamed.ExitCode, Is.Zero, renamed.ToString());
            Assert.That(Json.Parse(renamed.Stdout).Text("registry_user"), Is.EqualTo("deploy"));
            Assert.That(Json.Parse(renamed.Stdout).Text("registry_name"), Is.EqualTo("Prod"));
            Assert.That(keptAuth.Text("username"), Is.EqualTo("deploy"));
            Assert.That(keptAuth.Text("password"), Is.EqualTo("original-pw-1"));
            Assert.That(changed.ExitCode, Is.Zero, changed.ToString());
            Assert.That(changedAuth.Text("password"), Is.EqualTo("rotated-pw-2"));
            Assert.That(fromStdin.ExitCode, Is.Zero, fromStdin.ToString());
            Assert.That(Json.Parse(fromStdin.Stdout).GetProperty("version").GetInt64(), Is.EqualTo(4));
            Assert.That(stdinAuth.Text("password"), Is.EqualTo("stdin-pw-3"));
            AssertError(missing, 2, "does not exist");
        });
    }

    [Test]
    public async Task Deactivate_denies_pulls_activate_restores_them_and_delete_removes_the_entry()
    {
        await RunAddAsync("acme-pw-1", "docker.io/acme/*", "--username", "acme-ci");
        var deactivated = await _sandbox.RunOkAsync("registry", "deactivate", "docker.io/acme/*", "-o", "json");
        var denied = await _sandbox.RunAsync("resolve", "acme/app:1");
        var activated = await _sandbox.RunOkAsync("registry", "activate", "docker.io/acme/*", "-o", "json");
        var allowed = await _sandbox.RunAsync("resolve", "acme/app:1");
        var deleted = await _sandbox.RunAsync("registry", "delete", "docker.io/acme/*");
        var gone = await _sandbox.RunAsync("registry", "get", "docker.io/acme/*");
        var anonymous = await _sandbox.RunAsync("resolve", "acme/app:1", "-o", "json");

        Assert.Multiple(() =>
        {
            Assert.That(Json.Parse(deactivated.Stdout).GetProperty("active").GetBoolean(), Is.False);
            AssertError(denied, 5, "deactivated");
            Assert.That(denied.Stdout, Does.Contain("RESULT      denied").And.Contain("EntryInactive"));
            Assert.That(Json.Parse(activated.Stdout).GetProperty("active").GetBoolean(), Is.True);
            Assert.That(allowed.ExitCode, Is.Zero, allowed.ToString());
            Assert.That(allowed.Stdout, Does.Contain("RESULT      credential").And.Contain("USER        acme-ci"));
            Assert.That(deleted.ExitCode, Is.Zero, deleted.ToString());
            Assert.That(deleted.Stdout + deleted.Stderr, Is.Empty);
            AssertError(gone, 2, "does not exist");
            Assert.That(anonymous.ExitCode, Is.Zero, anonymous.ToString());
            Assert.That(Json.Parse(anonymous.Stdout).Text("result"), Is.EqualTo("anonymous"));
        });
        _sandbox.AssertNeverPrinted("acme-pw-1");
    }

    [Test]
    public async Task Accounts_keep_their_entries_apart_and_identity_tokens_skip_validation()
    {
        var teamA = await _sandbox.RunWithPasswordAsync(
            "team-a-pw",
            "--account",
            "team-a",
            "registry",
            "add",
            "quay.io",
            "--username",
            "a",
            "--validate=false");
        var defaultList = Json.Parse((await _sandbox.RunOkAsync("registry", "list", "-o", "json")).Stdout);
        var teamAList = Json.Parse((await _sandbox.RunAsync(
            ["registry", "list", "-o", "json"],
            null,
            new Dictionary<string, string?> { ["REGCRED_ACCOUNT"] = "team-a" })).Stdout);
        var token = await _sandbox.RunWithPasswordAsync("identity-token-pw", "registry", "add", "unreachable.invalid", "--username", "<token>");

        Assert.Multiple(() =>
        {
            Assert.That(teamA.ExitCode, Is.Zero, teamA.ToString());
            Assert.That(defaultList.GetArrayLength(), Is.Zero);
            Assert.That(teamAList[0].Text("userId"), Is.EqualTo("team-a"));
            Assert.That(token.ExitCode, Is.Zero, "an identity token is not checked as a password: " + token);
            Assert.That(token.Stderr, Does.StartWith("regcred: warning: identity tokens"));
        });
    }

    [Test]
    [Category("RealRegistry")]
    public async Task Add_validates_against_a_real_TLS_registry_exit_4_when_rejected_and_stores_nothing()
    {
        var registry = await SharedRegistry.GetAsync();
        var ca = SharedRegistry.WriteCa(registry, Path.Combine(_sandbox.Root, "ca"));

        var good = await _sandbox.RunWithPasswordAsync(
            registry.Password,
            "registry",
            "add",
            registry.Registry,
            "--username",
            registry.Username,
            "--ca-file",
            ca,
            "-o",
            "json");
        var wrong = await _sandbox.RunWithPasswordAsync(
            "not-the-password",
            "registry",
            "add",
            registry.Registry + "/test",
            "--username",
            registry.Username,
            "--ca-file",
            ca);
        var untrusted = await _sandbox.RunWithPasswordAsync(
            registry.Password,
            "registry",
            "add",
            registry.Registry + "/other",
            "--username",
            registry.Username);
        var wrongUpdate = await _sandbox.RunWithPasswordAsync("still-not-it", "registry", "update", registry.Registry);
        var list = Json.Parse((await _sandbox.RunOkAsync("registry", "list", "-o", "json")).Stdout);
        var auth = Json.DecodeRegistryAuth((await _sandbox.RunOkAsync("resolve", registry.Registry + "/test/app:v1", "-o", "docker-auth")).Stdout);

        Assert.Multiple(() =>
        {
            Assert.That(good.ExitCode, Is.Zero, good.ToString());
            Assert.That(Json.Parse(good.Stdout).GetProperty("own_ca_certificates").GetBoolean(), Is.True);
            AssertError(wrong, 4, "Unauthorized");
            AssertError(untrusted, 4, "TlsFailure");
            AssertError(wrongUpdate, 4, "Unauthorized");
            Assert.That(list.GetArrayLength(), Is.EqualTo(1), "refused credentials are not stored");
            Assert.That(auth.Text("password"), Is.EqualTo(registry.Password), "a refused update keeps the stored password");
        });
        _sandbox.AssertNeverPrinted(registry.Password, _sandbox.Runs.Last());
        _sandbox.AssertNeverPrinted("not-the-password");
    }

    internal static void AssertError(ToolRun run, int exitCode, string fragment)
    {
        Assert.That(run.ExitCode, Is.EqualTo(exitCode), run.ToString());
        Assert.That(run.Stderr, Does.StartWith("regcred: ").And.Contain(fragment).And.EndWith("\n"), run.ToString());
        Assert.That(run.Stderr.TrimEnd('\n'), Does.Not.Contain('\n'), "errors are one line: " + run);
    }

    private async Task RunAddAsync(string password, params string[] arguments)
    {
        var run = await _sandbox.RunWithPasswordAsync(password, ["registry", "add", .. arguments, "--validate=false"]);
        Assert.That(run.ExitCode, Is.Zero, run.ToString());
    }
}
