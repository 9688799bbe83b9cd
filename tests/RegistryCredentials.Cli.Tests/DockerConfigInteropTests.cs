using System.Text;
using System.Text.Json;
using RegistryCredentials.Cli.Tests.Support;

namespace RegistryCredentials.Cli.Tests;

/// <summary><c>regcred import docker-config</c> and <c>regcred export dockerconfigjson</c>.</summary>
[TestFixture]
public sealed class DockerConfigInteropTests
{
    private Sandbox _sandbox = null!;

    [SetUp]
    public void SetUp() => _sandbox = new Sandbox();

    [TearDown]
    public void TearDown() => _sandbox.Dispose();

    [Test]
    public async Task Import_reads_auths_credHelpers_and_credsStore_and_reports_what_it_skipped()
    {
        // A fake helper with three credentials, a slow one, and a config using all of Docker's forms.
        _sandbox.WriteScript("docker-credential-fake", """
            url=$(cat)
            case "$1" in
              get)
                case "$url" in
                  ghcr.io) printf '{"ServerURL":"ghcr.io","Username":"gh-user","Secret":"gh-secret"}\n' ;;
                  quay.io) printf '{"ServerURL":"quay.io","Username":"quay-user","Secret":"quay-secret"}\n' ;;
                  extra.example.com) printf '{"ServerURL":"extra.example.com","Username":"extra-user","Secret":"extra-secret"}\n' ;;
                  *) echo "credentials not found in native keychain"; exit 1 ;;
                esac ;;
              list) printf '{"extra.example.com":"extra-user","quay.io":"quay-user"}\n' ;;
              *) exit 1 ;;
            esac
            """);
        _sandbox.WriteScript("docker-credential-slow", "sleep 30\n");
        var config = new Dictionary<string, object>
        {
            ["auths"] = new Dictionary<string, object>
            {
                ["https://index.docker.io/v1/"] = new { auth = Json.Base64("hub-user:hub-secret:with-colon") },
                ["registry.example.com:5000"] = new { username = "plain-user", password = "plain-secret" },
                ["http://legacy.example.com/v2/"] = new { auth = Json.Base64("legacy-user:legacy-secret") },
                ["id.example.com"] = new { auth = Json.Base64("someone:"), identitytoken = "id-secret" },
                ["quay.io"] = new { },
                ["broken.example.com"] = new { auth = "%%%not base64%%%" },
                ["tokens.example.com"] = new { registrytoken = "short-lived" },
                ["ghcr.io"] = new { auth = Json.Base64("shadowed:by-the-helper") },
            },
            ["credHelpers"] = new Dictionary<string, string>
            {
                ["ghcr.io"] = "fake",
                ["slow.example.com"] = "slow",
                ["missing.example.com"] = "nothere",
                ["gcr.io"] = "regcred",
            },
            ["credsStore"] = "fake",
        };
        var path = Path.Combine(_sandbox.Root, "config.json");
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(config));

        var import = await _sandbox.RunAsync("import", "docker-config", path, "--validate=false", "--helper-timeout", "2s", "-o", "json");
        var report = Json.Parse(import.Stdout).EnumerateArray().ToList();
        var shadowed = report.Single(r => r.Text("key") == "ghcr.io" && r.Text("source") == "auths");
        var results = report.Where(r => r.Text("source") != "auths" || r.Text("key") != "ghcr.io").ToDictionary(r => r.Text("key")!, r => r);
        var list = Json.Parse((await _sandbox.RunOkAsync("registry", "list", "-o", "json")).Stdout).EnumerateArray()
            .ToDictionary(e => e.Text("registry")!, e => e.Text("registry_user"));
        var hub = await _sandbox.RunAsync(["helper", "get"], "https://index.docker.io/v1/");
        var table = await _sandbox.RunAsync("import", "docker-config", path, "--validate=false", "--helper-timeout", "2s");

        Assert.Multiple(() =>
        {
            Assert.That(import.ExitCode, Is.Zero, import.ToString());
            Assert.That(list, Is.EqualTo(new Dictionary<string, string?>
            {
                ["docker.io"] = "hub-user",
                ["registry.example.com:5000"] = "plain-user",
                ["legacy.example.com"] = "legacy-user",
                ["id.example.com"] = "<token>",
                ["ghcr.io"] = "gh-user",
                ["quay.io"] = "quay-user",
                ["extra.example.com"] = "extra-user",
            }));
            Assert.That(
                hub.Stdout,
                Is.EqualTo("{\"ServerURL\":\"https://index.docker.io/v1/\",\"Username\":\"hub-user\",\"Secret\":\"hub-secret:with-colon\"}\n"));
            Assert.That(results["ghcr.io"].Text("source"), Is.EqualTo("credHelpers (fake)"));
            Assert.That(results["quay.io"].Text("source"), Is.EqualTo("credsStore (fake)"));
            Assert.That(results["extra.example.com"].Text("source"), Is.EqualTo("credsStore (fake)"));
            Assert.That(results["https://index.docker.io/v1/"].Text("registry"), Is.EqualTo("docker.io"));
            Assert.That(results["id.example.com"].Text("detail"), Does.Contain("identity token"));
            foreach (var (key, fragment) in new[]
            {
                ("broken.example.com", "base64"),
                ("tokens.example.com", "registry token"),
                ("slow.example.com", "did not answer within 2s"),
                ("missing.example.com", "not on PATH"),
                ("gcr.io", "regcred's own helper"),
            })
            {
                Assert.That(results[key].Text("result"), Is.EqualTo("skipped"), key);
                Assert.That(results[key].Text("detail"), Does.Contain(fragment), key);
            }

            Assert.That(table.ExitCode, Is.EqualTo(3), "a second import meets existing entries: " + table);
            Assert.That(table.Stdout, Does.Contain("SOURCE").And.Contain("exists").And.Contain("0 imported"));
            Assert.That(shadowed.Text("result"), Is.EqualTo("skipped"));
            Assert.That(shadowed.Text("detail"), Does.Contain("credHelpers"));
        });
        foreach (var secret in new[] { "hub-secret", "plain-secret", "legacy-secret", "id-secret", "gh-secret", "quay-secret", "extra-secret" })
        {
            _sandbox.AssertNeverPrinted(secret, hub);
        }
    }

    [Test]
    [Category("RealRegistry")]
    public async Task Import_validates_unless_told_not_to_and_reads_DOCKER_AUTH_CONFIG()
    {
        var registry = await SharedRegistry.GetAsync();
        var inline = JsonSerializer.Serialize(new { auths = new Dictionary<string, object> { [registry.Registry] = new { auth = Json.Base64(registry.Username
            + ":"
            + registry.Password) } } });
        var environment = new Dictionary<string, string?> { ["DOCKER_AUTH_CONFIG"] = inline };

        // The test CA is not trusted by an imported entry: validation fails (TLS) and nothing is stored.
        var validated = await _sandbox.RunAsync(["import", "docker-config", "-o", "json"], null, environment);
        var afterValidation = Json.Parse((await _sandbox.RunOkAsync("registry", "list", "-o", "json")).Stdout);
        var unvalidated = await _sandbox.RunAsync(["import", "docker-config", "--validate=false"], null, environment);
        var again = await _sandbox.RunAsync(["import", "docker-config", "--validate=false"], null, environment);
        var replaced = await _sandbox.RunAsync(["import", "docker-config", "--validate=false", "--replace"], null, environment);
        var fromStdin = await _sandbox.RunAsync(["import", "docker-config", "-", "--validate=false", "--replace", "-o", "json"], inline);
        var noConfig = await _sandbox.RunAsync("import", "docker-config");

        Assert.Multiple(() =>
        {
            Assert.That(validated.ExitCode, Is.EqualTo(4), validated.ToString());
            Assert.That(Json.Parse(validated.Stdout)[0].Text("result"), Is.EqualTo("invalid"));
            Assert.That(afterValidation.GetArrayLength(), Is.Zero);
            Assert.That(unvalidated.ExitCode, Is.Zero, unvalidated.ToString());
            Assert.That(unvalidated.Stdout, Does.Contain("1 imported"));
            Assert.That(again.ExitCode, Is.EqualTo(3), again.ToString());
            Assert.That(replaced.ExitCode, Is.Zero, replaced.ToString());
            Assert.That(Json.Parse(fromStdin.Stdout)[0].Text("result"), Is.EqualTo("imported"));
            RegistryCommandTests.AssertError(noConfig, 2, "no Docker config");
        });
        _sandbox.AssertNeverPrinted(registry.Password);
    }

    [Test]
    public async Task Export_all_makes_a_dockerconfigjson_secret_that_imports_back_into_an_empty_store()
    {
        await AddAsync("docker.io", "hub-user", "hub-secret");
        await AddAsync("docker.io/acme/*", "acme-user", "acme-secret");
        await AddAsync("registry.example.com:5000", "plain-user", "plain-secret", "--email", "ops@example.com");
        await AddAsync("quay.io/partner/*", "partner", "partner-secret");
        await AddAsync("*.example.org", "glob", "glob-secret");
        await _sandbox.RunOkAsync("registry", "deactivate", "quay.io/partner/*");

        var yaml = await _sandbox.RunAsync("export", "dockerconfigjson", "--all");
        var json = await _sandbox.RunAsync("export", "dockerconfigjson", "--all", "-o", "json", "--name", "pull-secret", "--namespace", "ci");
        var raw = await _sandbox.RunAsync("export", "dockerconfigjson", "--all", "-o", "raw");
        var secret = Json.Parse(json.Stdout);
        var dockerConfig = Encoding.UTF8.GetString(Convert.FromBase64String(secret.GetProperty("data").Text(".dockerconfigjson")!));
        var auths = Json.Parse(dockerConfig).GetProperty("auths");

        Assert.Multiple(() =>
        {
            Assert.That(yaml.ExitCode, Is.Zero, yaml.ToString());
            Assert.That(yaml.Stdout, Does.StartWith(
                "apiVersion: v1\nkind: Secret\nmetadata:\n  name: regcred\ntype: kubernetes.io/dockerconfigjson\ndata:\n  .dockerconfigjson: "));
            Assert.That(yaml.Stderr, Does.Contain("quay.io/partner/* is deactivated").And.Contain("*.example.org has a glob host"));
            Assert.That(secret.Text("kind"), Is.EqualTo("Secret"));
            Assert.That(secret.Text("type"), Is.EqualTo("kubernetes.io/dockerconfigjson"));
            Assert.That(secret.GetProperty("metadata").Text("name"), Is.EqualTo("pull-secret"));
            Assert.That(secret.GetProperty("metadata").Text("namespace"), Is.EqualTo("ci"));
            Assert.That(
                auths.EnumerateObject().Select(p => p.Name),
                Is.EqualTo(new[] { "docker.io/acme", "https://index.docker.io/v1/", "registry.example.com:5000" }));
            Assert.That(auths.GetProperty("registry.example.com:5000").Text("auth"), Is.EqualTo(Json.Base64("plain-user:plain-secret")));
            Assert.That(auths.GetProperty("registry.example.com:5000").Text("email"), Is.EqualTo("ops@example.com"));
            Assert.That(auths.GetProperty("https://index.docker.io/v1/").Text("password"), Is.EqualTo("hub-secret"));
            Assert.That(Json.Parse(raw.Stdout).GetProperty("auths").GetProperty("docker.io/acme").Text("username"), Is.EqualTo("acme-user"));
        });

        // Round trip into an empty store.
        using var other = new Sandbox();
        var file = Path.Combine(other.Root, "config.json");
        await File.WriteAllTextAsync(file, dockerConfig);
        var import = await other.RunAsync("import", "docker-config", file, "--validate=false");
        var list = Json.Parse((await other.RunOkAsync("registry", "list", "-o", "json")).Stdout).EnumerateArray()
            .ToDictionary(e => e.Text("registry")!, e => e.Text("registry_user"));
        var acme = Json.DecodeRegistryAuth((await other.RunOkAsync("resolve", "acme/app", "-o", "docker-auth")).Stdout);
        Assert.Multiple(() =>
        {
            Assert.That(import.ExitCode, Is.Zero, import.ToString());
            Assert.That(list, Is.EqualTo(new Dictionary<string, string?>
            {
                ["docker.io"] = "hub-user",
                ["docker.io/acme/*"] = "acme-user",
                ["registry.example.com:5000"] = "plain-user",
            }));
            Assert.That(acme.Text("password"), Is.EqualTo("acme-secret"));

            // Docker Hub's Registry API host, not docker.io (issue 12 §2); the scope stays docker.io/acme.
            Assert.That(acme.Text("serveraddress"), Is.EqualTo("registry-1.docker.io"));
        });
    }

    [Test]
    public async Task Export_of_images_takes_their_entries_denies_with_exit_5_and_needs_something_to_export()
    {
        await AddAsync("registry.example.com", "plain-user", "plain-secret");
        await AddAsync("quay.io", "quay-user", "quay-secret");
        await AddAsync("ghcr.io", "gh-user", "gh-secret");
        await _sandbox.RunOkAsync("registry", "deactivate", "ghcr.io");

        var two = await _sandbox.RunAsync(
            "export",
            "dockerconfigjson",
            "registry.example.com/app:1",
            "registry.example.com/other",
            "docker.io/library/nginx",
            "-o",
            "raw");
        var denied = await _sandbox.RunAsync("export", "dockerconfigjson", "ghcr.io/x/y");
        var nothing = await _sandbox.RunAsync("export", "dockerconfigjson", "nginx");
        var neither = await _sandbox.RunAsync("export", "dockerconfigjson");
        var both = await _sandbox.RunAsync("export", "dockerconfigjson", "--all", "nginx");
        var badName = await _sandbox.RunAsync("export", "dockerconfigjson", "--all", "--name", "Not_A_Name");

        Assert.Multiple(() =>
        {
            Assert.That(two.ExitCode, Is.Zero, two.ToString());
            Assert.That(Json.Parse(two.Stdout).GetProperty("auths").EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "registry.example.com" }));
            Assert.That(two.Stderr, Does.Contain("warning").And.Contain("nginx"));
            RegistryCommandTests.AssertError(denied, 5, "deactivated");
            Assert.That(denied.Stdout, Is.Empty);
            Assert.That(nothing.ExitCode, Is.EqualTo(2), nothing.ToString());
            RegistryCommandTests.AssertError(neither, 1, "--all");
            RegistryCommandTests.AssertError(both, 1, "--all");
            RegistryCommandTests.AssertError(badName, 1, "Kubernetes name");
        });
        _sandbox.AssertNeverPrinted("quay-secret");
        _sandbox.AssertNeverPrinted("gh-secret");
    }

    private async Task AddAsync(string scope, string username, string password, params string[] extra)
    {
        var run = await _sandbox.RunWithPasswordAsync(password, ["registry", "add", scope, "--username", username, "--validate=false", .. extra]);
        Assert.That(run.ExitCode, Is.Zero, run.ToString());
    }
}
