using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

using RegistryCredentials.Tests.Support;

namespace RegistryCredentials.Aws.Tests.Support;

/// <summary>
/// An EC2 instance-metadata service (IMDSv2) on loopback, plain HTTP like the real one: <c>PUT /latest/api/token</c>
/// with <c>X-aws-ec2-metadata-token-ttl-seconds</c> gives a session token; <c>GET
/// /latest/meta-data/iam/security-credentials/</c> lists the instance role and <c>…/&lt;role&gt;</c> gives its temporary
/// credentials, both only with <c>X-aws-ec2-metadata-token</c> (401 otherwise). The SDK finds it through
/// <c>AWS_EC2_METADATA_SERVICE_ENDPOINT</c>.
/// </summary>
public sealed class FakeImdsEndpoint : IAsyncDisposable
{
    public const string RoleName = "ecr-node-role";

    private readonly string _token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
    private LoopbackHttpServer _server = null!;

    private FakeImdsEndpoint(AwsTestKeys keys) => Keys = keys;

    /// <summary>The instance role's temporary credentials.</summary>
    public AwsTestKeys Keys { get; }

    /// <summary><c>http://127.0.0.1:port</c>, the value for <c>AWS_EC2_METADATA_SERVICE_ENDPOINT</c>.</summary>
    public string Endpoint => _server.BaseUri.GetLeftPart(UriPartial.Authority);

    /// <summary>Every request as <c>METHOD path status</c>.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    public static async Task<FakeImdsEndpoint> StartAsync()
    {
        var endpoint = new FakeImdsEndpoint(AwsTestKeys.NewSession());
        endpoint._server = await LoopbackHttpServer.StartAsync(endpoint.HandleAsync);
        return endpoint;
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private async Task HandleAsync(HttpContext context, byte[] body)
    {
        var request = context.Request;
        var path = request.Path.Value ?? string.Empty;
        var (status, text) = Answer(request, path);
        Requests.Enqueue($"{request.Method} {path} {status.ToString(CultureInfo.InvariantCulture)}");
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain";
        await context.Response.WriteAsync(text);
    }

    private (int Status, string Text) Answer(HttpRequest request, string path)
    {
        if (request.Method == "PUT" && path == "/latest/api/token")
        {
            return request.Headers.ContainsKey("X-aws-ec2-metadata-token-ttl-seconds") ? (200, _token) : (400, "Bad Request");
        }

        if (request.Method != "GET" || !path.StartsWith("/latest/meta-data/iam/security-credentials", StringComparison.Ordinal))
        {
            return (404, "Not Found");
        }

        if (request.Headers["X-aws-ec2-metadata-token"] != _token)
        {
            return (401, "Unauthorized");
        }

        var rest = path["/latest/meta-data/iam/security-credentials".Length..].Trim('/');
        if (rest.Length == 0)
        {
            return (200, RoleName);
        }

        if (rest != RoleName)
        {
            return (404, "Not Found");
        }

        // The SDK checks the expiry against the real clock, not a test's fake one.
        var now = DateTimeOffset.UtcNow;
        return (200, JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["Code"] = "Success",
            ["LastUpdated"] = now.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
            ["Type"] = "AWS-HMAC",
            ["AccessKeyId"] = Keys.AccessKeyId,
            ["SecretAccessKey"] = Keys.SecretAccessKey,
            ["Token"] = Keys.SessionToken!,
            ["Expiration"] = now.AddHours(6).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
        }));
    }
}
