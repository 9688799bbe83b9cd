using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace RegistryCredentials.Benchmarks;

/// <summary>
/// A minimal Docker Registry v2 with token auth on Kestrel, plain HTTP on 127.0.0.1 and a free port:
/// <c>GET /v2/test/app/manifests/v1</c> answers 200 with a small body to <c>Authorization: Bearer &lt;token&gt;</c> and
/// 401 with a Bearer challenge otherwise; <c>GET /token</c> answers <c>{"token":…,"expires_in":3600}</c> to HTTP
/// Basic <c>bench:&lt;password&gt;</c>. The password and the token are random per instance. Counts 401s and token
/// requests, so that a benchmark can prove it measured the cached-token path.
/// </summary>
internal sealed class LoopbackRegistry : IAsyncDisposable
{
    public const string Username = "bench";
    public const string ManifestPath = "/v2/test/app/manifests/v1";

    private static readonly byte[] Manifest = Encoding.UTF8.GetBytes(
        """{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image."""
        + """config.v1+json","digest":"sha256"""
        + """:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef","size":2},"layers":[]}""");

    private readonly WebApplication _app;
    private string _expectedBasic = string.Empty;
    private string _expectedBearer = string.Empty;
    private string _challenge = string.Empty;
    private string _tokenBody = string.Empty;
    private long _unauthorized;
    private long _tokenRequests;
    private long _manifests;

    private LoopbackRegistry(WebApplication app)
    {
        _app = app;
        Password = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        Token = Convert.ToHexString(RandomNumberGenerator.GetBytes(32));
    }

    /// <summary><c>127.0.0.1:&lt;port&gt;</c>.</summary>
    public string Authority { get; private set; } = string.Empty;

    /// <summary><c>http://127.0.0.1:&lt;port&gt;/v2/test/app/manifests/v1</c>.</summary>
    public Uri ManifestUri { get; private set; } = null!;

    public string Password { get; }

    public string Token { get; }

    public long Unauthorized => Interlocked.Read(ref _unauthorized);

    public long TokenRequests => Interlocked.Read(ref _tokenRequests);

    public long Manifests => Interlocked.Read(ref _manifests);

    public static async Task<LoopbackRegistry> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var registry = new LoopbackRegistry(app);
        app.Run(registry.HandleAsync);
        await app.StartAsync();
        var bound = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
        registry.Authority = bound.Authority;
        registry.ManifestUri = new Uri(bound, ManifestPath);

        // Answers are built once, so that the server allocates as little as it can per request (BenchmarkDotNet's
        // memory diagnoser counts the whole process, the in-process server included).
        registry._expectedBasic = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(Username + ":" + registry.Password));
        registry._expectedBearer = "Bearer " + registry.Token;
        registry._challenge = $"Bearer realm=\"http://{registry.Authority}/token\",service=\"bench\"";
        registry._tokenBody = "{\"token\":\"" + registry.Token + "\",\"expires_in\":3600}";
        return registry;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var response = context.Response;
        var authorization = request.Headers.Authorization;
        if (request.Path == "/token")
        {
            if (authorization.Count != 1 || !string.Equals(authorization[0], _expectedBasic, StringComparison.Ordinal))
            {
                response.StatusCode = StatusCodes.Status401Unauthorized;
                return Task.CompletedTask;
            }

            Interlocked.Increment(ref _tokenRequests);
            response.ContentType = "application/json";
            return response.WriteAsync(_tokenBody);
        }

        if (request.Path == ManifestPath && HttpMethods.IsGet(request.Method))
        {
            if (authorization.Count != 1 || !string.Equals(authorization[0], _expectedBearer, StringComparison.Ordinal))
            {
                Interlocked.Increment(ref _unauthorized);
                response.StatusCode = StatusCodes.Status401Unauthorized;
                response.Headers.WWWAuthenticate = _challenge;
                return Task.CompletedTask;
            }

            Interlocked.Increment(ref _manifests);
            response.ContentType = "application/vnd.oci.image.manifest.v1+json";
            response.ContentLength = Manifest.Length;
            return response.Body.WriteAsync(Manifest).AsTask();
        }

        response.StatusCode = StatusCodes.Status404NotFound;
        return Task.CompletedTask;
    }
}
