using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using RegistryCredentials.Tests.Support;

namespace RegistryCredentials.Tests.Protocol;

/// <summary>
/// A 403 on a pull sent with a token or a provider's credential is reported like a 401: the provider drops its token,
/// the registry token is evicted, and the pull is retried once with a fresh one. The registries are loopback fakes that
/// answer a revoked token as ECR answers an expired one: <c>403</c> with the distribution error code <c>DENIED</c>
/// ("denied: Your authorization token has expired. Reauthenticate and try again.", as reported in aws/aws-cli#6580;
/// distribution's registry/api/errcode maps <c>DENIED</c> to HTTP 403).
/// </summary>
public class RejectedCredentialTests
{
    private const string Expired = "{\"errors\":[{\"code\":\"DENIED\",\"message\":\"Your authorization token has expired. Reauthenticate and try again.\"}]}";

    private RevocableProvider _provider = null!;
    private TestHost _host = null!;

    [SetUp]
    public void SetUp()
    {
        _provider = new RevocableProvider();
        _host = new TestHost(withValidator: false, build: b =>
        {
            b.Services.AddSingleton<RegistryCredentialProvider>(_provider);
            b.Services.AddHttpClient("registry").AddRegistryAuthentication();
        });
    }

    [TearDown]
    public void TearDown() => _host.Dispose();

    private HttpClient Client() => _host.Services.GetRequiredService<IHttpClientFactory>().CreateClient("registry");

    private static string Basic(string user, string password) => "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + password));

    private static async Task DenyAsync(HttpContext context)
    {
        context.Response.StatusCode = 403;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(Expired);
    }

    [TestCase(403)]
    [TestCase(401)]
    public async Task A_revoked_provider_token_is_dropped_and_the_pull_retried_once_with_a_fresh_one(int refusal)
    {
        // ECR's shape: a Basic challenge, the provider's token as the password, 403 once that token is revoked (or a
        // registry that answers 401 to it).
        var accepted = Basic("AWS", _provider.TokenOf(1));
        await using var registry = await LoopbackHttpServer.StartAsync(context =>
        {
            var authorization = context.Request.Headers.Authorization.ToString();
            if (authorization.Length == 0 || (authorization != accepted && refusal == 401))
            {
                context.Response.StatusCode = 401;
                context.Response.Headers.WWWAuthenticate = "Basic realm=\"ecr\",service=\"ecr.amazonaws.com\"";
                return Task.CompletedTask;
            }

            return authorization == accepted ? context.Response.WriteAsync("{}") : DenyAsync(context);
        });
        await AddAsync(registry, RevocableProvider.Revocable);
        using var client = Client();
        using (var first = await client.GetAsync(registry.BaseUri + "v2/app/manifests/v1"))
        {
            Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        accepted = Basic("AWS", _provider.TokenOf(2)); // the token is revoked before its scheduled refresh
        using var second = await client.GetAsync(registry.BaseUri + "v2/app/manifests/v1");

        Assert.That(second.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(_provider.Invalidated, Is.EqualTo(1));
        Assert.That(registry.Requests.Select(r => r.Authorization), Is.EqualTo(new[]
        {
            string.Empty, Basic("AWS", _provider.TokenOf(1)), Basic("AWS", _provider.TokenOf(1)), Basic("AWS", _provider.TokenOf(2)),
        }));
        Assert.That(_host.Logs.Lines, Has.One.Contains("refused the credential"));
    }

    [Test]
    public async Task A_403_to_a_revoked_registry_token_evicts_it_and_fetches_one_again()
    {
        var issued = 0;
        await using var tokens = await LoopbackHttpServer.StartAsync(context =>
            context.Response.WriteAsync($"{{\"token\":\"tok{Interlocked.Increment(ref issued)}\",\"expires_in\":3600}}"));
        var accepted = "Bearer tok1";
        await using var registry = await LoopbackHttpServer.StartAsync(context =>
        {
            var authorization = context.Request.Headers.Authorization.ToString();
            if (authorization.Length == 0)
            {
                context.Response.StatusCode = 401;
                context.Response.Headers.WWWAuthenticate = $"Bearer realm=\"{tokens.BaseUri}token\",service=\"s\"";
                return Task.CompletedTask;
            }

            return authorization == accepted ? context.Response.WriteAsync("{}") : DenyAsync(context);
        });
        await AddAsync(registry, RegistryType.DockerV2);
        using var client = Client();
        (await client.GetAsync(registry.BaseUri + "v2/app/manifests/v1")).Dispose();

        accepted = "Bearer tok2"; // the registry revokes tok1 long before its expires_in
        using var second = await client.GetAsync(registry.BaseUri + "v2/app/manifests/v1");

        Assert.That(second.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(issued, Is.EqualTo(2));
        Assert.That(registry.Requests.Select(r => r.Authorization), Is.EqualTo(new[] { string.Empty, "Bearer tok1", "Bearer tok1", "Bearer tok2" }));
    }

    [Test]
    public async Task A_403_that_persists_is_returned_after_one_retry()
    {
        await using var registry = await LoopbackHttpServer.StartAsync(context =>
        {
            if (context.Request.Headers.Authorization.Count == 0)
            {
                context.Response.StatusCode = 401;
                context.Response.Headers.WWWAuthenticate = "Basic realm=\"ecr\"";
                return Task.CompletedTask;
            }

            return DenyAsync(context);
        });
        await AddAsync(registry, RevocableProvider.Revocable);
        using var client = Client();

        using var response = await client.GetAsync(registry.BaseUri + "v2/app/manifests/v1");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("DENIED"), "the registry's answer reaches the caller");
        Assert.That(_provider.Invalidated, Is.EqualTo(1), "dropped and fetched again once, not in a loop");
        Assert.That(registry.Requests.Select(r => r.Authorization), Is.EqualTo(new[]
        {
            string.Empty, Basic("AWS", _provider.TokenOf(1)), Basic("AWS", _provider.TokenOf(2)),
        }));
    }

    [Test]
    public async Task A_403_to_a_stored_password_is_an_answer_about_permission_and_is_not_retried()
    {
        var password = TestHost.NewSecret();
        await using var registry = await LoopbackHttpServer.StartAsync(context =>
        {
            if (context.Request.Headers.Authorization.Count == 0)
            {
                context.Response.StatusCode = 401;
                context.Response.Headers.WWWAuthenticate = "Basic realm=\"r\"";
                return Task.CompletedTask;
            }

            return DenyAsync(context);
        });
        await _host.Manager.AddAsync(new RegistryAddRequest
        {
            Scope = registry.Authority, Username = "u", Password = password, InsecureHttp = true, Validate = false,
        });
        using var client = Client();

        using var response = await client.GetAsync(registry.BaseUri + "v2/app/manifests/v1");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(registry.Requests.Select(r => r.Authorization), Is.EqualTo(new[] { string.Empty, Basic("u", password) }));
        Assert.That(_host.Logs.Lines, Has.None.Contains("refused the credential"));
    }

    private Task<RegistryEntry> AddAsync(LoopbackHttpServer registry, RegistryType type) => _host.Manager.AddAsync(new RegistryAddRequest
    {
        Scope = registry.Authority, Username = "AWS", Password = TestHost.NewSecret(), Type = type, InsecureHttp = true, Validate = false,
    });

    /// <summary>
    /// A provider whose credential is a token with an expiry (like ECR's: user <c>AWS</c>, the token as password, 12 h),
    /// kept until the registry refuses it (<see cref="InvalidateAsync"/>), after which it hands out the next one.
    /// </summary>
    private sealed class RevocableProvider : RegistryCredentialProvider
    {
        public static readonly RegistryType Revocable = RegistryType.Parse("revocable");

        private readonly string _run = Guid.NewGuid().ToString("N");
        private int _generation = 1;
        private int _invalidated;

        public int Invalidated => Volatile.Read(ref _invalidated);

        public override RegistryType Type => Revocable;

        public string TokenOf(int generation) => $"provider-token-{_run}-{generation}";

        public override ValueTask<RegistryCredential> GetCredentialAsync(
            RegistryEntry entry,
            RegistrySecret secret,
            CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(RegistryCredential.FromUsernamePassword(
                "AWS", RegistrySecret.FromString(TokenOf(Volatile.Read(ref _generation))), TestHost.Start.AddHours(12), TestHost.Start.AddHours(6)));

        public override ValueTask InvalidateAsync(RegistryEntry entry, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _invalidated);
            Interlocked.Increment(ref _generation);
            return ValueTask.CompletedTask;
        }
    }
}
