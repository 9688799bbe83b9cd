using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using RegistryCredentials.Tests.Support.Registry;


namespace RegistryCredentials.Tests.Support.Cloud;

/// <summary>
/// A local HTTPS stand-in for the ECR (and ECR Public) API: <c>POST /</c> with <c>X-Amz-Target:
/// AmazonEC2ContainerRegistry_V20150921.GetAuthorizationToken</c> (or <c>SpencerFrontendService.GetAuthorizationToken</c>),
/// <c>application/x-amz-json-1.1</c>. Every request's SigV4 signature is checked with <see cref="SigV4Verifier"/> against
/// the keys added with <see cref="AddKeys"/>, and refused the way AWS does (<c>InvalidSignatureException</c> with 403,
/// <c>UnrecognizedClientException</c> with 400, JSON <c>__type</c>/<c>message</c> and <c>x-amzn-ErrorType</c>). A valid
/// request gets a fresh random password as <c>base64("AWS:" + password)</c> and <c>expiresAt</c> =
/// now (<see cref="TimeProvider"/>) + <see cref="TokenLifetime"/>, in epoch seconds.
/// Like AWS, an endpoint serves one region: a request whose credential scope names another region is refused with
/// <c>InvalidSignatureException</c> (403) "Credential should be scoped to a valid region, not '…'." — the answer AWS's
/// JSON-protocol services give (quoted in aws/aws-sdk-ruby#508 and fsouza/s3-upload-proxy#241). The region served is
/// <see cref="Region"/>, or the one in the <c>Host</c> header when the request was sent to an AWS API host name
/// (<c>api.ecr[-fips].&lt;region&gt;.…</c>, <c>ecr[-fips].&lt;region&gt;.…</c>, <c>[api.]ecr-public.&lt;region&gt;.…</c>).
/// </summary>
public sealed partial class FakeEcrEndpoint : IAsyncDisposable
{
    public const string PrivateTarget = "AmazonEC2ContainerRegistry_V20150921.GetAuthorizationToken";
    public const string PublicTarget = "SpencerFrontendService.GetAuthorizationToken";

    private readonly ConcurrentDictionary<string, AwsTestKeys> _keys = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private LoopbackHttpServer _server = null!;
    private int _requestCount;
    private int _throttleNext;

    private FakeEcrEndpoint(TimeProvider time) => _time = time;

    public Uri BaseUri => _server.BaseUri;

    /// <summary>Every request, in order.</summary>
    public ConcurrentQueue<EcrCall> Calls { get; } = new();

    /// <summary>How many requests arrived (valid or not).</summary>
    public int RequestCount => Volatile.Read(ref _requestCount);

    /// <summary>How many tokens were issued.</summary>
    public int TokensIssued => Calls.Count(c => c.Status == HttpStatusCode.OK);

    /// <summary>The lifetime of issued tokens; ECR's is 12 hours.</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(12);

    /// <summary>When set, every validly signed request fails with this status and AWS error code.</summary>
    public (HttpStatusCode Status, string Code)? FailWith { get; set; }

    /// <summary>When set, answers wait for it (to hold a call in flight).</summary>
    public TaskCompletionSource? Gate { get; set; }

    /// <summary>Called with each issued password before the answer goes out (for example to teach a token server the user <c>AWS</c>).</summary>
    public Action<string>? OnTokenIssued { get; set; }

    /// <summary>
    /// The region this endpoint serves when it is reached by its loopback address; null: not checked (unless the Host
    /// header names a region).
    /// </summary>
    public string? Region { get; set; }

    /// <summary>The last password issued.</summary>
    public string? LastPassword { get; private set; }

    public static async Task<FakeEcrEndpoint> StartAsync(TimeProvider time, TestCertificates? certificates = null)
    {
        var endpoint = new FakeEcrEndpoint(time);
        endpoint._server = await LoopbackHttpServer.StartAsync(endpoint.HandleAsync, (certificates ?? TestCertificates.Shared).Server.Certificate);
        return endpoint;
    }

    /// <summary>
    /// Starts an endpoint that serves <paramref name="certificate"/> (for example one for AWS host names, see AwsHostRoutes in
    /// the AWS tests).
    /// </summary>
    public static async Task<FakeEcrEndpoint> StartAsync(TimeProvider time, X509Certificate2 certificate)
    {
        var endpoint = new FakeEcrEndpoint(time);
        endpoint._server = await LoopbackHttpServer.StartAsync(endpoint.HandleAsync, certificate);
        return endpoint;
    }

    /// <summary>Teaches the endpoint an identity whose signatures it accepts.</summary>
    public void AddKeys(AwsTestKeys keys) => _keys[keys.AccessKeyId] = keys;

    /// <summary>The next <paramref name="count"/> validly signed requests get <c>ThrottlingException</c> (400).</summary>
    public void ThrottleNext(int count) => Volatile.Write(ref _throttleNext, count);

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private async Task HandleAsync(HttpContext context, byte[] body)
    {
        Interlocked.Increment(ref _requestCount);
        var request = context.Request;
        var target = request.Headers["X-Amz-Target"].ToString();
        if (request.Method != "POST" || request.Path != "/" || target is not (PrivateTarget or PublicTarget))
        {
            await ErrorAsync(
                context,
                new EcrCall(_time.GetUtcNow(), target, null, null, null, null, [], [], HttpStatusCode.BadRequest, "UnknownOperationException"),
                "Unknown operation.");
            return;
        }

        if (request.ContentType != "application/x-amz-json-1.1")
        {
            await ErrorAsync(
                context,
                new EcrCall(_time.GetUtcNow(), target, null, null, null, null, [], [], HttpStatusCode.BadRequest, "SerializationException"),
                "Unexpected content type.");
            return;
        }

        var signature = SigV4Verifier.Verify(request, body, id => _keys.GetValueOrDefault(id), target == PublicTarget ? "ecr-public" : "ecr");
        if (!signature.IsValid)
        {
            var status = signature.ErrorCode == "UnrecognizedClientException" ? HttpStatusCode.BadRequest : HttpStatusCode.Forbidden;
            await ErrorAsync(
                context,
                new EcrCall(_time.GetUtcNow(), target, signature.AccessKeyId, null, null, null, [], [], status, signature.ErrorCode),
                signature.Message!);
            return;
        }

        var registryIds = ReadRegistryIds(body);
        var host = request.Host.Host;
        EcrCall Call(HttpStatusCode status, string? code) =>
            new(
                _time.GetUtcNow(),
                target,
                signature.AccessKeyId,
                signature.Region,
                signature.Service,
                signature.SessionToken,
                registryIds,
                signature.SignedHeaders,
                status,
                code,
                host);

        if ((Region ?? RegionOf(host)) is { } served && !string.Equals(signature.Region, served, StringComparison.Ordinal))
        {
            await ErrorAsync(
                context,
                Call(HttpStatusCode.Forbidden, "InvalidSignatureException"),
                $"Credential should be scoped to a valid region, not '{signature.Region}'. ");
            return;
        }

        if (Interlocked.Decrement(ref _throttleNext) >= 0)
        {
            await ErrorAsync(context, Call(HttpStatusCode.BadRequest, "ThrottlingException"), "Rate exceeded");
            return;
        }

        if (FailWith is { } failure)
        {
            await ErrorAsync(context, Call(failure.Status, failure.Code), "Injected failure.");
            return;
        }

        if (Gate is { } gate)
        {
            await gate.Task;
        }

        var password = Convert.ToBase64String(RandomNumberGenerator.GetBytes(1536));
        var token = Convert.ToBase64String(Encoding.UTF8.GetBytes("AWS:" + password));
        var expiresAt = (_time.GetUtcNow() + TokenLifetime).ToUnixTimeMilliseconds() / 1000.0;
        LastPassword = password;
        OnTokenIssued?.Invoke(password);
        Calls.Enqueue(Call(HttpStatusCode.OK, null));
        var expires = expiresAt.ToString("0.000", CultureInfo.InvariantCulture);
        var data = target == PublicTarget
            ? $"{{\"authorizationData\":{{\"authorizationToken\":\"{token}\",\"expiresAt\":{expires}}}}}"
            : $"{{\"authorizationData\":[{{\"authorizationToken\":\"{token}\",\"expiresAt\":{expires},"
                + $"\"proxyEndpoint\":\"https://{(registryIds.Count > 0 ? registryIds[0] : "000000000000")}.dkr.ecr.{signature.Region}.amazonaws.com\"}}]}}";
        context.Response.ContentType = "application/x-amz-json-1.1";
        context.Response.Headers["x-amzn-RequestId"] = Guid.NewGuid().ToString();
        await context.Response.WriteAsync(data);
    }

    private async Task ErrorAsync(HttpContext context, EcrCall call, string message)
    {
        Calls.Enqueue(call);
        context.Response.StatusCode = (int)call.Status;
        context.Response.ContentType = "application/x-amz-json-1.1";
        context.Response.Headers["x-amzn-RequestId"] = Guid.NewGuid().ToString();
        context.Response.Headers["x-amzn-ErrorType"] = call.ErrorCode + ":http://internal.amazon.com/coral/com.amazon.coral.service/";
        await context.Response.WriteAsync(JsonSerializer.Serialize(new Dictionary<string, string> { ["__type"] = call.ErrorCode!, ["message"] = message }));
    }

    /// <summary>The region in an ECR or ECR Public API host name; null for anything else (a loopback address).</summary>
    private static string? RegionOf(string host)
    {
        var match = ApiHost().Match(host);
        return match.Success ? match.Groups["region"].Value : null;
    }

    [GeneratedRegex(@"^(api\.)?ecr(-public)?(-fips)?\.(?<region>[a-z]{2,4}(-[a-z0-9]+)+-\d+)\.", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex ApiHost();

    private static List<string> ReadRegistryIds(byte[] body)
    {
        using var json = JsonDocument.Parse(body);
        return json.RootElement.TryGetProperty("registryIds", out var ids)
            ? [.. ids.EnumerateArray().Select(id => id.GetString()!)]
            : [];
    }
}
