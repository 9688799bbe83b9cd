using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace RegistryCredentials.Aws.Tests.Support;

/// <summary>
/// Kestrel on 127.0.0.1 and a free port (HTTPS when given a certificate), answering with a delegate that gets the
/// request body as bytes (a SigV4 check needs the exact payload, so the body is read here, not as a form).
/// </summary>
public sealed class AwsHttpServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private AwsHttpServer(WebApplication app, Uri baseUri)
    {
        _app = app;
        BaseUri = baseUri;
    }

    /// <summary><c>https://127.0.0.1:port/</c> or <c>http://127.0.0.1:port/</c>.</summary>
    public Uri BaseUri { get; }

    public static async Task<AwsHttpServer> StartAsync(Func<HttpContext, byte[], Task> handler, X509Certificate2? certificate = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, listen =>
        {
            if (certificate is not null)
            {
                listen.UseHttps(certificate);
            }
        }));
        var app = builder.Build();
        app.Run(async context =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body, context.RequestAborted);
            await handler(context, body.ToArray());
        });
        await app.StartAsync();
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new AwsHttpServer(app, new Uri(bound.Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/') + "/"));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
