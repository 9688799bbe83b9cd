using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using RegistryCredentials.Tests.Support;
using RegistryCredentials.Tests.Support.Registry;

namespace RegistryCredentials.Tests.Registry;

/// <summary>Pulls through an <see cref="HttpClient"/> with <c>AddRegistryAuthentication()</c>, against the real registry.</summary>
[Category("RealRegistry")]
public class RegistryAuthenticationHandlerTests
{
    private TestHost _host = null!;

    [SetUp]
    public void SetUp() => _host = new TestHost(withValidator: false, build: b => b.Services.AddHttpClient("registry").AddRegistryAuthentication());

    [TearDown]
    public void TearDown() => _host.Dispose();

    private HttpClient Client() => _host.Services.GetRequiredService<IHttpClientFactory>().CreateClient("registry");

    private Task<RegistryEntry> AddAsync(DistributionRegistry registry) => _host.Manager.AddAsync(new RegistryAddRequest
    {
        Scope = registry.Registry + "/test/*",
        Username = registry.Username,
        Password = registry.Password,
        CaCertificates = registry.CaPem,
        InsecureHttp = !registry.IsTls,
        Validate = false,
    });

    private static HttpRequestMessage Manifest(DistributionRegistry registry)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(registry.BaseUri, $"v2/{registry.Repository}/manifests/{registry.Tag}"));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(registry.ManifestMediaType));
        return request;
    }

    [TestCase(RegistryMode.HtpasswdTls)]
    [TestCase(RegistryMode.TokenTls)]
    [TestCase(RegistryMode.PlainHttpHtpasswd)]
    public async Task Manifest_and_blob_are_pulled_with_the_stored_credential(RegistryMode mode)
    {
        await using var registry = await DistributionRegistry.StartAsync(mode);
        await AddAsync(registry);
        using var client = Client();

        using var manifest = await client.SendAsync(Manifest(registry));
        Assert.That(manifest.StatusCode, Is.EqualTo(HttpStatusCode.OK), await manifest.Content.ReadAsStringAsync());
        var manifestBytes = await manifest.Content.ReadAsByteArrayAsync();
        Assert.That("sha256:" + Convert.ToHexStringLower(SHA256.HashData(manifestBytes)), Is.EqualTo(registry.ManifestDigest));

        var blob = await client.GetByteArrayAsync(new Uri(registry.BaseUri, $"v2/{registry.Repository}/blobs/{registry.LayerDigest}"));
        Assert.That(blob, Is.EqualTo(registry.LayerBytes));
    }

    [Test]
    public async Task Many_concurrent_pulls_of_one_repository_make_one_token_request()
    {
        await using var registry = await DistributionRegistry.StartAsync(RegistryMode.TokenTls);
        await AddAsync(registry);
        using var client = Client();

        var pulls = Enumerable.Range(0, 50).Select(async i =>
        {
            using var request = i % 2 == 0 ? Manifest(registry) : new HttpRequestMessage(
                HttpMethod.Get,
                new Uri(registry.BaseUri, $"v2/{registry.Repository}/blobs/{registry.LayerDigest}"));
            using var response = await client.SendAsync(request);
            return response.StatusCode;
        });
        var statuses = await Task.WhenAll(pulls);

        Assert.That(statuses, Is.All.EqualTo(HttpStatusCode.OK));
        Assert.That(registry.Token!.RequestCount, Is.EqualTo(1));
        Assert.That(registry.Token.Requests.Single().Scopes, Is.EqualTo(new[] { "repository:test/app:pull" }));

        // Later requests go out authorised at once, with the cached token.
        using var again = await client.SendAsync(Manifest(registry));
        Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(registry.Token.RequestCount, Is.EqualTo(1));
    }

    [Test]
    public async Task Expired_token_is_fetched_again()
    {
        await using var registry = await DistributionRegistry.StartAsync(RegistryMode.TokenTls);
        registry.Token!.ExpiresIn = 60;
        await AddAsync(registry);
        using var client = Client();
        using (var first = await client.SendAsync(Manifest(registry)))
        {
            Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        _host.Time.Advance(TimeSpan.FromSeconds(56));
        using var second = await client.SendAsync(Manifest(registry));
        Assert.That(second.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(registry.Token.RequestCount, Is.EqualTo(2));
    }

    [Test]
    public async Task Anonymous_pull_gets_an_anonymous_token()
    {
        await using var registry = await DistributionRegistry.StartAsync(RegistryMode.TokenTls);
        registry.Token!.AllowAnonymousPull = true;
        await _host.Manager.AddAsync(new RegistryAddRequest
        {
            // An entry elsewhere carries the CA; this registry has none, so the pull is anonymous.
            Scope = registry.Registry + "/other", Username = "x", Password = "y", CaCertificates = registry.CaPem, Validate = false,
        });
        using var client = new HttpClient(registry.Certificates.CreateTrustingHandler());
        using var direct = await client.SendAsync(Manifest(registry));
        Assert.That(direct.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "the registry needs a token");

        var resolution = await _host.Resolver.ResolveAsync(registry.Registry + "/test/app");
        Assert.That(resolution.Kind, Is.EqualTo(RegistryResolutionKind.Anonymous));
    }

    [Test]
    public async Task Denied_pull_throws_before_any_request()
    {
        await using var registry = await DistributionRegistry.StartAsync(RegistryMode.HtpasswdTls);
        await AddAsync(registry);
        await _host.Manager.DeactivateAsync(registry.Registry + "/test/*");
        using var client = Client();

        var error = Assert.ThrowsAsync<RegistryPullDeniedException>(() => client.SendAsync(Manifest(registry)));
        Assert.That(error!.Resolution.DenialReason, Is.EqualTo(RegistryDenialReason.EntryInactive));
    }

    [Test]
    public async Task Credential_is_never_sent_over_plain_http_to_an_entry_not_marked_insecure()
    {
        await using var registry = await DistributionRegistry.StartAsync(RegistryMode.PlainHttpHtpasswd);
        await _host.Manager.AddAsync(new RegistryAddRequest
        {
            Scope = registry.Registry, Username = registry.Username, Password = registry.Password, Validate = false,
        });
        using var client = Client();
        var error = Assert.ThrowsAsync<RegistryAuthenticationException>(() => client.SendAsync(Manifest(registry)));
        Assert.That(error!.Message, Does.Contain("plain HTTP"));
    }

    [Test]
    public async Task Deleting_the_entry_drops_its_tokens()
    {
        await using var registry = await DistributionRegistry.StartAsync(RegistryMode.TokenTls);
        await AddAsync(registry);
        using var client = Client();
        (await client.SendAsync(Manifest(registry))).Dispose();
        var cache = _host.Services.GetRequiredService<RegistryTokenCache>();
        Assert.That(cache.Count, Is.EqualTo(1));

        await _host.Manager.DeleteAsync(registry.Registry + "/test/*");
        Assert.That(cache.Count, Is.Zero);
    }

    [Test]
    public async Task Redirect_to_another_host_does_not_carry_the_authorization_header()
    {
        await using var storage = await LoopbackHttpServer.StartAsync(context => context.Response.WriteAsync("layer-bytes"), address: "127.0.0.2");
        await using var registry = await LoopbackHttpServer.StartAsync(context =>
        {
            if (context.Request.Headers.Authorization.Count == 0)
            {
                context.Response.StatusCode = 401;
                context.Response.Headers.WWWAuthenticate = "Basic realm=\"r\"";
            }
            else
            {
                context.Response.StatusCode = 307;
                context.Response.Headers.Location = storage.BaseUri + "bucket/blob?signature=abc";
            }

            return Task.CompletedTask;
        });
        await _host.Manager.AddAsync(new RegistryAddRequest
        {
            Scope = registry.Authority, Username = "u", Password = TestHost.NewSecret(), InsecureHttp = true, Validate = false,
        });
        using var client = Client();

        var body = await client.GetStringAsync(registry.BaseUri + "v2/app/blobs/sha256:" + new string('a', 64));

        Assert.That(body, Is.EqualTo("layer-bytes"));
        Assert.That(registry.Requests.Last().Authorization, Does.StartWith("Basic "));
        var atStorage = storage.Requests.Single();
        Assert.That(atStorage.Authorization, Is.Empty);
        Assert.That(atStorage.Query, Is.EqualTo("?signature=abc"));
    }

    [Test]
    public async Task Insufficient_scope_is_retried_with_the_server_scope()
    {
        await using var tokens = await LoopbackHttpServer.StartAsync(context =>
        {
            var scope = context.Request.Query["scope"].ToString();
            return context.Response.WriteAsync($"{{\"token\":\"tok:{scope}\"}}");
        });
        await using var registry = await LoopbackHttpServer.StartAsync(context =>
        {
            var authorization = context.Request.Headers.Authorization.ToString();
            if (authorization == "Bearer tok:repository:app:pull,push")
            {
                return context.Response.WriteAsync("ok");
            }

            context.Response.StatusCode = 401;
            context.Response.Headers.WWWAuthenticate = authorization.Length == 0
                ? $"Bearer realm=\"{tokens.BaseUri}token\",service=\"s\""
                : $"Bearer realm=\"{tokens.BaseUri}token\",service=\"s\",scope=\"repository:app:pull,push\",error=\"insufficient_scope\"";
            return Task.CompletedTask;
        });
        await _host.AddAsync(registry.Authority, type: RegistryType.DockerV2);
        await _host.Manager.UpdateAsync(new RegistryUpdateRequest { Scope = registry.Authority, InsecureHttp = true, Validate = false });
        using var client = Client();

        // 401 (no token) -> pull token -> 401 insufficient_scope -> token with the server's scope -> 200.
        using var response = await client.GetAsync(registry.BaseUri + "v2/app/manifests/v1");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(tokens.Requests.Select(r => r.Query), Is.EqualTo(new[]
        {
            "?service=s&scope=repository%3Aapp%3Apull",
            "?service=s&scope=repository%3Aapp%3Apull%2Cpush",
        }));
        Assert.That(registry.Requests, Has.Count.EqualTo(3));
    }

    [Test]
    public async Task A_token_the_registry_refuses_is_evicted_and_fetched_again()
    {
        var issued = 0;
        await using var tokens = await LoopbackHttpServer.StartAsync(context =>
            context.Response.WriteAsync($"{{\"token\":\"tok{Interlocked.Increment(ref issued)}\",\"expires_in\":3600}}"));
        var accepted = "Bearer tok1";
        await using var registry = await LoopbackHttpServer.StartAsync(context =>
        {
            if (context.Request.Headers.Authorization.ToString() == accepted)
            {
                return context.Response.WriteAsync("ok");
            }

            context.Response.StatusCode = 401;
            context.Response.Headers.WWWAuthenticate = $"Bearer realm=\"{tokens.BaseUri}token\",service=\"s\",error=\"invalid_token\"";
            return Task.CompletedTask;
        });
        await _host.Manager.AddAsync(new RegistryAddRequest
        {
            Scope = registry.Authority, Username = "u", Password = TestHost.NewSecret(), InsecureHttp = true, Validate = false,
        });
        using var client = Client();
        using (var first = await client.GetAsync(registry.BaseUri + "v2/app/manifests/v1"))
        {
            Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        accepted = "Bearer tok2"; // the registry revokes tok1
        using var second = await client.GetAsync(registry.BaseUri + "v2/app/manifests/v1");

        Assert.That(second.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(issued, Is.EqualTo(2));
        Assert.That(registry.Requests.Select(r => r.Authorization), Is.EqualTo(new[] { string.Empty, "Bearer tok1", "Bearer tok1", "Bearer tok2" }));
    }

    [Test]
    public async Task A_refused_stored_credential_is_reported_to_its_provider()
    {
        var provider = new CountingProvider();
        _host.Dispose();
        _host = new TestHost(withValidator: false, build: b =>
        {
            b.Services.AddSingleton<RegistryCredentialProvider>(provider);
            b.Services.AddHttpClient("registry").AddRegistryAuthentication();
        });
        await using var registry = await LoopbackHttpServer.StartAsync(context =>
        {
            context.Response.StatusCode = 401;
            context.Response.Headers.WWWAuthenticate = "Basic realm=\"r\"";
            return Task.CompletedTask;
        });
        await _host.Manager.AddAsync(new RegistryAddRequest
        {
            Scope = registry.Authority, Username = "u", Password = TestHost.NewSecret(), Type = CountingProvider.Counting,
            InsecureHttp = true, Validate = false,
        });
        using var client = Client();

        using var response = await client.GetAsync(registry.BaseUri + "v2/app/manifests/v1");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(provider.Invalidated, Is.EqualTo(1));
        Assert.That(registry.Requests.Select(r => r.Authorization.Split(' ')[0]), Is.EqualTo(new[] { string.Empty, "Basic" }));
    }

    /// <summary>A provider of its own type that counts how often its credential was reported refused.</summary>
    private sealed class CountingProvider : RegistryCredentialProvider
    {
        public static readonly RegistryType Counting = RegistryType.Parse("counting");

        public int Invalidated { get; private set; }

        public override RegistryType Type => Counting;

        public override ValueTask<RegistryCredential> GetCredentialAsync(
            RegistryEntry entry,
            RegistrySecret secret,
            CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(RegistryCredential.FromUsernamePassword(entry.Username, secret));

        public override ValueTask InvalidateAsync(RegistryEntry entry, CancellationToken cancellationToken = default)
        {
            Invalidated++;
            return ValueTask.CompletedTask;
        }
    }
}
