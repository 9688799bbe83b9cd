using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace RegistryCredentials.Tests.Support;

/// <summary>
/// A Kestrel server on a loopback address and a free port, answering with a delegate: a fake registry or token
/// service whose every answer a test chooses. Records each request (method, path, query, Authorization).
/// </summary>
public sealed class LoopbackHttpServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LoopbackHttpServer(WebApplication app, Uri baseUri)
    {
        _app = app;
        BaseUri = baseUri;
    }

    public Uri BaseUri { get; }

    /// <summary><c>host:port</c>.</summary>
    public string Authority => BaseUri.Authority;

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    /// <summary>Starts a server whose handler also gets the exact request body (for checks such as SigV4 that need the payload).</summary>
    public static Task<LoopbackHttpServer> StartAsync(
        Func<HttpContext, byte[], Task> handler,
        X509Certificate2? certificate = null,
        string address = "127.0.0.1") =>
        StartAsync(
            async context =>
            {
                using var body = new MemoryStream();
                await context.Request.Body.CopyToAsync(body, context.RequestAborted);
                await handler(context, body.ToArray());
            },
            certificate,
            address);

    public static async Task<LoopbackHttpServer> StartAsync(Func<HttpContext, Task> handler, X509Certificate2? certificate = null, string address = "127.0.0.1")
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Parse(address), 0, listen =>
        {
            if (certificate is not null)
            {
                listen.UseHttps(certificate);
            }
        }));
        var app = builder.Build();
        LoopbackHttpServer? server = null;
        app.Run(async context =>
        {
            var request = context.Request;
            string? form = null;
            if (request.HasFormContentType)
            {
                // Buffered and rewound, so the handler can still read the body (as a form or as bytes).
                request.EnableBuffering();
                var fields = await request.ReadFormAsync();
                form = string.Join("&", fields.Select(f => f.Key + "=" + f.Value));
                request.Body.Position = 0;
            }

            server!.Requests.Enqueue(new RecordedRequest(
                request.Method,
                request.Path,
                request.QueryString.Value ?? string.Empty,
                request.Headers.Authorization.ToString(),
                form));
            await handler(context);
        });
        await app.StartAsync();
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        server = new LoopbackHttpServer(app, new Uri(bound.Replace("0.0.0.0", address, StringComparison.Ordinal)));
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>One request as the server saw it.</summary>
    public sealed record RecordedRequest(string Method, string Path, string Query, string Authorization, string? Form);
}
