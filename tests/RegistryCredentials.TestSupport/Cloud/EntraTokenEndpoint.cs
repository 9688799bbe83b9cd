using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using RegistryCredentials.Tests.Support.Registry;

namespace RegistryCredentials.Tests.Support.Cloud;

/// <summary>
/// A local Entra ID token endpoint over HTTPS (the test CA's server certificate) for Azure.Identity/MSAL:
/// <c>POST /{tenant}/oauth2/v2.0/token</c> with <c>grant_type=client_credentials</c> checks <c>client_id</c>, the
/// <c>client_secret</c> (or the workload-identity <c>client_assertion</c>) and <c>scope</c>, and issues a JWT-shaped
/// access token with <c>tid</c>. It also answers OpenID discovery and instance discovery, which MSAL may ask for.
/// Every token issued is remembered, so the ACR front can check the one presented to it.
/// </summary>
public sealed class EntraTokenEndpoint : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, string> _issued = new(StringComparer.Ordinal);
    private LoopbackHttpServer _server = null!;
    private int _tokenRequests;

    private EntraTokenEndpoint(string tenantId, string clientId, string clientSecret)
    {
        TenantId = tenantId;
        ClientId = clientId;
        ClientSecret = clientSecret;
    }

    public string TenantId { get; }

    public string ClientId { get; }

    public string ClientSecret { get; set; }

    /// <summary>The workload-identity assertion accepted instead of a secret, when set.</summary>
    public string? ClientAssertion { get; set; }

    public string Scope { get; set; } = "https://containerregistry.azure.net/.default";

    /// <summary><c>https://127.0.0.1:port/</c>: the <c>AuthorityHost</c>.</summary>
    public Uri AuthorityHost => _server.BaseUri;

    public int TokenRequests => Volatile.Read(ref _tokenRequests);

    /// <summary>Every access token issued so far.</summary>
    public IReadOnlyCollection<string> IssuedTokens => [.. _issued.Keys];

    /// <summary>Why requests were refused, and paths nobody expected.</summary>
    public ConcurrentQueue<string> Problems { get; } = new();

    public IEnumerable<LoopbackHttpServer.RecordedRequest> Requests => _server.Requests;

    public static async Task<EntraTokenEndpoint> StartAsync(TestCertificates certificates, string? clientSecret = null)
    {
        var endpoint = new EntraTokenEndpoint(Guid.NewGuid().ToString(), Guid.NewGuid().ToString(), clientSecret ?? TestHost.NewSecret());
        endpoint._server = await LoopbackHttpServer.StartAsync(endpoint.HandleAsync, certificates.Server.Certificate);
        return endpoint;
    }

    /// <summary>Issues an access token without a request, as a managed identity or another credential would have got one.</summary>
    public string IssueDirectly()
    {
        var token = CreateAccessToken();
        _issued[token] = ClientId;
        return token;
    }

    /// <summary>Whether <paramref name="accessToken"/> was issued here, and to which client.</summary>
    public bool WasIssued(string accessToken, out string clientId) => _issued.TryGetValue(accessToken, out clientId!);

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var path = request.Path.Value ?? string.Empty;
        var authority = _server.BaseUri.GetLeftPart(UriPartial.Authority);
        if (HttpMethods.IsGet(request.Method) && path.EndsWith("/.well-known/openid-configuration", StringComparison.Ordinal))
        {
            var tenant = path.Split('/', StringSplitOptions.RemoveEmptyEntries)[0];
            await WriteAsync(context, 200, new Dictionary<string, object>
            {
                ["token_endpoint"] = $"{authority}/{tenant}/oauth2/v2.0/token",
                ["authorization_endpoint"] = $"{authority}/{tenant}/oauth2/v2.0/authorize",
                ["issuer"] = $"{authority}/{tenant}/v2.0",
            });
            return;
        }

        if (HttpMethods.IsGet(request.Method) && path.EndsWith("/discovery/instance", StringComparison.Ordinal))
        {
            var host = _server.BaseUri.Authority;
            await WriteAsync(context, 200, new Dictionary<string, object>
            {
                ["tenant_discovery_endpoint"] = $"{authority}/{TenantId}/v2.0/.well-known/openid-configuration",
                ["api-version"] = "1.1",
                ["metadata"] = new[] { new Dictionary<string, object>
                {
                    ["preferred_network"] = host,
                    ["preferred_cache"] = host,
                    ["aliases"] = new[] { host },
                } },
            });
            return;
        }

        if (!HttpMethods.IsPost(request.Method) || !path.EndsWith("/oauth2/v2.0/token", StringComparison.Ordinal) || !request.HasFormContentType)
        {
            Problems.Enqueue($"unexpected {request.Method} {path}");
            await WriteAsync(context, 404, new Dictionary<string, object> { ["error"] = "not_found" });
            return;
        }

        Interlocked.Increment(ref _tokenRequests);
        var form = await request.ReadFormAsync();
        var pathTenant = path.Split('/', StringSplitOptions.RemoveEmptyEntries)[0];
        string? refusal = null;
        if (!string.Equals(pathTenant, TenantId, StringComparison.Ordinal))
        {
            refusal = "tenant " + pathTenant;
        }
        else if (form["grant_type"] != "client_credentials")
        {
            refusal = "grant_type " + form["grant_type"];
        }
        else if (form["client_id"] != ClientId)
        {
            refusal = "client_id " + form["client_id"];
        }
        else if (form["scope"] != Scope)
        {
            refusal = "scope " + form["scope"];
        }
        else if (ClientAssertion is not null)
        {
            if (form["client_assertion_type"] != "urn:ietf:params:oauth:client-assertion-type:jwt-bearer" || form["client_assertion"] != ClientAssertion)
            {
                refusal = "client_assertion";
            }
        }
        else if (!FixedEquals(form["client_secret"].ToString(), ClientSecret))
        {
            refusal = "client_secret";
        }

        if (refusal is not null)
        {
            Problems.Enqueue("refused: " + refusal);
            await WriteAsync(context, 401, new Dictionary<string, object>
            {
                ["error"] = "invalid_client",
                ["error_description"] = "AADSTS7000215: Invalid client secret provided.",
                ["error_codes"] = new[] { 7000215 },
            });
            return;
        }

        var token = CreateAccessToken();
        _issued[token] = ClientId;
        await WriteAsync(context, 200, new Dictionary<string, object>
        {
            ["token_type"] = "Bearer",
            ["expires_in"] = 3599,
            ["ext_expires_in"] = 3599,
            ["access_token"] = token,
        });
    }

    private string CreateAccessToken()
    {
        var header = Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(new { alg = "RS256", typ = "JWT" }));
        var payload = Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(new
        {
            aud = "https://containerregistry.azure.net",
            tid = TenantId,
            appid = ClientId,
            jti = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)),
        }));
        return header + "." + payload + "." + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
    }

    private static bool FixedEquals(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(a), Encoding.UTF8.GetBytes(b));

    private static async Task WriteAsync(HttpContext context, int status, object body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(JsonSerializer.SerializeToUtf8Bytes(body));
    }
}
