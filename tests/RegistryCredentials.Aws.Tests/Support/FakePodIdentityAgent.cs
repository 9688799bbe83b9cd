using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using RegistryCredentials.Tests.Support;

namespace RegistryCredentials.Aws.Tests.Support;

/// <summary>
/// A local EKS Pod Identity agent. Its behaviour follows the agent's source, github.com/aws/eks-pod-identity-agent:
/// <list type="bullet">
/// <item><c>pkg/handlers/eks_credential_handler.go</c>: one route, <c>/v1/credentials</c>; the service-account token is
/// the whole <c>Authorization</c> header; the answer is JSON <c>{AccessKeyId, SecretAccessKey, Token, AccountId,
/// Expiration}</c> (<c>pkg/credentials/model.go</c>, Expiration in RFC 3339).</item>
/// <item><c>internal/validation/request.go</c>: the request's <c>Host</c> must be the agent's own address
/// (169.254.170.23 or fd00:ec2::23 in EKS; here the loopback address it listens on), else 403 "Access Denied"; an empty
/// or unparsable token is 400.</item>
/// <item><c>internal/validation/claims_validation.go</c> and <c>token_validator.go</c>: header <c>kid</c> of 40 hex
/// characters, the <c>kubernetes.io</c> claims (namespace, serviceaccount name/uid, pod name/uid), <c>aud</c>
/// <c>pods.eks.amazonaws.com</c>, <c>exp</c>/<c>nbf</c>, and the RS256 signature with the cluster's key; any failure
/// is 400. (The agent then asks EKS Auth <c>AssumeRoleForPodIdentity</c>, which checks the token again; this fake
/// answers for the cluster's one association.)</item>
/// </list>
/// Plain HTTP, as the real agent (http://169.254.170.23/v1/credentials).
/// </summary>
public sealed class FakePodIdentityAgent : IAsyncDisposable
{
    /// <summary>The audience of EKS Pod Identity tokens.</summary>
    public const string Audience = "pods.eks.amazonaws.com";

    private readonly ServiceAccountTokenIssuer _issuer;
    private readonly string _address;
    private LoopbackHttpServer _server = null!;

    private FakePodIdentityAgent(ServiceAccountTokenIssuer issuer, string address)
    {
        _issuer = issuer;
        _address = address;
    }

    /// <summary>The value for <c>AWS_CONTAINER_CREDENTIALS_FULL_URI</c>: <c>http://&lt;address&gt;:port/v1/credentials</c>.</summary>
    public string FullUri => new Uri(_server.BaseUri, "/v1/credentials").AbsoluteUri;

    /// <summary>The account of the associated role.</summary>
    public string AccountId { get; } = AwsTestKeys.NewAccountId();

    /// <summary>The associated role's temporary credentials.</summary>
    public AwsTestKeys Keys { get; } = AwsTestKeys.NewSession();

    /// <summary>Each request as <c>METHOD path status</c>.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    public static async Task<FakePodIdentityAgent> StartAsync(ServiceAccountTokenIssuer issuer, string address = "127.0.0.1")
    {
        var agent = new FakePodIdentityAgent(issuer, address);
        agent._server = await LoopbackHttpServer.StartAsync(agent.HandleAsync, certificate: null, address);
        return agent;
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private async Task HandleAsync(HttpContext context, byte[] body)
    {
        var request = context.Request;
        var (status, text) = Answer(request);
        Requests.Enqueue($"{request.Method} {request.Path} {status.ToString(CultureInfo.InvariantCulture)}");
        context.Response.StatusCode = status;
        if (status == 200)
        {
            context.Response.ContentType = "application/json";
        }
        else
        {
            // Go's http.Error.
            context.Response.ContentType = "text/plain; charset=utf-8";
            text += "\n";
        }

        await context.Response.WriteAsync(text);
    }

    private (int Status, string Text) Answer(HttpRequest request)
    {
        if (request.Path != "/v1/credentials")
        {
            return (404, "404 page not found");
        }

        var host = request.Host.Host.Trim('[', ']');
        if (!IPAddress.TryParse(host, out var target) || !target.Equals(IPAddress.Parse(_address)))
        {
            return (403, $"Access Denied. Called agent through invalid address, please use either [{_address}] address not {request.Host.Host}");
        }

        var token = request.Headers.Authorization.ToString();
        if (token.Length == 0)
        {
            return (400, "Service account token cannot be empty");
        }

        var claims = _issuer.Validate(token, Audience, out var problem);
        if (claims is null)
        {
            return (400, problem switch
            {
                TokenProblem.Malformed => "Service account token cannot be parsed",
                TokenProblem.BadSignature => "JWT signature validation failed: cryptographic validation failed",
                _ => "Service account token failed claim validations: " + problem,
            });
        }

        if (!HasKubernetesClaims(claims))
        {
            return (400, "Service account token failed claim validations: missing claim: kubernetes.io");
        }

        var now = TimeProvider.System.GetUtcNow();
        return (200, JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["AccessKeyId"] = Keys.AccessKeyId,
            ["SecretAccessKey"] = Keys.SecretAccessKey,
            ["Token"] = Keys.SessionToken!,
            ["AccountId"] = AccountId,
            ["Expiration"] = now.AddHours(6).ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", CultureInfo.InvariantCulture),
        }));
    }

    private static bool HasKubernetesClaims(JsonObject claims) =>
        claims["kubernetes.io"] is JsonObject k8s
        && NonEmpty(k8s["namespace"])
        && k8s["serviceaccount"] is JsonObject sa && NonEmpty(sa["name"]) && NonEmpty(sa["uid"])
        && k8s["pod"] is JsonObject pod && NonEmpty(pod["name"]) && NonEmpty(pod["uid"]);

    private static bool NonEmpty(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) && !string.IsNullOrWhiteSpace(text);
}
