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

        var created = await client.PostAsJsonAsync("/registries?validate=false", new { registry = "docker.io/acme/*", registry_user = "ci",
            registry_pass = "pw" });
        var entry = (await created.ExpectAsync(201))[0];
        Assert.That(entry.GetProperty("userId").GetString(), Is.EqualTo("developer"));
        Assert.That(File.Exists(Path.Combine(_directory, "registries.db")), Is.True);

        using var other = factory.CreateClient();
        other.DefaultRequestHeaders.Add("X-Dev-User", "someone-else");
        Assert.That((await (await other.GetAsync("/registries")).ExpectAsync(200)).GetArrayLength(), Is.Zero);

        await (await client.PutAsJsonAsync("/registries/_settings", new { default_registry = "reg.example.com" })).ExpectAsync(200);
        // Issue 14, section 5: the policy is kept in the store (the SQLite file), not in a settings file.
        await using (var store = new Sqlite.SqliteRegistryStore(new Sqlite.SqliteRegistryStoreOptions { Path = Path.Combine(_directory, "registries.db") }))
        {
            Assert.That((await store.GetPolicyAsync("developer"))?.DefaultRegistry, Is.EqualTo("reg.example.com"));
        }

        Assert.That(File.Exists(Path.Combine(_directory, "settings.json")), Is.False);

        Assert.That((await client.GetAsync("/registries-ui")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var openApi = await client.GetStringAsync("/openapi/v1.json");
        Assert.That(openApi, Does.Contain("\"/registries/{registry}\""));
    }

    [Test]
    public void The_development_sign_in_is_refused_outside_development()
    {
        // Issue 15 lets the sample run in Production (JWT bearer); what stays refused is its development sign-in there.
        using var factory = Factory("Production").WithWebHostBuilder(web => web.UseSetting("RegistryServer:Authentication", "Development"));
        var error = Assert.Throws<InvalidOperationException>(() => factory.CreateClient());
        Assert.That(error!.Message, Does.Contain("Development"));
    }

    [TestCase("Authentication:Schemes:Bearer:ValidAudience", "ValidAudience")]
    [TestCase("Authentication:Schemes:Bearer:Authority", "Authority")]
    [TestCase("Kestrel:Endpoints:Https:Url", "HTTPS")]
    public void Production_refuses_to_start_with_a_setting_missing(string missing, string named)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Authentication:Schemes:Bearer:Authority"] = "https://issuer.test.invalid/",
            ["Authentication:Schemes:Bearer:ValidAudience"] = "registry-server",
            ["Kestrel:Endpoints:Https:Url"] = "https://127.0.0.1:0",
        };
        settings.Remove(missing);
        using var factory = Factory("Production").WithWebHostBuilder(web =>
        {
            foreach (var (key, value) in settings)
            {
                web.UseSetting(key, value);
            }
        });
        var error = Assert.Throws<InvalidOperationException>(() => factory.CreateClient());
        Assert.That(error!.Message, Does.Contain("RegistryServer cannot start").And.Contain(named));
    }

    [Test]
    public async Task Production_refuses_plain_http_requests_before_authentication()
    {
        using var factory = Factory("Production").WithWebHostBuilder(web =>
        {
            web.UseSetting("Authentication:Schemes:Bearer:Authority", "https://issuer.test.invalid/");
            web.UseSetting("Authentication:Schemes:Bearer:ValidAudience", "registry-server");
            web.UseSetting("Kestrel:Endpoints:Https:Url", "https://127.0.0.1:0");
        });
        using var client = factory.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("http://localhost") });
        var response = await client.GetAsync("/registries");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("HTTPS"));
    }
}
