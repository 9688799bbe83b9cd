using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Http;

namespace RegistryCredentials.Tests.Support;

/// <summary>
/// The storage a registry redirects blob downloads to, on its own loopback origin: it serves the blob files of a
/// <c>DistributionRegistry</c> started with <c>blobRedirect</c> pointing here, from the registry's
/// <c>DistributionRegistry.StorageDirectory</c>, at the paths distribution's <c>redirect</c> storage middleware
/// builds (<c>/docker/registry/v2/blobs/sha256/&lt;2 hex&gt;/&lt;hex&gt;/data</c>, from
/// registry/storage/driver/middleware/redirect/middleware.go: <c>url.URL{Scheme, Host, Path: driver path}</c>).
/// How it authorises is chosen by <see cref="BlobStorageBehaviour"/>. Every request is recorded, including those to
/// its token endpoint, so a test can prove that nothing of a registry credential ever arrived here.
/// </summary>
public sealed class FakeBlobStorage : IAsyncDisposable
{
    private readonly string _tokenPrefix = "storage-token-" + Guid.NewGuid().ToString("N") + "-";
    private LoopbackHttpServer _server = null!;
    private int _minted;
    private int _served;

    private FakeBlobStorage(BlobStorageBehaviour behaviour) => Behaviour = behaviour;

    /// <summary>How it answers.</summary>
    public BlobStorageBehaviour Behaviour { get; }

    /// <summary>Its origin, <c>http(s)://address:port/</c>.</summary>
    public Uri BaseUri => _server.BaseUri;

    /// <summary>The folder blob paths are served from; set it to the registry's <c>DistributionRegistry.StorageDirectory</c> once that has started.</summary>
    public string? Root { get; set; }

    /// <summary>Every request it received (method, path, query, Authorization, form).</summary>
    public IReadOnlyCollection<LoopbackHttpServer.RecordedRequest> Requests => _server.Requests;

    /// <summary>How many tokens its token endpoint handed out.</summary>
    public int TokensMinted => Volatile.Read(ref _minted);

    /// <summary>How many blobs it served.</summary>
    public int BlobsServed => Volatile.Read(ref _served);

    /// <summary>Starts one on <paramref name="address"/> and a free port, HTTPS when <paramref name="certificate"/> is given.</summary>
    public static async Task<FakeBlobStorage> StartAsync(BlobStorageBehaviour behaviour, X509Certificate2? certificate = null, string address = "127.0.0.1")
    {
        var storage = new FakeBlobStorage(behaviour);
        storage._server = await LoopbackHttpServer.StartAsync(storage.AnswerAsync, certificate, address);
        return storage;
    }

    private async Task AnswerAsync(HttpContext context)
    {
        var request = context.Request;
        var response = context.Response;
        var authorization = request.Headers.Authorization.ToString();
        if (request.Path == "/token")
        {
            // A token service that mints for anyone: what a hostile or misconfigured storage host would run.
            var token = _tokenPrefix + Interlocked.Increment(ref _minted).ToString(System.Globalization.CultureInfo.InvariantCulture);
            await response.WriteAsync($"{{\"token\":\"{token}\",\"expires_in\":3600}}");
            return;
        }

        var authorised = Behaviour switch
        {
            BlobStorageBehaviour.PreSigned => authorization.Length == 0,
            BlobStorageBehaviour.ForeignBearer => authorization.StartsWith("Bearer " + _tokenPrefix, StringComparison.Ordinal),
            BlobStorageBehaviour.ForeignBasic => authorization.StartsWith("Basic ", StringComparison.Ordinal),
            _ => false,
        };
        if (!authorised)
        {
            switch (Behaviour)
            {
                case BlobStorageBehaviour.PreSigned:
                    response.StatusCode = 400;
                    response.ContentType = "application/xml";
                    await response.WriteAsync("<Error><Code>InvalidArgument</Code><Message>Only one auth mechanism allowed</Message></Error>");
                    return;
                case BlobStorageBehaviour.ForeignBearer:
                    response.StatusCode = 401;
                    response.Headers.WWWAuthenticate = $"Bearer realm=\"{BaseUri}token\",service=\"storage\",scope=\"blob:read\"";
                    return;
                case BlobStorageBehaviour.ForeignBasic:
                    response.StatusCode = 401;
                    response.Headers.WWWAuthenticate = "Basic realm=\"storage\"";
                    return;
                default:
                    response.StatusCode = 403;
                    return;
            }
        }

        var path = Path.GetFullPath(Path.Combine(Root ?? throw new InvalidOperationException("Set Root first."), request.Path.Value!.TrimStart('/')));
        if (!path.StartsWith(Path.GetFullPath(Root) + Path.DirectorySeparatorChar, StringComparison.Ordinal) || !File.Exists(path))
        {
            response.StatusCode = 404;
            return;
        }

        Interlocked.Increment(ref _served);
        response.ContentType = "application/octet-stream";
        await response.SendFileAsync(path);
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
