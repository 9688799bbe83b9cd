using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using RegistryCredentials.Tests.Support.Registry;

namespace RegistryCredentials.Tests.Support.Cloud;

/// <summary>
/// A local stand-in for an ACR login server (HTTPS, test CA): it serves <c>POST /oauth2/exchange</c> itself, the way ACR
/// does on the registry's own host, and passes every other request through to a real distribution registry when one is
/// given (so the provider posts to <c>https://&lt;registry&gt;/oauth2/exchange</c> exactly as in production, and the
/// registry validates and serves pulls behind the same host:port). The exchange checks the form fields and that the
/// presented access token was issued by <see cref="EntraTokenEndpoint"/>, and answers a refresh token JWT whose <c>exp</c>
/// is <see cref="Now"/> + <see cref="RefreshTokenLifetime"/>.
/// </summary>
public sealed class AcrFront : IAsyncDisposable
{
    private readonly EntraTokenEndpoint _entra;
    private readonly DistributionRegistry? _registry;
    private readonly HttpClient? _upstream;
    private LoopbackHttpServer _server = null!;
    private int _exchanges;
    private int _disposed;

    private AcrFront(EntraTokenEndpoint entra, DistributionRegistry? registry)
    {
        _entra = entra;
        _registry = registry;
        if (registry is not null)
        {
            _upstream = new HttpClient(registry.Certificates.CreateTrustingHandler());
        }
    }

    /// <summary><c>127.0.0.1:port</c>: the registry as entries and image references name it.</summary>
    public string Registry => _server.Authority;

    public Uri BaseUri => _server.BaseUri;

    /// <summary>The clock for <c>exp</c> (the test's fake clock).</summary>
    public Func<DateTimeOffset> Now { get; set; } = () => DateTimeOffset.UnixEpoch;

    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromHours(3);

    /// <summary>When set, the exchange answers this status with an ACR error body.</summary>
    public HttpStatusCode? FailWith { get; set; }

    /// <summary>When set, the exchange answers this JSON instead of a good token.</summary>
    public string? RawAnswer { get; set; }

    /// <summary>Waits before answering an exchange (single-flight tests).</summary>
    public TimeSpan Delay { get; set; }

    /// <summary>When set, an exchange waits for it before answering (to hold a call in flight; counted in <see cref="Exchanges"/> on arrival).</summary>
    public TaskCompletionSource? Gate { get; set; }

    /// <summary>Called with each refresh token issued (to register it with the registry's token server).</summary>
    public Action<string>? OnIssued { get; set; }

    public int Exchanges => Volatile.Read(ref _exchanges);

    public ConcurrentQueue<string> IssuedTokens { get; } = new();

    public ConcurrentQueue<string> Problems { get; } = new();

    public IEnumerable<LoopbackHttpServer.RecordedRequest> Requests => _server.Requests;

    public static async Task<AcrFront> StartAsync(EntraTokenEndpoint entra, TestCertificates certificates, DistributionRegistry? registry = null)
    {
        var front = new AcrFront(entra, registry);
        front._server = await LoopbackHttpServer.StartAsync(front.HandleAsync, certificates.Server.Certificate);
        return front;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _server.DisposeAsync();
        _upstream?.Dispose();
    }

    /// <summary>A refresh-token-shaped JWT (unsigned for the provider's purposes; the registry's token server compares it whole).</summary>
    public static string CreateRefreshToken(DateTimeOffset expires, string audience) =>
        Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(new { alg = "RS256", typ = "JWT" })) + "."
        + Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(new
        {
            jti = Guid.NewGuid().ToString(),
            sub = "acr-test",
            grant_type = "refresh_token",
            aud = audience,
            exp = expires.ToUnixTimeSeconds(),
            iat = expires.AddHours(-3).ToUnixTimeSeconds(),
        })) + "."
        + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    private async Task HandleAsync(HttpContext context)
    {
        if (context.Request.Path == "/oauth2/exchange")
        {
            await ExchangeAsync(context);
        }
        else if (_upstream is not null)
        {
            await ProxyAsync(context);
        }
        else
        {
            context.Response.StatusCode = 404;
        }
    }

    private async Task ExchangeAsync(HttpContext context)
    {
        Interlocked.Increment(ref _exchanges);
        var request = context.Request;
        string? problem = null;
        if (!HttpMethods.IsPost(request.Method) || !request.HasFormContentType)
        {
            problem = "not a form POST";
        }
        else
        {
            var form = await request.ReadFormAsync();
            if (form["grant_type"] != "access_token")
            {
                problem = "grant_type " + form["grant_type"];
            }
            else if (form["service"] != Registry)
            {
                problem = "service " + form["service"];
            }
            else if (form["tenant"] != _entra.TenantId)
            {
                problem = "tenant " + form["tenant"];
            }
            else if (!_entra.WasIssued(form["access_token"].ToString(), out _))
            {
                problem = "unknown access_token";
            }
            else if (form.Keys.Except(["grant_type", "service", "tenant", "access_token"]).Any())
            {
                problem = "extra fields " + string.Join(",", form.Keys);
            }
        }

        if (Delay > TimeSpan.Zero)
        {
            await Task.Delay(Delay);
        }

        if (Gate is { } gate)
        {
            await gate.Task;
        }

        if (problem is not null || FailWith is not null)
        {
            if (problem is not null)
            {
                Problems.Enqueue(problem);
            }

            var status = FailWith ?? HttpStatusCode.Unauthorized;
            await WriteAsync(
                context,
                (int)status,
                JsonSerializer.Serialize(new { errors = new[] { new { code = "UNAUTHORIZED", message = "exchange refused by the test ACR" } } }));
            return;
        }

        if (RawAnswer is not null)
        {
            await WriteAsync(context, 200, RawAnswer);
            return;
        }

        var token = CreateRefreshToken(Now() + RefreshTokenLifetime, Registry);
        IssuedTokens.Enqueue(token);
        OnIssued?.Invoke(token);
        await WriteAsync(context, 200, JsonSerializer.Serialize(new { refresh_token = token }));
    }

    private async Task ProxyAsync(HttpContext context)
    {
        var request = context.Request;
        var target = new Uri(_registry!.BaseUri, request.Path.Value + request.QueryString.Value);
        using var message = new HttpRequestMessage(new HttpMethod(request.Method), target);
        if (request.ContentLength > 0 || request.Headers.TransferEncoding.Count > 0)
        {
            message.Content = new StreamContent(request.Body);
        }

        foreach (var header in request.Headers)
        {
            if (header.Key.Equals("Host", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (!message.Headers.TryAddWithoutValidation(header.Key, header.Value.ToArray()))
            {
                message.Content?.Headers.TryAddWithoutValidation(header.Key, header.Value.ToArray());
            }
        }

        using var response = await _upstream!.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, context.RequestAborted);
        context.Response.StatusCode = (int)response.StatusCode;
        foreach (var header in response.Headers.Concat(response.Content.Headers))
        {
            if (!header.Key.Equals(
                "Transfer-Encoding",
                StringComparison.OrdinalIgnoreCase) && !header.Key.Equals("Connection", StringComparison.OrdinalIgnoreCase))
            {
                context.Response.Headers[header.Key] = header.Value.ToArray();
            }
        }

        await response.Content.CopyToAsync(context.Response.Body, context.RequestAborted);
    }

    private static async Task WriteAsync(HttpContext context, int status, string json)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(json);
    }
}
