using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using RegistryCredentials.AspNetCore.Tests.Support;

namespace RegistryCredentials.AspNetCore.Tests;

/// <summary><c>samples/RegistryServer</c> through <see cref="WebApplicationFactory{TEntryPoint}"/>: SQLite, both mapped, development authentication.</summary>
public class SampleServerTests
{
    private string _directory = null!;

    [SetUp]
    public void SetUp() => _directory = Directory.CreateTempSubdirectory("rc-sample-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_directory, recursive: true);

    private WebApplicationFactory<Program> Factory(string environment = "Development") => new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
    {
        web.UseEnvironment(environment);
        web.UseSetting("RegistryServer:Database", Path.Combine(_directory, "registries.db"));
        web.UseSetting("RegistryServer:SettingsFile", Path.Combine(_directory, "settings.json"));
        web.ConfigureServices(services => services.Configure<SecretProtectionOptions>(o =>
        {
            o.Key = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
            o.KeyFile = Path.Combine(_directory, "secret.key");
        }));
    });

    [Test]
    public async Task The_sample_serves_the_api_the_page_and_openapi_on_sqlite()
    {
        await using var factory = Factory();
        using var client = factory.CreateClient();

        var created = await client.PostAsJsonAsync(
            "/registries?validate=false",
            new { registry = "docker.io/acme", registry_user = "ci", registry_pass = "pw" });
        var entry = (await created.ExpectAsync(201))[0];
        Assert.That(entry.GetProperty("userId").GetString(), Is.EqualTo("developer"));
        Assert.That(File.Exists(Path.Combine(_directory, "registries.db")), Is.True);

        using var other = factory.CreateClient();
        other.DefaultRequestHeaders.Add("X-Dev-User", "someone-else");
        Assert.That((await (await other.GetAsync("/registries")).ExpectAsync(200)).GetArrayLength(), Is.Zero);

        await (await client.PutAsJsonAsync("/registries/_settings", new { default_registry = "reg.example.com" })).ExpectAsync(200);
        Assert.That(File.Exists(Path.Combine(_directory, "settings.json")), Is.True);

        Assert.That((await client.GetAsync("/registries-ui")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var openApi = await client.GetStringAsync("/openapi/v1.json");
        Assert.That(openApi, Does.Contain("\"/registries/{registry}\""));
    }

    [Test]
    public void The_sample_refuses_to_run_outside_development()
    {
        using var factory = Factory("Production");
        var error = Assert.Throws<InvalidOperationException>(() => factory.CreateClient());
        Assert.That(error!.Message, Does.Contain("Development"));
    }
}
