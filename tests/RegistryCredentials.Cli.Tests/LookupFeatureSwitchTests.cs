using System.Text.Json;
using RegistryCredentials.Cli.Tests.Support;

namespace RegistryCredentials.Cli.Tests;

/// <summary>
/// regcred-lookup turns the core's <c>RegistryCredentials.RegistryHttp.IsSupported</c> switch off (it never talks to a
/// registry), regcred leaves it on (its <c>registry add</c> validates against the registry): the runtime configuration of
/// each framework-dependent build says so, and regcred-lookup still answers a <c>docker_v2</c> lookup.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class LookupFeatureSwitchTests
{
    private const string Switch = "RegistryCredentials.RegistryHttp.IsSupported";

    [Test]
    public async Task Regcred_lookup_runs_with_the_registry_http_switch_off_and_regcred_with_it_on()
    {
        using var install = LookupInstall.Create();
        var lookupConfig = Path.Combine(install.Directory, "regcred-lookup.runtimeconfig.json");
        if (!File.Exists(lookupConfig))
        {
            Assert.Ignore("A Native AOT install (REGCRED_TEST_INSTALL_DIR) has the switch compiled in and no runtime configuration to read.");
        }

        Assert.That(ConfigProperty(lookupConfig), Is.False);
        Assert.That(ConfigProperty(Path.Combine(install.Directory, "regcred.runtimeconfig.json")), Is.Null, "regcred keeps the default (on)");

        using var sandbox = new Sandbox();
        var secret = "switch-secret-" + Guid.NewGuid().ToString("N");
        var add = await sandbox.RunWithPasswordAsync(secret, "registry", "add", "reg.example.com", "--username", "ci", "--validate=false");
        Assert.That(add.ExitCode, Is.Zero, add.ToString());
        var get = await sandbox.RunExecutableAsync(install.Helper, ["get"], ProcessRunner.Utf8("reg.example.com\n"));
        Assert.That(get.ExitCode, Is.Zero, get.ToString());
        Assert.That(get.Stdout, Is.EqualTo($"{{\"ServerURL\":\"reg.example.com\",\"Username\":\"ci\",\"Secret\":\"{secret}\"}}\n"));
    }

    /// <summary>The switch's value in a runtimeconfig.json, or null when it is not set there.</summary>
    private static bool? ConfigProperty(string path)
    {
        using var config = JsonDocument.Parse(File.ReadAllText(path));
        return config.RootElement.GetProperty("runtimeOptions").TryGetProperty("configProperties", out var properties)
            && properties.TryGetProperty(Switch, out var value)
            ? value.GetBoolean()
            : null;
    }
}
