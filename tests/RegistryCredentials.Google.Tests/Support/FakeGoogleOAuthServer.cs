using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using RegistryCredentials.Tests.Support;

namespace RegistryCredentials.Google.Tests.Support;

/// <summary>
/// A local stand-in for Google's OAuth token endpoint (<c>POST /token</c>, the service-account JWT-bearer grant) on
/// 127.0.0.1, over HTTP or HTTPS. It accepts an assertion only when the form has
/// <c>grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer</c>, the JWT is RS256 and its signature verifies with the
/// public key of a trusted test service account (found by <c>iss</c>), <c>kid</c> is that key's id, <c>aud</c> is
/// <see cref="ExpectedAudience"/>, <c>scope</c> is <see cref="ExpectedScope"/>, and <c>0 &lt; exp − iat ≤ 3600</c> (and, with
/// <see cref="Clock"/>, <c>iat</c> is that clock's now). It answers with tokens of a chosen lifetime.
/// </summary>
public sealed class FakeGoogleOAuthServer : IAsyncDisposable
{
    public const string JwtBearerGrant = "urn:ietf:params:oauth:grant-type:jwt-bearer";

    /// <summary>Google's OAuth token endpoint: the audience of service-account assertions.</summary>
    public const string GoogleAudience = "https://oauth2.googleapis.com/token";

    private readonly ConcurrentDictionary<string, (RSA Key, string KeyId)> _trusted = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _rejections = new();
    private readonly ConcurrentQueue<string> _issued = new();
    private readonly ConcurrentQueue<JsonElement> _claims = new();
    private LoopbackHttpServer _server = null!;
    private int _requests;
    private int _counter;

    private FakeGoogleOAuthServer()
    {
    }

    /// <summary>The token endpoint: what a test key's <c>token_uri</c> says.</summary>
    public Uri TokenUri { get; private set; } = null!;

    /// <summary>
    /// The <c>aud</c> claim an assertion must carry. Google.Apis.Auth 1.78 signs every service-account assertion for
    /// Google's token endpoint, <c>https://oauth2.googleapis.com/token</c> (the <c>token_uri</c> of every real key), and
    /// sends it to the key's <c>token_uri</c>, whatever that is; so by default this is that value, not <see cref="TokenUri"/>.
    /// </summary>
    public string ExpectedAudience { get; set; } = GoogleAudience;

    /// <summary>The <c>scope</c> claim an assertion must carry.</summary>
    public string ExpectedScope { get; set; } = GoogleOptions.DefaultScope;

    /// <summary><c>expires_in</c> of issued tokens; null leaves the field out. Default 3600.</summary>
    public int? ExpiresIn { get; set; } = 3600;

    /// <summary>When set, <c>iat</c> must be within 5 s of this clock's now.</summary>
    public Func<DateTimeOffset>? Clock { get; set; }

    /// <summary>When set, every request is refused with this status and an OAuth error body (<c>invalid_grant</c>).</summary>
    public int? FailWithStatus { get; set; }

    /// <summary>Waits this long before answering (for single-flight tests).</summary>
    public TimeSpan Delay { get; set; }

    /// <summary>When set, requests wait for it before answering (to hold a call in flight; counted in <see cref="RequestCount"/> on arrival).</summary>
    public TaskCompletionSource? Gate { get; set; }

    /// <summary>When set, the next tokens issued are taken from here first (for end-to-end tests that must know them in advance).</summary>
    public ConcurrentQueue<string> NextTokens { get; } = new();

    /// <summary>Requests that reached the endpoint.</summary>
    public int RequestCount => Volatile.Read(ref _requests);

    /// <summary>Why assertions were refused (empty when every one was good).</summary>
    public IReadOnlyList<string> Rejections => [.. _rejections];

    /// <summary>Tokens issued, in order.</summary>
    public IReadOnlyList<string> IssuedTokens => [.. _issued];

    /// <summary>The claims of every accepted assertion.</summary>
    public IReadOnlyList<JsonElement> AcceptedClaims => [.. _claims];

    public static async Task<FakeGoogleOAuthServer> StartAsync(X509Certificate2? certificate = null)
    {
        var server = new FakeGoogleOAuthServer();
        server._server = await LoopbackHttpServer.StartAsync(server.HandleAsync, certificate);
        server.TokenUri = new Uri(server._server.BaseUri, "token");
        return server;
    }

    /// <summary>Trusts a service account's public key.</summary>
    public void Trust(TestServiceAccount account)
    {
        var key = RSA.Create();
        key.ImportSubjectPublicKeyInfo(account.Rsa.ExportSubjectPublicKeyInfo(), out _);
        _trusted[account.ClientEmail] = (key, account.PrivateKeyId);
    }

    public void ResetCounts()
    {
        Interlocked.Exchange(ref _requests, 0);
        _issued.Clear();
        _claims.Clear();
        _rejections.Clear();
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        foreach (var (key, _) in _trusted.Values)
        {
            key.Dispose();
        }
    }

    private static byte[] FromBase64Url(string value) => Base64Url.DecodeFromChars(value);

    private async Task HandleAsync(HttpContext context)
    {
        Interlocked.Increment(ref _requests);
        if (Delay > TimeSpan.Zero)
        {
            await Task.Delay(Delay, context.RequestAborted);
        }

        if (Gate is { } gate)
        {
            await gate.Task.WaitAsync(context.RequestAborted);
        }

        var request = context.Request;
        if (!HttpMethods.IsPost(request.Method) || request.Path.Value != TokenUri.AbsolutePath || !request.HasFormContentType)
        {
            await RefuseAsync(context, 404, "not_found", $"{request.Method} {request.Path} is not the token endpoint");
            return;
        }

        if (FailWithStatus is { } status)
        {
            await WriteAsync(
                context,
                status,
                new Dictionary<string, object> { ["error"] = "invalid_grant", ["error_description"] = "failure chosen by the test" });
            return;
        }

        var form = await request.ReadFormAsync(context.RequestAborted);
        if (form["grant_type"] != JwtBearerGrant)
        {
            await RefuseAsync(context, 400, "unsupported_grant_type", $"grant_type is '{form["grant_type"]}'");
            return;
        }

        var problem = Verify(form["assertion"].ToString(), out var claims);
        if (problem is not null)
        {
            await RefuseAsync(context, 400, "invalid_grant", problem);
            return;
        }

        _claims.Enqueue(claims);
        var token = NextTokens.TryDequeue(out var next)
            ? next
            : $"ya29.test-{Interlocked.Increment(ref _counter)}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12))}";
        _issued.Enqueue(token);
        var body = new Dictionary<string, object> { ["access_token"] = token, ["token_type"] = "Bearer" };
        if (ExpiresIn is { } expiresIn)
        {
            body["expires_in"] = expiresIn;
        }

        await WriteAsync(context, 200, body);
    }

    private string? Verify(string assertion, out JsonElement claims)
    {
        claims = default;
        var parts = assertion.Split('.');
        if (parts.Length != 3)
        {
            return "the assertion is not a JWS compact serialisation";
        }

        using var header = JsonDocument.Parse(FromBase64Url(parts[0]));
        if (header.RootElement.GetProperty("alg").GetString() != "RS256")
        {
            return "alg is not RS256";
        }

        claims = JsonDocument.Parse(FromBase64Url(parts[1])).RootElement.Clone();
        var issuer = claims.TryGetProperty("iss", out var iss) ? iss.GetString() ?? string.Empty : string.Empty;
        if (!_trusted.TryGetValue(issuer, out var trusted))
        {
            return $"iss '{issuer}' is not a known service account";
        }

        if (!header.RootElement.TryGetProperty("kid", out var kid) || kid.GetString() != trusted.KeyId)
        {
            return "kid is not the key's private_key_id";
        }

        var signed = Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]);
        if (!trusted.Key.VerifyData(signed, FromBase64Url(parts[2]), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1))
        {
            return "the RS256 signature does not verify with the service account's public key";
        }

        if (!claims.TryGetProperty("aud", out var aud) || aud.GetString() != ExpectedAudience)
        {
            return $"aud is '{(claims.TryGetProperty("aud", out var a) ? a.GetString() : null)}', not '{ExpectedAudience}'";
        }

        if (!claims.TryGetProperty("scope", out var scope) || scope.GetString() != ExpectedScope)
        {
            return $"scope is '{(claims.TryGetProperty("scope", out var s) ? s.GetString() : null)}', not '{ExpectedScope}'";
        }

        var issuedAt = claims.GetProperty("iat").GetInt64();
        var expires = claims.GetProperty("exp").GetInt64();
        if (expires <= issuedAt || expires - issuedAt > 3600)
        {
            return $"the assertion's lifetime (exp - iat = {expires - issuedAt} s) is not within (0, 3600]";
        }

        if (Clock is { } clock && Math.Abs(clock().ToUnixTimeSeconds() - issuedAt) > 5)
        {
            return $"iat {issuedAt} is not now ({clock().ToUnixTimeSeconds()})";
        }

        return null;
    }

    private async Task RefuseAsync(HttpContext context, int status, string error, string description)
    {
        _rejections.Enqueue(description);
        await WriteAsync(context, status, new Dictionary<string, object> { ["error"] = error, ["error_description"] = description });
    }

    private static async Task WriteAsync(HttpContext context, int status, Dictionary<string, object> body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(JsonSerializer.Serialize(body), context.RequestAborted);
    }
}
