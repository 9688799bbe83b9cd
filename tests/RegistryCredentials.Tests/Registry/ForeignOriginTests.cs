using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using RegistryCredentials.Tests.Support;
using RegistryCredentials.Tests.Support.Registry;

namespace RegistryCredentials.Tests.Registry;

/// <summary>
/// An entry's credential, and the tokens minted with it, go only to the origin (scheme, host, port) of the registry the
/// pull started at and to token realms that origin named. The registry is the real distribution registry with its
/// <c>redirect</c> storage middleware (registry/storage/driver/middleware/redirect: blob GETs answer
/// <c>307 Temporary Redirect</c> to <c>baseurl</c> + the driver path, as a registry on S3 or GCS answers with a
/// pre-signed URL; the v2 API spec: "This endpoint may issue a 307 … redirect to another service for downloading the
/// layer"). The storage is <see cref="FakeBlobStorage"/> on another loopback origin.
/// </summary>
[Category("RealRegistry")]
public class ForeignOriginTests
{
    private const int PullsPerScenario = 3;

    private static readonly Lazy<TestCertificate> OtherHostCertificate = new(() => TestCertificates.Shared.IssueServerCertificate(
        "storage-127-0-0-2", [], [IPAddress.Parse("127.0.0.2")], TimeProvider.System.GetUtcNow().AddDays(-1), TimeProvider.System.GetUtcNow().AddDays(7)));

    private TestHost _host = null!;

    [SetUp]
    public void SetUp() => _host = new TestHost(withValidator: false, build: b => b.Services.AddHttpClient("registry").AddRegistryAuthentication());

    [TearDown]
    public void TearDown() => _host.Dispose();

    private HttpClient Client() => _host.Services.GetRequiredService<IHttpClientFactory>().CreateClient("registry");

    private static Task<FakeBlobStorage> StartStorageAsync(BlobStorageBehaviour behaviour, string address) =>
        FakeBlobStorage.StartAsync(
            behaviour,
            address == "127.0.0.1" ? TestCertificates.Shared.Server.Certificate : OtherHostCertificate.Value.Certificate,
            address);

    private Task<RegistryEntry> AddAsync(DistributionRegistry registry) => _host.Manager.AddAsync(new RegistryAddRequest
    {
        Scope = registry.Registry + "/test/*",
        Username = registry.Username,
        Password = registry.Password,
        CaCertificates = registry.CaPem,
        Validate = false,
    });

    private static HttpRequestMessage Manifest(DistributionRegistry registry)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(registry.BaseUri, $"v2/{registry.Repository}/manifests/{registry.Tag}"));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(registry.ManifestMediaType));
        return request;
    }

    private static Uri Blob(DistributionRegistry registry) => new(registry.BaseUri, $"v2/{registry.Repository}/blobs/{registry.LayerDigest}");

    /// <summary>Nothing of the registry's credential, nor any token, ever reached the storage origin.</summary>
    private static void AssertNothingLeaked(FakeBlobStorage storage, DistributionRegistry registry)
    {
        Assert.That(storage.Requests, Is.Not.Empty, "the registry redirected to the storage");
        Assert.That(storage.Requests.Select(r => r.Authorization), Is.All.Empty, "no Authorization header reached the storage origin");
        Assert.That(storage.Requests.Where(r => r.Path == "/token"), Is.Empty, "the storage's token realm was never asked");
        Assert.That(storage.TokensMinted, Is.Zero, "no token of the storage's exists to be sent anywhere");
        var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes(registry.Username + ":" + registry.Password));
        foreach (var request in storage.Requests)
        {
            var seen = request.Path + request.Query + request.Form + request.Authorization;
            Assert.That(seen, Does.Not.Contain(registry.Password).And.Not.Contain(basic).And.Not.Contain(Uri.EscapeDataString(registry.Password)));
        }
    }

    // Registry: htpasswd (Basic) or token auth (Bearer). Storage: on the same host with another port, or on another host;
    // asking for its own Bearer token, for Basic, or forbidding. Every later pull repeats the same way.
    [Test]
    [Combinatorial]
    public async Task A_401_or_403_from_a_foreign_storage_origin_is_returned_untouched_and_nothing_leaks(
        [Values(RegistryMode.HtpasswdTls, RegistryMode.TokenTls)] RegistryMode mode,
        [Values(BlobStorageBehaviour.ForeignBearer, BlobStorageBehaviour.ForeignBasic, BlobStorageBehaviour.Forbidden)] BlobStorageBehaviour behaviour,
        [Values("127.0.0.1", "127.0.0.2")] string storageAddress)
    {
        await using var storage = await StartStorageAsync(behaviour, storageAddress);
        await using var registry = await DistributionRegistry.StartAsync(mode, blobRedirect: storage.BaseUri);
        storage.Root = registry.StorageDirectory;
        await AddAsync(registry);
        using var client = Client();
        var expected = behaviour == BlobStorageBehaviour.Forbidden ? HttpStatusCode.Forbidden : HttpStatusCode.Unauthorized;

        var answers = new List<(HttpStatusCode Status, string From, string Challenge, HttpStatusCode Manifest)>();
        for (var pull = 0; pull < PullsPerScenario; pull++)
        {
            using var response = await client.GetAsync(Blob(registry));

            // The registry's own challenge is still the one it answers with: a manifest (not redirected) still pulls.
            using var manifest = await client.SendAsync(Manifest(registry));
            answers.Add((
                response.StatusCode,
                response.RequestMessage!.RequestUri!.GetLeftPart(UriPartial.Authority),
                response.Headers.WwwAuthenticate.ToString(),
                manifest.StatusCode));
        }

        AssertNothingLeaked(storage, registry);
        foreach (var (status, from, challenge, manifestStatus) in answers)
        {
            Assert.That(status, Is.EqualTo(expected), "the storage's answer reaches the caller");
            Assert.That(from, Is.EqualTo(storage.BaseUri.GetLeftPart(UriPartial.Authority)));
            if (behaviour == BlobStorageBehaviour.ForeignBearer)
            {
                Assert.That(challenge, Does.Contain(storage.BaseUri + "token"), "the storage's challenge is passed on as it was");
            }

            Assert.That(manifestStatus, Is.EqualTo(HttpStatusCode.OK), "the registry's challenge was not replaced by the storage's");
        }

        Assert.That(
            storage.Requests.Count(r => r.Path != "/token"),
            Is.EqualTo(PullsPerScenario),
            "one storage request per pull: the foreign 401/403 is not retried");
        Assert.That(_host.Logs.Lines, Has.None.Contains("refused the credential"), "a foreign origin's refusal is not the registry's");
        if (registry.Token is { } tokens)
        {
            Assert.That(tokens.RequestCount, Is.EqualTo(1), "the registry's token was neither dropped nor replaced because of the storage");
            Assert.That(tokens.Requests.Single().Scopes, Is.EqualTo(new[] { "repository:test/app:pull" }));
        }
    }

    [TestCase(RegistryMode.HtpasswdTls)]
    [TestCase(RegistryMode.TokenTls)]
    public async Task Blobs_redirected_to_pre_signed_storage_are_pulled_without_the_credential(RegistryMode mode)
    {
        await using var storage = await StartStorageAsync(BlobStorageBehaviour.PreSigned, "127.0.0.2");
        await using var registry = await DistributionRegistry.StartAsync(mode, blobRedirect: storage.BaseUri);
        storage.Root = registry.StorageDirectory;
        await AddAsync(registry);
        using var client = Client();

        for (var pull = 0; pull < PullsPerScenario; pull++)
        {
            var blob = await client.GetByteArrayAsync(Blob(registry));
            Assert.That(blob, Is.EqualTo(registry.LayerBytes), $"pull {pull}");
        }

        Assert.That(storage.BlobsServed, Is.EqualTo(PullsPerScenario));
        AssertNothingLeaked(storage, registry);
    }

    [Test]
    public async Task A_redirect_that_stays_on_the_origin_keeps_the_credential()
    {
        // The v2 API spec allows a blob GET to redirect (307); here to another path of the same origin, which needs the
        // credential too (a registry that serves blobs from a second route of its own).
        var password = TestHost.NewSecret();
        var basic = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("u:" + password));
        await using var registry = await LoopbackHttpServer.StartAsync(context =>
        {
            if (context.Request.Headers.Authorization.ToString() != basic)
            {
                context.Response.StatusCode = 401;
                context.Response.Headers.WWWAuthenticate = "Basic realm=\"r\"";
                return Task.CompletedTask;
            }

            if (!context.Request.Path.StartsWithSegments("/storage", StringComparison.Ordinal))
            {
                context.Response.StatusCode = 307;
                context.Response.Headers.Location = "/storage/blob?part=1";
                return Task.CompletedTask;
            }

            return Microsoft.AspNetCore.Http.HttpResponseWritingExtensions.WriteAsync(context.Response, "layer-bytes");
        });
        await _host.Manager.AddAsync(new RegistryAddRequest
        {
            Scope = registry.Authority, Username = "u", Password = password, InsecureHttp = true, Validate = false,
        });
        using var client = Client();

        for (var pull = 0; pull < 2; pull++)
        {
            var body = await client.GetStringAsync(registry.BaseUri + "v2/app/blobs/sha256:" + new string('b', 64));
            Assert.That(body, Is.EqualTo("layer-bytes"));
        }

        // 401 -> Basic -> 307 -> /storage with Basic; the second pull goes out authorised at once.
        Assert.That(registry.Requests.Select(r => r.Path + "|" + r.Authorization.Split(' ')[0]), Is.EqualTo(new[]
        {
            "/v2/app/blobs/sha256:" + new string('b', 64) + "|",
            "/v2/app/blobs/sha256:" + new string('b', 64) + "|Basic",
            "/storage/blob|Basic",
            "/v2/app/blobs/sha256:" + new string('b', 64) + "|Basic",
            "/storage/blob|Basic",
        }));
    }
}
