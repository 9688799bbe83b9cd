using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace RegistryCredentials.Tests.Support.Registry;

/// <summary>
/// An in-process token server (Kestrel on 127.0.0.1, a free port, HTTPS with <see cref="TestCertificates.Server"/>)
/// implementing the distribution token spec: <c>GET /token?service=…&amp;scope=…</c> with optional HTTP Basic, and the
/// OAuth2 form <c>POST /token</c> (<c>grant_type=password</c> / <c>refresh_token</c>). It issues RS256 JWTs signed
/// by <see cref="TestCertificates.TokenSigning"/> with header <c>x5c</c> = [that certificate], claims
/// <c>iss sub aud exp nbf iat jti access</c>, which distribution 2.8 accepts when its <c>rootcertbundle</c> is that
/// certificate, <c>issuer</c> = <see cref="Issuer"/> and <c>service</c> = <see cref="Service"/>.
/// Behaviour is switchable at any time for tests (<see cref="Fault"/>, <see cref="StatusOverride"/>, ...), and every
/// request is counted and recorded.
/// </summary>
public sealed class TokenServer : IAsyncDisposable
{
    /// <summary>The default <c>service</c> (the token audience).</summary>
    public const string DefaultService = "registry-credentials-test";

    /// <summary>The default <c>iss</c> claim.</summary>
    public const string DefaultIssuer = "registry-credentials-test-issuer";

    /// <summary>The size of a <see cref="TokenServerFault.HugeBody"/> response.</summary>
    public const int HugeBodyBytes = 2 * 1024 * 1024;

    private readonly ConcurrentDictionary<string, string> _users = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _refreshTokens = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<TokenRequestRecord> _requests = new();
    private readonly TestCertificate _signing;
    private readonly string _x5c;
    private WebApplication? _app;
    private int _requestCount;
    private int _disposed;

    private TokenServer(TestCertificates certificates)
    {
        Certificates = certificates;
        _signing = certificates.TokenSigning;
        _x5c = Convert.ToBase64String(_signing.Certificate.RawData);
    }

    /// <summary>
    /// The certificates: <see cref="TestCertificates.TokenSigning"/> signs tokens; <see cref="TestCertificates.CaPem"/>
    /// trusts the HTTPS endpoint (unless another server certificate was given).
    /// </summary>
    public TestCertificates Certificates { get; }

    /// <summary><c>https://127.0.0.1:port/</c> (or <c>http://</c> when started without HTTPS).</summary>
    public Uri BaseUri { get; private set; } = null!;

    /// <summary>The token endpoint, <c>{BaseUri}token</c>: the registry's <c>auth.token.realm</c>.</summary>
    public Uri Realm => new(BaseUri, "token");

    /// <summary>The port Kestrel listens on.</summary>
    public int Port => BaseUri.Port;

    /// <summary>The CA bundle that trusts the HTTPS endpoint (when started with the default server certificate).</summary>
    public string CaPem => Certificates.CaPem;

    /// <summary>
    /// The token audience (<c>aud</c>); the registry's <c>auth.token.service</c>. Changing it after the registry
    /// started makes the registry reject new tokens.
    /// </summary>
    public string Service { get; set; } = DefaultService;

    /// <summary>
    /// The <c>iss</c> claim; the registry's <c>auth.token.issuer</c>. Changing it after the registry started makes the
    /// registry reject new tokens.
    /// </summary>
    public string Issuer { get; set; } = DefaultIssuer;

    /// <summary>Token lifetime in seconds: the <c>exp</c> claim and the <c>expires_in</c> field. Default 300.</summary>
    public int ExpiresIn { get; set; } = 300;

    /// <summary>Leave <c>expires_in</c> out of the response (the spec then means 60 s).</summary>
    public bool OmitExpiresIn { get; set; }

    /// <summary>Leave <c>issued_at</c> out of the response.</summary>
    public bool OmitIssuedAt { get; set; }

    /// <summary>Spoils successful responses; see <see cref="TokenServerFault"/>.</summary>
    public TokenServerFault Fault { get; set; }

    /// <summary>When set, every request is answered with this status and a small JSON error body (before any credential check).</summary>
    public HttpStatusCode? StatusOverride { get; set; }

    /// <summary>When true, <c>GET /token</c> answers 404 so clients must use the OAuth2 <c>POST</c>.</summary>
    public bool RequireOAuthPost { get; set; }

    /// <summary>When true, anonymous requests get the <c>pull</c> action of what they ask for; otherwise an empty <c>access</c>.</summary>
    public bool AllowAnonymousPull { get; set; }

    /// <summary>Waits this long before answering each request (for timeout and single-flight tests).</summary>
    public TimeSpan ResponseDelay { get; set; }

    /// <summary>
    /// Optional authorization: (subject or null when anonymous, requested access) → granted actions. By default a
    /// known user gets every action asked for, and anonymous gets none (or <c>pull</c> with <see cref="AllowAnonymousPull"/>).
    /// </summary>
    public Func<string?, TokenAccess, IEnumerable<string>>? Authorize { get; set; }

    /// <summary>How many requests reached the server (any method and path, faults included). Thread-safe.</summary>
    public int RequestCount => Volatile.Read(ref _requestCount);

    /// <summary>The requests received so far, in arrival order of their answers.</summary>
    public IReadOnlyList<TokenRequestRecord> Requests => [.. _requests];

    /// <summary>
    /// Starts the server on 127.0.0.1 (free port). <paramref name="serverCertificate"/> defaults to
    /// <see cref="TestCertificates.Server"/> (pass e.g. <see cref="TestCertificates.UntrustedServer"/> for realm TLS tests);
    /// <paramref name="https"/> false serves plain HTTP (for "realm must be HTTPS" tests).
    /// </summary>
    public static async Task<TokenServer> StartAsync(
        TestCertificates? certificates = null,
        TestCertificate? serverCertificate = null,
        bool https = true,
        CancellationToken cancellationToken = default)
    {
        var server = new TokenServer(certificates ?? TestCertificates.Shared);
        var tlsCertificate = (serverCertificate ?? server.Certificates.Server).Certificate;
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = typeof(TokenServer).Assembly.GetName().Name });
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(IPAddress.Loopback, 0, listen =>
            {
                if (https)
                {
                    listen.UseHttps(tlsCertificate);
                }
            });
        });
        var app = builder.Build();
        app.Run(server.HandleAsync);
        await app.StartAsync(cancellationToken);
        server._app = app;
        var address = app.Urls.First();
        var port = new Uri(address).Port;
        server.BaseUri = new Uri($"{(https ? "https" : "http")}://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/");
        return server;
    }

    /// <summary>Adds (or replaces) a user the server accepts.</summary>
    public void AddUser(string username, string password) => _users[username] = password;

    /// <summary>Removes a user; tokens already issued stay valid until they expire.</summary>
    public bool RemoveUser(string username) => _users.TryRemove(username, out _);

    /// <summary>Issues a refresh token (an "identity token") for a user, usable with <c>grant_type=refresh_token</c>.</summary>
    public string IssueRefreshToken(string username)
    {
        var token = "rt-" + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(24));
        _refreshTokens[token] = username;
        return token;
    }

    /// <summary>Revokes a refresh token.</summary>
    public bool RevokeRefreshToken(string refreshToken) => _refreshTokens.TryRemove(refreshToken, out _);

    /// <summary>Forgets the recorded requests and resets <see cref="RequestCount"/>.</summary>
    public void ResetRequests()
    {
        _requests.Clear();
        Interlocked.Exchange(ref _requestCount, 0);
    }

    /// <summary>
    /// Creates a signed registry token directly (no HTTP, not counted): for the fixture's own pushes, and for tests that
    /// need an expired (<paramref name="lifetime"/> negative) or otherwise crafted token.
    /// </summary>
    public string CreateToken(
        string subject,
        IEnumerable<TokenAccess> access,
        TimeSpan? lifetime = null,
        DateTimeOffset? now = null,
        string? issuer = null,
        string? audience = null)
    {
        var issuedAt = (now ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds();
        var expires = issuedAt + (long)(lifetime ?? TimeSpan.FromSeconds(ExpiresIn)).TotalSeconds;
        var header = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["alg"] = "RS256",
            ["typ"] = "JWT",
            ["x5c"] = new[] { _x5c },
        });
        using var claimsBuffer = new MemoryStream();
        using (var claims = new Utf8JsonWriter(claimsBuffer))
        {
            claims.WriteStartObject();
            claims.WriteString("iss", issuer ?? Issuer);
            claims.WriteString("sub", subject);
            claims.WriteString("aud", audience ?? Service);
            claims.WriteNumber("exp", expires);
            claims.WriteNumber("nbf", issuedAt);
            claims.WriteNumber("iat", issuedAt);
            claims.WriteString("jti", Convert.ToHexString(RandomNumberGenerator.GetBytes(16)));
            claims.WriteStartArray("access");
            foreach (var entry in access)
            {
                claims.WriteStartObject();
                claims.WriteString("type", entry.Type);
                claims.WriteString("name", entry.Name);
                claims.WriteStartArray("actions");
                foreach (var action in entry.Actions)
                {
                    claims.WriteStringValue(action);
                }

                claims.WriteEndArray();
                claims.WriteEndObject();
            }

            claims.WriteEndArray();
            claims.WriteEndObject();
        }

        var signingInput = Base64Url.EncodeToString(header) + "." + Base64Url.EncodeToString(claimsBuffer.ToArray());
        using var rsa = _signing.Certificate.GetRSAPrivateKey() ?? throw new InvalidOperationException("The token-signing certificate has no RSA key.");
        var signature = rsa.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return signingInput + "." + Base64Url.EncodeToString(signature);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0 || _app is null)
        {
            return;
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await _app.StopAsync(timeout.Token);
        }
        finally
        {
            await _app.DisposeAsync();
        }
    }

    private static string? Single(StringValues values) => values.Count == 0 ? null : values[0];

    private static bool TryReadBasic(string header, out string username, out string password)
    {
        username = password = string.Empty;
        try
        {
            var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..].Trim()));
            var colon = decoded.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
            {
                return false;
            }

            username = decoded[..colon];
            password = decoded[(colon + 1)..];
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static async Task WriteJsonAsync(HttpContext context, int status, string json)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        context.Response.Headers.CacheControl = "no-store";
        var bytes = Encoding.UTF8.GetBytes(json);
        context.Response.ContentLength = bytes.Length;
        await context.Response.Body.WriteAsync(bytes, context.RequestAborted);
    }

    private static string ErrorJson(string code, string message) => JsonSerializer.Serialize(new { errors = new[] { new { code, message } } });

    private static string OAuthErrorJson(
        string error,
        string description) => JsonSerializer.Serialize(new Dictionary<string, string> { ["error"] = error, ["error_description"] = description });

    private bool CheckPassword(string username, string password) =>
        _users.TryGetValue(username, out var expected)
        && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(password));

    private async Task HandleAsync(HttpContext context)
    {
        Interlocked.Increment(ref _requestCount);
        var authorization = Single(context.Request.Headers.Authorization);
        var scheme = authorization?.Split(' ', 2)[0];
        var (status, body, record) = await AnswerAsync(context, authorization, scheme);
        _requests.Enqueue(record with { StatusCode = status });
        await WriteJsonAsync(context, status, body);
    }

    private async Task<(int Status, string Body, TokenRequestRecord Record)> AnswerAsync(HttpContext context, string? authorization, string? scheme)
    {
        var request = context.Request;
        var record = new TokenRequestRecord(
            request.Method, request.Path.Value ?? string.Empty, request.QueryString.Value ?? string.Empty, authorization is not null, scheme,
            Username: null, GrantType: null, Service: null, Scopes: [], ClientId: null, AccessType: null, StatusCode: 0);

        if (ResponseDelay > TimeSpan.Zero)
        {
            await Task.Delay(ResponseDelay, context.RequestAborted);
        }

        if (StatusOverride is { } overridden)
        {
            return ((int)overridden, ErrorJson("UNAVAILABLE", "status override"), record);
        }

        if (!string.Equals(request.Path.Value, "/token", StringComparison.Ordinal))
        {
            return (404, ErrorJson("NOT_FOUND", "not found"), record);
        }

        if (HttpMethods.IsGet(request.Method))
        {
            var query = request.Query;
            record = record with
            {
                Service = Single(query["service"]),
                Scopes = [.. query["scope"].Where(s => !string.IsNullOrEmpty(s)).SelectMany(s => s!.Split(' ', StringSplitOptions.RemoveEmptyEntries))],
                ClientId = Single(query["client_id"]),
                AccessType = string.Equals(Single(query["offline_token"]), "true", StringComparison.OrdinalIgnoreCase) ? "offline" : null,
            };
            if (RequireOAuthPost)
            {
                return (404, ErrorJson("NOT_FOUND", "use POST"), record);
            }

            string? subject = null;
            if (authorization is not null)
            {
                if (!string.Equals(scheme, "Basic", StringComparison.OrdinalIgnoreCase)
                    || !TryReadBasic(authorization, out var username, out var password))
                {
                    return (401, ErrorJson("UNAUTHORIZED", "unsupported authorization"), record);
                }

                record = record with { Username = username };
                if (!CheckPassword(username, password))
                {
                    return (401, ErrorJson("UNAUTHORIZED", "incorrect username or password"), record);
                }

                subject = username;
            }

            return (200, TokenResponse(subject, record.Scopes, offline: record.AccessType is not null && subject is not null, oauth: false), record);
        }

        if (HttpMethods.IsPost(request.Method))
        {
            if (!request.HasFormContentType)
            {
                return (400, OAuthErrorJson("invalid_request", "expected application/x-www-form-urlencoded"), record);
            }

            var form = await request.ReadFormAsync(context.RequestAborted);
            var grantType = Single(form["grant_type"]);
            record = record with
            {
                GrantType = grantType,
                Service = Single(form["service"]),
                Scopes = [.. (Single(form["scope"]) ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries)],
                ClientId = Single(form["client_id"]),
                AccessType = Single(form["access_type"]),
            };
            if (string.IsNullOrEmpty(record.ClientId))
            {
                return (400, OAuthErrorJson("invalid_request", "client_id is required"), record);
            }

            string subject;
            switch (grantType)
            {
                case "password":
                    var username = Single(form["username"]);
                    var password = Single(form["password"]);
                    if (string.IsNullOrEmpty(username) || password is null)
                    {
                        return (400, OAuthErrorJson("invalid_request", "username and password are required"), record);
                    }

                    record = record with { Username = username };
                    if (!CheckPassword(username, password))
                    {
                        return (401, OAuthErrorJson("invalid_grant", "incorrect username or password"), record);
                    }

                    subject = username;
                    break;
                case "refresh_token":
                    var refreshToken = Single(form["refresh_token"]);
                    if (string.IsNullOrEmpty(refreshToken))
                    {
                        return (400, OAuthErrorJson("invalid_request", "refresh_token is required"), record);
                    }

                    if (!_refreshTokens.TryGetValue(refreshToken, out var owner) || !_users.ContainsKey(owner))
                    {
                        return (401, OAuthErrorJson("invalid_grant", "unknown refresh token"), record);
                    }

                    record = record with { Username = owner };
                    subject = owner;
                    break;
                default:
                    return (400, OAuthErrorJson("unsupported_grant_type", "grant_type must be password or refresh_token"), record);
            }

            var offline = string.Equals(record.AccessType, "offline", StringComparison.Ordinal);
            return (200, TokenResponse(subject, record.Scopes, offline, oauth: true), record);
        }

        return (405, ErrorJson("UNSUPPORTED", "method not allowed"), record);
    }

    private IEnumerable<string> Grant(string? subject, TokenAccess requested)
    {
        if (Authorize is { } authorize)
        {
            return authorize(subject, requested);
        }

        if (subject is not null)
        {
            return requested.Actions;
        }

        return AllowAnonymousPull ? requested.Actions.Where(a => string.Equals(a, "pull", StringComparison.Ordinal)) : [];
    }

    private string TokenResponse(string? subject, IReadOnlyList<string> scopes, bool offline, bool oauth)
    {
        var granted = scopes
            .Select(TokenAccess.TryParse)
            .OfType<TokenAccess>()
            .Select(requested => requested with { Actions = [.. Grant(subject, requested).Distinct(StringComparer.Ordinal)] })
            .Where(access => access.Actions.Count > 0)
            .ToList();
        var now = DateTimeOffset.UtcNow;
        var token = CreateToken(subject ?? string.Empty, granted, TimeSpan.FromSeconds(ExpiresIn), now);

        var fields = new Dictionary<string, object>(StringComparer.Ordinal);
        if (Fault != TokenServerFault.MissingToken)
        {
            if (!oauth)
            {
                fields["token"] = token;
            }

            fields["access_token"] = token;
        }

        if (!OmitExpiresIn)
        {
            fields["expires_in"] = ExpiresIn;
        }

        if (!OmitIssuedAt)
        {
            fields["issued_at"] = now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        }

        if (oauth)
        {
            fields["scope"] = string.Join(' ', granted.Select(g => g.ToString()));
        }

        if (offline && subject is not null)
        {
            fields["refresh_token"] = IssueRefreshToken(subject);
        }

        switch (Fault)
        {
            case TokenServerFault.BadJson:
                var json = JsonSerializer.Serialize(fields);
                return json[..(json.Length / 2)];
            case TokenServerFault.HugeBody:
                fields["padding"] = new string('x', HugeBodyBytes);
                return JsonSerializer.Serialize(fields);
            default:
                return JsonSerializer.Serialize(fields);
        }
    }
}
