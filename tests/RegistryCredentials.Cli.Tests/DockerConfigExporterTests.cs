using System.Text;
using Microsoft.Extensions.DependencyInjection;
using RegistryCredentials.Cli.Cli;
using RegistryCredentials.Cli.Interop;
using RegistryCredentials.Cli.Tests.Support;

namespace RegistryCredentials.Cli.Tests;

/// <summary>The exporter in process, with a provider whose tokens expire (the built-in docker_v2 credentials never do).</summary>
[TestFixture]
public sealed class DockerConfigExporterTests
{
    [Test]
    public async Task A_credential_expiring_within_a_day_is_exported_with_a_warning_on_stderr()
    {
        var services = new ServiceCollection();
        services.AddRegistryCredentials().UseInMemoryStore().AddProvider<ExpiringCredentialProvider>();
        await using var provider = services.BuildServiceProvider();
        var manager = provider.GetRequiredService<IRegistryManager>();
        await manager.AddAsync(new RegistryAddRequest
        {
            Scope = "tokens.example.com",
            Username = "AWS",
            Password = "short-lived-token",
            Type = ExpiringCredentialProvider.ExpiringType,
            Validate = false,
        });
        await manager.AddAsync(new RegistryAddRequest { Scope = "static.example.com", Username = "ci", Password = "static-password", Validate = false });
        var output = new StringWriter();
        var error = new StringWriter();
        var terminal = new Terminal(new StringReader(string.Empty), output, error, false, false, _ => null);

        var exporter = new DockerConfigExporter(manager, provider.GetRequiredService<IRegistryCredentialResolver>(), TimeProvider.System, terminal);
        var config = Json.Parse(Encoding.UTF8.GetString(await exporter.ExportAsync(all: true, [], indented: false, CancellationToken.None)));

        var warnings = error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Multiple(() =>
        {
            Assert.That(config.GetProperty("auths").GetProperty("tokens.example.com").Text("password"), Is.EqualTo("short-lived-token"));
            Assert.That(warnings, Has.Length.EqualTo(1));
            Assert.That(warnings[0], Does.StartWith("regcred: warning: the credential for tokens.example.com expires at ").And.Contain("(in 1h59m"));
            Assert.That(error.ToString(), Does.Not.Contain("static.example.com"));
        });
    }
}
