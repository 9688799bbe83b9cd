using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using RegistryCredentials.Azure.Tests.Support;
using RegistryCredentials.Tests.Support;
using RegistryCredentials.Tests.Support.Registry;

namespace RegistryCredentials.Azure.Tests;

/// <summary>
/// End to end against the real CNCF distribution registry in token-auth mode, whose token server compares the whole user
/// name and password: the credential the provider produces, validated on add through the core's v2 validator.
/// </summary>
[Category("RealRegistry")]
public class RealRegistryTests
{
    [TestCase(false)]
    [TestCase(true)]
    public async Task Admin_user_and_service_principal_pass_through_and_validate_on_add(bool servicePrincipal)
    {
        await using var registry = await DistributionRegistry.StartAsync(RegistryMode.TokenTls, pushImage: false);
        var username = registry.Username;
        var password = registry.Password;
        if (servicePrincipal)
        {
            // A service principal signs in with its application id and a client secret.
            username = Guid.NewGuid().ToString();
            password = TestHost.NewSecret();
            registry.Token!.AddUser(username, password);
        }

        using var host = new TestHost(
            withValidator: false,
            build: b => b.AddAzure(o => o.CredentialFactory = _ => throw new AssertionException("no Entra ID call for pass-through")));
        var entry = await host.Manager.AddAsync(new RegistryAddRequest
        {
            Scope = registry.Registry,
            Type = RegistryType.Azure,
            Username = username,
            Password = password,
            CaCertificates = registry.CaPem,
        });

        Assert.That(entry.Type, Is.EqualTo(RegistryType.Azure));
        Assert.That(registry.Token!.Requests.Select(r => r.Username), Is.EqualTo(new[] { username }), "the token server saw exactly the stored user");
        var credential = (await host.Resolver.ResolveAsync(registry.Registry + "/test/app:v1")).Credential!;
        Assert.That(credential.Username, Is.EqualTo(username));
        Assert.That(credential.Secret.Reveal(), Is.EqualTo(password));
    }

    [Test]
    public async Task Exchanged_refresh_token_is_accepted_by_the_registry_for_validation_and_a_pull()
    {
        await using var registry = await DistributionRegistry.StartAsync(RegistryMode.TokenTls);
        await using var env = await AzureTestEnvironment.StartAsync(
            withValidator: false,
            registry: registry,
            build: b => b.Services.AddHttpClient("registry").AddRegistryAuthentication());

        // The registry's token server accepts exactly the refresh tokens the exchange issued, as the empty-GUID user.
        env.Front.OnIssued = token => registry.Token!.AddUser(AzureCredentialProvider.RefreshTokenUsername, token);

        var entry = await env.AddEntraEntryAsync(validate: true);

        Assert.That(entry.Username, Is.EqualTo(env.ClientUsername));
        Assert.That(env.Front.Exchanges, Is.EqualTo(1));
        Assert.That(env.Front.Problems, Is.Empty);
        Assert.That(env.Entra.Problems, Is.Empty);
        Assert.That(
            registry.Token!.Requests.Select(r => (r.Username, r.StatusCode)),
            Is.EqualTo(new[] { ((string?)AzureCredentialProvider.RefreshTokenUsername, 200) }));

        // A pull through the same host:port, with the cached refresh token (no second exchange).
        using var client = env.Host.Services.GetRequiredService<IHttpClientFactory>().CreateClient("registry");
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(env.Front.BaseUri, $"v2/{registry.Repository}/manifests/{registry.Tag}"));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(registry.ManifestMediaType));
        using var manifest = await client.SendAsync(request);
        Assert.That(manifest.StatusCode, Is.EqualTo(HttpStatusCode.OK), await manifest.Content.ReadAsStringAsync());
        Assert.That(manifest.Headers.GetValues("Docker-Content-Digest").Single(), Is.EqualTo(registry.ManifestDigest));
        Assert.That(env.Front.Exchanges, Is.EqualTo(1));
    }

    [Test]
    public async Task Refresh_token_the_registry_does_not_accept_fails_validation_and_nothing_is_stored()
    {
        await using var registry = await DistributionRegistry.StartAsync(RegistryMode.TokenTls, pushImage: false);
        await using var env = await AzureTestEnvironment.StartAsync(withValidator: false, registry: registry);
        // No OnIssued: the token server does not know the refresh token.

        var e = Assert.ThrowsAsync<RegistryValidationException>(() => env.AddEntraEntryAsync(validate: true));
        Assert.That(e!.Outcome, Is.EqualTo(RegistryValidationOutcome.Unauthorized));
        Assert.That(e.Message, Does.Not.Contain(env.Front.IssuedTokens.Single()));
        Assert.That(await env.Host.Store.ListAsync(null), Is.Empty);
    }
}
