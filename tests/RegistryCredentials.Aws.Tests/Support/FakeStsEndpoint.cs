using System.Collections.Concurrent;
using System.Globalization;
using System.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using RegistryCredentials.Tests.Support.Registry;

using RegistryCredentials.Tests.Support;

namespace RegistryCredentials.Aws.Tests.Support;

/// <summary>
/// A local HTTPS stand-in for STS <c>AssumeRole</c> (AWS query protocol: a form POST, an XML answer). The request's SigV4
/// signature (service <c>sts</c>) is checked against <see cref="BaseKeys"/>; the role and external id must be the ones
/// configured, or it answers <c>AccessDenied</c> (403) as STS does. A granted session gets <see cref="SessionKeys"/>.
/// Reached by an STS host name (<c>sts[-fips].&lt;region&gt;.…</c>, see <see cref="AwsHostRoutes"/>), it serves that
/// region only, as STS does: a credential scoped to another region gets <c>SignatureDoesNotMatch</c> (403) "Credential
/// should be scoped to a valid region, not '…'." (STS's answer, quoted in cognitect-labs/aws-api#27).
/// </summary>
public sealed partial class FakeStsEndpoint : IAsyncDisposable
{
    private readonly TimeProvider _time;
    private LoopbackHttpServer _server = null!;

    private FakeStsEndpoint(TimeProvider time, AwsTestKeys baseKeys, string roleArn, string? externalId)
    {
        _time = time;
        BaseKeys = baseKeys;
        RoleArn = roleArn;
        ExternalId = externalId;
    }

    public Uri BaseUri => _server.BaseUri;

    public AwsTestKeys BaseKeys { get; }

    public string RoleArn { get; }

    public string? ExternalId { get; }

    /// <summary>The credentials of the assumed-role session.</summary>
    public AwsTestKeys SessionKeys { get; } = AwsTestKeys.NewSession();

    /// <summary>Each AssumeRole form as received (field → value), and the signature check's result.</summary>
    public ConcurrentQueue<(Dictionary<string, string> Form, SigV4Result Signature)> Calls { get; } = new();

    /// <summary>The <c>Host</c> header of each request, in order.</summary>
    public ConcurrentQueue<string> Hosts { get; } = new();

    public static async Task<FakeStsEndpoint> StartAsync(
        TimeProvider time,
        AwsTestKeys baseKeys,
        string roleArn,
        string? externalId,
        X509Certificate2? certificate = null)
    {
        var endpoint = new FakeStsEndpoint(time, baseKeys, roleArn, externalId);
        endpoint._server = await LoopbackHttpServer.StartAsync(endpoint.HandleAsync, certificate ?? TestCertificates.Shared.Server.Certificate);
        return endpoint;
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private async Task HandleAsync(HttpContext context, byte[] body)
    {
        var form = QueryHelpers.ParseQuery(System.Text.Encoding.UTF8.GetString(body)).ToDictionary(p => p.Key, p => p.Value.ToString(), StringComparer.Ordinal);
        var signature = SigV4Verifier.Verify(context.Request, body, id => id == BaseKeys.AccessKeyId ? BaseKeys : null, "sts");
        Calls.Enqueue((form, signature));
        Hosts.Enqueue(context.Request.Host.Host);
        context.Response.ContentType = "text/xml";
        if (!signature.IsValid)
        {
            await ErrorAsync(
                context,
                403,
                signature.ErrorCode == "UnrecognizedClientException" ? "InvalidClientTokenId" : "SignatureDoesNotMatch",
                signature.Message!);
            return;
        }

        if (RegionOf(context.Request.Host.Host) is { } served && signature.Region != served)
        {
            await ErrorAsync(context, 403, "SignatureDoesNotMatch", $"Credential should be scoped to a valid region, not '{signature.Region}'. ");
            return;
        }

        if (form.GetValueOrDefault("Action") != "AssumeRole"
            || form.GetValueOrDefault("RoleArn") != RoleArn
            || form.GetValueOrDefault("ExternalId") != ExternalId)
        {
            await ErrorAsync(context, 403, "AccessDenied", "User is not authorized to perform: sts:AssumeRole");
            return;
        }

        var expiration = (_time.GetUtcNow() + TimeSpan.FromSeconds(int.Parse(
            form.GetValueOrDefault("DurationSeconds") ?? "3600",
            CultureInfo.InvariantCulture)))
            .ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        await context.Response.WriteAsync($"""
            <AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
              <AssumeRoleResult>
                <Credentials>
                  <AccessKeyId>{SessionKeys.AccessKeyId}</AccessKeyId>
                  <SecretAccessKey>{SecurityElement.Escape(SessionKeys.SecretAccessKey)}</SecretAccessKey>
                  <SessionToken>{SecurityElement.Escape(SessionKeys.SessionToken)}</SessionToken>
                  <Expiration>{expiration}</Expiration>
                </Credentials>
                <AssumedRoleUser>
                  <AssumedRoleId>AROATESTROLE:{SecurityElement.Escape(form.GetValueOrDefault("RoleSessionName"))}</AssumedRoleId>
                  <Arn>{SecurityElement.Escape(RoleArn)}</Arn>
                </AssumedRoleUser>
              </AssumeRoleResult>
              <ResponseMetadata><RequestId>{Guid.NewGuid()}</RequestId></ResponseMetadata>
            </AssumeRoleResponse>
            """);
    }

    /// <summary>The region an STS host name serves (the global <c>sts.amazonaws.com</c> signs for us-east-1); null for a loopback address.</summary>
    private static string? RegionOf(string host)
    {
        if (string.Equals(host, "sts.amazonaws.com", StringComparison.OrdinalIgnoreCase))
        {
            return "us-east-1";
        }

        var match = StsHost().Match(host);
        return match.Success ? match.Groups["region"].Value : null;
    }

    [GeneratedRegex(@"^sts(-fips)?\.(?<region>[a-z]{2,4}(-[a-z0-9]+)+-\d+)\.", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex StsHost();

    private static async Task ErrorAsync(HttpContext context, int status, string code, string message)
    {
        context.Response.StatusCode = status;
        await context.Response.WriteAsync($"""
            <ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
              <Error><Type>Sender</Type><Code>{code}</Code><Message>{SecurityElement.Escape(message)}</Message></Error>
              <RequestId>{Guid.NewGuid()}</RequestId>
            </ErrorResponse>
            """);
    }
}
