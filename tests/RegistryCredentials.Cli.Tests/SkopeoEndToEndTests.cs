using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using RegistryCredentials.Tests.Support.Registry;
using RegistryCredentials.Cli.Tests.Support;

namespace RegistryCredentials.Cli.Tests;

/// <summary>
/// A real client: Debian's skopeo copies test/app:v1 out of the local htpasswd TLS registry into a <c>dir:</c>, with
/// credentials from regcred — (a) through <c>credHelpers</c> naming regcred (the installed wrapper on PATH) and (b) through
/// a config made by <c>regcred export dockerconfigjson</c>. A wrong stored password makes it fail. skopeo only ever talks
/// to the loopback registry: an empty registries.conf (no mirrors, no search registries), a fully qualified reference,
/// the test CA in a cert dir, and a HOME in the sandbox.
/// </summary>
[TestFixture]
[Category("RealRegistry")]
public sealed class SkopeoEndToEndTests
{
    private Sandbox _sandbox = null!;
    private DistributionRegistry _registry = null!;
    private string _certDirectory = null!;

    [SetUp]
    public async Task SetUpAsync()
    {
        _sandbox = new Sandbox();
        _registry = await SharedRegistry.GetAsync();
        _certDirectory = Path.Combine(_sandbox.Root, "certs");
        var ca = SharedRegistry.WriteCa(_registry, _certDirectory);
        var empty = Path.Combine(_sandbox.Root, "registries.conf");
        await File.WriteAllTextAsync(empty, string.Empty);
        _sandbox.Environment["CONTAINERS_REGISTRIES_CONF"] = empty;
        _sandbox.Environment["REGISTRIES_CONFIG_PATH"] = empty;
        _sandbox.Environment["TMPDIR"] = Directory.CreateDirectory(Path.Combine(_sandbox.Root, "tmp")).FullName;

        // The entry trusts the test CA, so adding it validates against the real registry.
        var add = await _sandbox.RunWithPasswordAsync(
            _registry.Password,
            "registry",
            "add",
            _registry.Registry,
            "--username",
            _registry.Username,
            "--ca-file",
            ca);
        Assert.That(add.ExitCode, Is.Zero, add.ToString());
    }

    [TearDown]
    public void TearDown() => _sandbox.Dispose();

    private string Source => $"docker://{_registry.Registry}/{_registry.Repository}:{_registry.Tag}";

    [Test]
    public async Task Skopeo_copies_through_the_regcred_credential_helper_and_fails_with_a_wrong_password()
    {
        var install = await _sandbox.RunAsync("helper", "install", "--dir", _sandbox.Bin);
        Assert.That(install.ExitCode, Is.Zero, install.ToString());
        var authFile = Path.Combine(_sandbox.Root, "auth.json");
        await File.WriteAllTextAsync(
            authFile,
            JsonSerializer.Serialize(new { credHelpers = new Dictionary<string, string> { [_registry.Registry] = "regcred" } }));

        var copy = await SkopeoCopyAsync(authFile, "good");
        AssertCopied(copy, "good");

        var update = await _sandbox.RunWithPasswordAsync("wrong-" + _registry.Password, "registry", "update", _registry.Registry, "--validate=false");
        Assert.That(update.ExitCode, Is.Zero, update.ToString());
        var refused = await SkopeoCopyAsync(authFile, "refused");
        Assert.Multiple(() =>
        {
            Assert.That(refused.ExitCode, Is.Not.Zero, refused.ToString());
            Assert.That(refused.Stderr, Does.Contain("unauthorized").IgnoreCase.Or.Contain("authentication required").IgnoreCase, refused.ToString());
            Assert.That(File.Exists(Path.Combine(_sandbox.Root, "refused", "manifest.json")), Is.False);
        });
    }

    [Test]
    public async Task Skopeo_copies_with_a_config_exported_as_a_dockerconfigjson_secret()
    {
        var authFile = await ExportAuthFileAsync("exported.json");
        var copy = await SkopeoCopyAsync(authFile, "exported");
        AssertCopied(copy, "exported");

        var update = await _sandbox.RunWithPasswordAsync("wrong-" + _registry.Password, "registry", "update", _registry.Registry, "--validate=false");
        Assert.That(update.ExitCode, Is.Zero, update.ToString());
        var refused = await SkopeoCopyAsync(await ExportAuthFileAsync("wrong.json"), "refused");
        Assert.That(refused.ExitCode, Is.Not.Zero, refused.ToString());
    }

    private async Task<string> ExportAuthFileAsync(string name)
    {
        var export = await _sandbox.RunAsync("export", "dockerconfigjson", $"{_registry.Registry}/{_registry.Repository}:{_registry.Tag}", "-o", "json");
        Assert.That(export.ExitCode, Is.Zero, export.ToString());
        var secret = Json.Parse(export.Stdout);
        var path = Path.Combine(_sandbox.Root, name);
        await File.WriteAllBytesAsync(path, Convert.FromBase64String(secret.GetProperty("data").Text(".dockerconfigjson")!));
        return path;
    }

    private async Task<ToolRun> SkopeoCopyAsync(string authFile, string destination)
    {
        var policy = Path.Combine(_sandbox.Root, "policy.json");
        await File.WriteAllTextAsync(policy, "{\"default\":[{\"type\":\"insecureAcceptAnything\"}]}");
        var registriesD = Directory.CreateDirectory(Path.Combine(_sandbox.Root, "registries.d")).FullName;
        string[] arguments =
        [
            "--policy", policy, "--registries.d", registriesD,
            "copy", "--authfile", authFile, "--src-cert-dir", _certDirectory,
            Source, "dir:" + Path.Combine(_sandbox.Root, destination),
        ];
        try
        {
            return await ProcessRunner.RunAsync("skopeo", arguments, _sandbox.Environment, workingDirectory: _sandbox.Root, timeout: TimeSpan.FromSeconds(60));
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("skopeo is missing: install the Debian package skopeo (./build.sh test installs it).", e);
        }
    }

    private void AssertCopied(ToolRun copy, string destination)
    {
        var folder = Path.Combine(_sandbox.Root, destination);
        Assert.That(copy.ExitCode, Is.Zero, copy.ToString());
        var manifest = File.ReadAllBytes(Path.Combine(folder, "manifest.json"));
        Assert.Multiple(() =>
        {
            Assert.That("sha256:" + Convert.ToHexStringLower(SHA256.HashData(manifest)), Is.EqualTo(_registry.ManifestDigest));
            Assert.That(File.ReadAllBytes(Path.Combine(folder, _registry.LayerDigest["sha256:".Length..])), Is.EqualTo(_registry.LayerBytes));
            Assert.That(Encoding.UTF8.GetString(manifest), Does.Contain(_registry.ConfigDigest));
        });
        _sandbox.AssertNeverPrinted(_registry.Password);
    }
}
