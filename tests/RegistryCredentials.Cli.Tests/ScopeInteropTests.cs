using System.Text.Json;
using RegistryCredentials.Cli.Tests.Support;

namespace RegistryCredentials.Cli.Tests;

/// <summary>
/// Issue 14 §1 in regcred: Anchore's scopes as the CLI reads and writes them, containers-auth.json namespace keys on import
/// and export, the Docker Hub one-segment note, and refused scopes that leave the store as it was.
/// </summary>
[TestFixture]
public sealed class ScopeInteropTests
{
    private Sandbox _sandbox = null!;

    [SetUp]
    public void SetUp() => _sandbox = new Sandbox();

    [TearDown]
    public void TearDown() => _sandbox.Dispose();

    /// <summary>
    /// containers-auth.json keys are looked up by containers/image for a reference under its repository, then each parent
    /// path by whole segments, then the host (pkg/docker/config/config.go, authKeyLookupOrder; docs/containers-auth.json.5.md):
    /// the key <c>quay.io/ns/app</c> covers the repository <c>quay.io/ns/app</c> and every repository below it, and
    /// <c>docker.io/acme</c> every repository of the acme namespace (<c>docker.io/library/acme</c> is looked up under
    /// <c>docker.io/library</c>, never under <c>docker.io/acme</c>).
    /// </summary>
    [Test]
    public async Task Import_maps_namespace_keys_to_subtrees_with_the_repository_they_also_cover_and_export_maps_them_back()
    {
        var config = new Dictionary<string, object>
        {
            ["auths"] = new Dictionary<string, object>
            {
                ["docker.io/acme"] = new { auth = Json.Base64("acme-user:acme-secret") },
                ["quay.io/ns/app"] = new { auth = Json.Base64("app-user:app-secret") },
                ["https://registry.example.com/v2/"] = new { auth = Json.Base64("reg-user:reg-secret") },
            },
        };
        var path = Path.Combine(_sandbox.Root, "auth.json");
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(config));

        var import = await _sandbox.RunAsync("import", "docker-config", path, "--validate=false");
        var list = Json.Parse((await _sandbox.RunOkAsync("registry", "list", "-o", "json")).Stdout).EnumerateArray()
            .ToDictionary(e => e.Text("registry")!, e => e.Text("registry_user"));
        var acmeApp = Json.DecodeRegistryAuth((await _sandbox.RunOkAsync("resolve", "acme/app", "-o", "docker-auth")).Stdout);
        var app = Json.DecodeRegistryAuth((await _sandbox.RunOkAsync("resolve", "quay.io/ns/app:1", "-o", "docker-auth")).Stdout);
        var below = Json.DecodeRegistryAuth((await _sandbox.RunOkAsync("resolve", "quay.io/ns/app/sub", "-o", "docker-auth")).Stdout);
        var officialAcme = Json.Parse((await _sandbox.RunOkAsync("resolve", "acme", "-o", "json")).Stdout);
        var sibling = Json.Parse((await _sandbox.RunOkAsync("resolve", "quay.io/ns/application", "-o", "json")).Stdout);
        var export = await _sandbox.RunOkAsync("export", "dockerconfigjson", "--all", "-o", "raw");
        var auths = Json.Parse(export.Stdout).GetProperty("auths");

        Assert.Multiple(() =>
        {
            Assert.That(import.ExitCode, Is.Zero, import.ToString());
            Assert.That(list, Is.EqualTo(new Dictionary<string, string?>
            {
                ["docker.io/acme/*"] = "acme-user",
                ["quay.io/ns/app"] = "app-user",
                ["quay.io/ns/app/*"] = "app-user",
                ["registry.example.com"] = "reg-user",
            }));
            Assert.That(acmeApp.Text("password"), Is.EqualTo("acme-secret"));
            Assert.That(app.Text("password"), Is.EqualTo("app-secret"));
            Assert.That(below.Text("password"), Is.EqualTo("app-secret"));
            Assert.That(officialAcme.TryGetProperty("entry", out _), Is.False, "docker.io/library/acme is not in the acme namespace");
            Assert.That(sibling.TryGetProperty("entry", out _), Is.False, "quay.io/ns/application is not below quay.io/ns/app");

            // Back to containers-auth.json's namespace keys: one key for the repository and its subtree.
            Assert.That(auths.EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "docker.io/acme", "quay.io/ns/app", "registry.example.com" }));
            Assert.That(auths.GetProperty("quay.io/ns/app").Text("auth"), Is.EqualTo(Json.Base64("app-user:app-secret")));
            Assert.That(auths.GetProperty("docker.io/acme").Text("auth"), Is.EqualTo(Json.Base64("acme-user:acme-secret")));
        });
    }

    [Test]
    public async Task Adding_a_one_segment_Docker_Hub_path_says_it_names_the_official_image()
    {
        var add = await _sandbox.RunWithPasswordAsync("pw-" + Guid.NewGuid().ToString("N"), ["registry", "add", "docker.io/acme", "--username", "u",
            "--validate=false"]);
        var list = Json.Parse((await _sandbox.RunOkAsync("registry", "list", "-o", "json")).Stdout).EnumerateArray().Select(e => e.Text("registry")).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(add.ExitCode, Is.Zero, add.ToString());
            Assert.That(add.Stderr, Does.Contain("names the one repository 'docker.io/library/acme'").And.Contain("write 'docker.io/acme/*'"));
            Assert.That(list, Is.EqualTo(new[] { "docker.io/library/acme" }));
        });
    }

    [Test]
    public async Task Scopes_come_back_as_written_in_canonical_form()
    {
        foreach (var scope in new[] { "Index.Docker.IO/acme/*", "quay.io/ns/app", "quay.io/ns/app/*", "registry.example.com/*" })
        {
            var add = await _sandbox.RunWithPasswordAsync("pw-" + Guid.NewGuid().ToString("N"), ["registry", "add", scope, "--username", "u",
                "--validate=false"]);
            Assert.That(add.ExitCode, Is.Zero, add.ToString());
        }

        var list = Json.Parse((await _sandbox.RunOkAsync("registry", "list", "-o", "json")).Stdout).EnumerateArray().Select(e => e.Text("registry")).ToList();
        var get = Json.Parse((await _sandbox.RunOkAsync("registry", "get", "docker.io/acme/*", "-o", "json")).Stdout);

        Assert.That(list, Is.EqualTo(new[] { "docker.io/acme/*", "quay.io/ns/app", "quay.io/ns/app/*", "registry.example.com" }));
        Assert.That(get.Text("registry"), Is.EqualTo("docker.io/acme/*"));
    }

    [TestCase("docker.io/acme*", "write 'docker.io/acme/*'")]
    [TestCase("quay.io/ns/", "trailing '/' is ambiguous")]
    public async Task A_bad_scope_is_refused_with_exit_1_and_the_store_is_unchanged(string scope, string fragment)
    {
        var kept = "pw-" + Guid.NewGuid().ToString("N");
        Assert.That((await _sandbox.RunWithPasswordAsync(kept, ["registry", "add", "quay.io/ns/*", "--username", "keep",
            "--validate=false"])).ExitCode, Is.Zero);
        var before = (await _sandbox.RunOkAsync("registry", "list", "-o", "json")).Stdout;

        var add = await _sandbox.RunWithPasswordAsync("pw-" + Guid.NewGuid().ToString("N"), ["registry", "add", scope, "--username", "u", "--validate=false"]);
        var delete = await _sandbox.RunAsync("registry", "delete", scope);

        Assert.Multiple(() =>
        {
            RegistryCommandTests.AssertError(add, 1, fragment);
            RegistryCommandTests.AssertError(delete, 1, fragment);
        });
        Assert.That((await _sandbox.RunOkAsync("registry", "list", "-o", "json")).Stdout, Is.EqualTo(before));
        var resolved = Json.DecodeRegistryAuth((await _sandbox.RunOkAsync("resolve", "quay.io/ns/app", "-o", "docker-auth")).Stdout);
        Assert.That(resolved.Text("password"), Is.EqualTo(kept));
    }
}
