using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using RegistryCredentials.Google.Tests.Support;
using RegistryCredentials.Tests.Support;
using RegistryCredentials.Tests.Support.Registry;

namespace RegistryCredentials.Google.Tests;

/// <summary>
/// The whole path a user runs, against the real CNCF distribution registry in token-auth mode: its token server compares
/// the whole user name and password, so it is given exactly the credential the provider must produce. Validation on add
/// (the built-in v2 validator) and a pull through <c>AddRegistryAuthentication()</c> must both succeed.
/// </summary>
[Category("RealRegistry")]
[NonParallelizable]
public class GoogleEndToEndTests
{
    private DistributionRegistry _registry = null!;
    private FakeGoogleOAuthServer _oauth = null!;
    private TestServiceAccount _account = null!;

    [OneTimeSetUp]
    public async Task OneTimeSetUp()
    {
        _registry = await DistributionRegistry.StartAsync(RegistryMode.TokenTls);
        _oauth = await FakeGoogleOAuthServer.StartAsync();
        _account = TestServiceAccount.Create(_oauth.TokenUri);
        _oauth.Trust(_account);
    }

    [OneTimeTearDown]
    public async Task OneTimeTearDown()
    {
        await _registry.DisposeAsync();
        await _oauth.DisposeAsync();
        _account.Dispose();
    }

    [SetUp]
    public void SetUp()
    {
        _registry.Token!.ResetRequests();
        _oauth.ResetCounts();
    }

    private static TestHost Host(Action<GoogleOptions>? configure = null) =>
        GoogleHosts.Create(configure, withValidator: false, build: b => b.Services.AddHttpClient("registry").AddRegistryAuthentication());

    private Task<RegistryEntry> AddAsync(TestHost host, string username, string password) => host.Manager.AddAsync(new RegistryAddRequest
    {
        Scope = _registry.Registry,
        Type = RegistryType.Google, // 127.0.0.1:port would be guessed docker_v2
        Username = username,
        Password = password,
        CaCertificates = _registry.CaPem,
    });

    private async Task PullAsync(TestHost host)
    {
        using var client = host.Services.GetRequiredService<IHttpClientFactory>().CreateClient("registry");
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_registry.BaseUri, $"v2/{_registry.Repository}/manifests/{_registry.Tag}"));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(_registry.ManifestMediaType));
        using var response = await client.SendAsync(request);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var manifest = await response.Content.ReadAsByteArrayAsync();
        Assert.That("sha256:" + Convert.ToHexStringLower(SHA256.HashData(manifest)), Is.EqualTo(_registry.ManifestDigest));
    }

    [Test]
    public async Task Json_key_passed_through_is_accepted_on_add_and_on_pull()
    {
        _registry.Token!.AddUser("_json_key", _account.Json);
        using var host = Host();

        var entry = await AddAsync(host, "_json_key", _account.Json);
        Assert.That(entry.Type, Is.EqualTo(RegistryType.Google));
        await PullAsync(host);

        Assert.That(_registry.Token.Requests, Is.Not.Empty);
        Assert.That(_registry.Token.Requests.Select(r => r.Username), Is.All.EqualTo("_json_key"));
        Assert.That(_registry.Token.Requests.Select(r => r.StatusCode), Is.All.EqualTo(200));
        Assert.That(_oauth.RequestCount, Is.Zero, "pass-through never asks Google");
    }

    [Test]
    public async Task Base64_key_passed_through_as_given_is_accepted()
    {
        _registry.Token!.AddUser("_json_key_base64", _account.Base64);
        using var host = Host();

        await AddAsync(host, "_json_key_base64", _account.Base64);
        await PullAsync(host);

        Assert.That(_registry.Token.Requests, Is.Not.Empty);
        Assert.That(_registry.Token.Requests.Select(r => r.Username), Is.All.EqualTo("_json_key_base64"));
    }

    [Test]
    public async Task Exchanged_access_token_is_accepted_on_add_and_on_pull()
    {
        var accessToken = "ya29.e2e-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        _oauth.NextTokens.Enqueue(accessToken);
        _registry.Token!.AddUser("oauth2accesstoken", accessToken);
        using var host = Host(o => o.ExchangeForAccessToken = true);
        _oauth.Clock = host.Time.GetUtcNow;

        await AddAsync(host, "_json_key", _account.Json);
        await PullAsync(host);

        Assert.That(_oauth.IssuedTokens, Is.EqualTo(new[] { accessToken }), "one token request: the validation's token serves the pull");
        Assert.That(_oauth.Rejections, Is.Empty);
        Assert.That(_registry.Token.Requests, Is.Not.Empty);
        Assert.That(_registry.Token.Requests.Select(r => r.Username), Is.All.EqualTo("oauth2accesstoken"));
        Assert.That(_registry.Token.Requests.Select(r => r.StatusCode), Is.All.EqualTo(200));
    }

    [Test]
    public async Task A_key_the_registry_does_not_know_fails_validation_and_nothing_is_stored()
    {
        using var other = TestServiceAccount.Create(_oauth.TokenUri);
        _registry.Token!.AddUser("_json_key", _account.Json);
        using var host = Host();

        var exception = await GoogleHosts.CatchAsync(() => AddAsync(host, "_json_key", other.Json));

        Assert.That(exception, Is.InstanceOf<RegistryValidationException>());
        Assert.That(((RegistryValidationException)exception!).Result!.Outcome, Is.EqualTo(RegistryValidationOutcome.Unauthorized));
        foreach (var fragment in other.SecretFragments)
        {
            Assert.That(exception.ToString(), Does.Not.Contain(fragment));
        }

        Assert.That(await host.Manager.ListAsync(), Is.Empty);
    }
}
