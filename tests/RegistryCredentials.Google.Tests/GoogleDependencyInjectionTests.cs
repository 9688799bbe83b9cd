using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RegistryCredentials.Google.Tests.Support;
using RegistryCredentials.Tests.Support;

namespace RegistryCredentials.Google.Tests;

/// <summary><c>AddGoogle()</c>: registration, options validation, and what happens without it.</summary>
public class GoogleDependencyInjectionTests
{
    [Test]
    public void AddGoogle_registers_one_provider_for_gcr()
    {
        using var host = new TestHost(build: b => b.AddGoogle().AddGoogle(o => o.ExchangeForAccessToken = true));
        var providers = host.Services.GetServices<RegistryCredentialProvider>().ToList();

        Assert.That(providers.OfType<GoogleCredentialProvider>().Count(), Is.EqualTo(1));
        Assert.That(providers.OfType<GoogleCredentialProvider>().Single().Type, Is.EqualTo(RegistryType.Google));
        Assert.That(host.Services.GetRequiredService<IOptions<GoogleOptions>>().Value.ExchangeForAccessToken, Is.True);
    }

    [Test]
    public void Default_options()
    {
        var options = new GoogleOptions();
        Assert.Multiple(() =>
        {
            Assert.That(options.ExchangeForAccessToken, Is.False);
            Assert.That(options.AllowApplicationDefault, Is.False);
            Assert.That(options.Scope, Is.EqualTo("https://www.googleapis.com/auth/cloud-platform"), "docker-credential-gcr's GCRScopes");
            Assert.That(options.TokenUri, Is.Null);
            Assert.That(options.TokenRequestTimeout, Is.EqualTo(TimeSpan.FromSeconds(30)));
            Assert.That(options.HttpClientFactory, Is.Null);
            Assert.That(GoogleOptions.SectionName, Is.EqualTo("RegistryCredentials:Google"));
        });
    }

    [Test]
    public async Task Without_AddGoogle_a_google_host_is_refused()
    {
        using var host = new TestHost();
        var exception = await GoogleHosts.CatchAsync(
            () => host.Manager.AddAsync(new RegistryAddRequest { Scope = "gcr.io/acme/*", Username = "_json_key", Password = "{}" }));
        Assert.That(exception, Is.InstanceOf<RegistryTypeNotSupportedException>());
    }

    [TestCase("gcr.io")]
    [TestCase("eu.gcr.io/acme")]
    [TestCase("us-central1-docker.pkg.dev/project/repo")]
    [TestCase("docker.us-central1.rep.pkg.dev/project")]
    [TestCase("*.gcr.io")]
    public async Task Google_hosts_get_type_gcr(string scope)
    {
        using var host = GoogleHosts.Create();
        var entry = await host.Manager.AddAsync(new RegistryAddRequest
        {
            Scope = scope,
            Username = "oauth2accesstoken",
            Password = "ya29." + TestHost.NewSecret(),
        });
        Assert.That(entry.Type, Is.EqualTo(RegistryType.Google));
        Assert.That(entry.Type.Value, Is.EqualTo("gcr"));
    }

    [Test]
    public void Invalid_options_are_reported_together_when_the_manager_is_created()
    {
        using var host = GoogleHosts.Create(o =>
        {
            o.Scope = " ";
            o.TokenUri = new Uri("http://oauth.example.com/token");
            o.TokenRequestTimeout = TimeSpan.Zero;
        });
        var exception = Assert.Throws<OptionsValidationException>(() => _ = host.Manager);
        Assert.That(exception!.Failures.ToList(), Has.Count.EqualTo(3));
        Assert.That(exception.Message, Does.Contain("Scope").And.Contain("must use https").And.Contain("TokenRequestTimeout"));
    }

    [Test]
    public void Loopback_http_and_any_https_token_uri_are_valid()
    {
        foreach (var uri in new[]
        {
            "http://127.0.0.1:8080/token",
            "http://localhost/token",
            "http://[::1]:9/token",
            "https://oauth2-psc.p.googleapis.com/token",
        })
        {
            using var host = GoogleHosts.Create(o => o.TokenUri = new Uri(uri));
            Assert.That(() => host.Manager, Throws.Nothing, uri);
        }
    }
}
