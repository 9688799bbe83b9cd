using System.Collections.Concurrent;
using System.Globalization;
using System.Security;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace RegistryCredentials.Tests.Support.Cloud;

/// <summary>
/// A local stand-in for STS <c>AssumeRoleWithWebIdentity</c> (IRSA). Its checks follow AWS's published rules:
/// <list type="bullet">
/// <item>STS API Reference, AssumeRoleWithWebIdentity
/// (https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoleWithWebIdentity.html): query protocol, a form
/// POST with <c>Action=AssumeRoleWithWebIdentity</c>, <c>Version=2011-06-15</c>, <c>RoleArn</c>, <c>RoleSessionName</c>
/// (2–64 characters of <c>[\w+=,.@-]</c>), <c>WebIdentityToken</c> (4–20,000 characters), optional
/// <c>DurationSeconds</c> (900–43,200); no AWS credentials are needed ("Calling AssumeRoleWithWebIdentity does not
/// require the use of AWS security credentials"); errors <c>InvalidIdentityToken</c> and <c>ExpiredTokenException</c>
/// (400) and the XML <c>AssumeRoleWithWebIdentityResponse</c>.</item>
/// <item>IAM User Guide, OIDC identity providers: the token's <c>iss</c> must be a provider registered in the account,
/// its signature must verify with that provider's keys, and its <c>aud</c> must be one of the provider's client ids
/// (<c>sts.amazonaws.com</c> for EKS), else <c>InvalidIdentityToken</c>.</item>
/// <item>EKS User Guide, IAM roles for service accounts, technical overview
/// (https://docs.aws.amazon.com/eks/latest/userguide/iam-roles-for-service-accounts-technical-overview.html): the role's
/// trust policy allows <c>sts:AssumeRoleWithWebIdentity</c> to the cluster's provider with
/// <c>&lt;issuer&gt;:sub = system:serviceaccount:&lt;namespace&gt;:&lt;name&gt;</c> and <c>&lt;issuer&gt;:aud =
/// sts.amazonaws.com</c>; another role or subject gets <c>AccessDenied</c> (403).</item>
/// </list>
/// Plain HTTP on loopback: the SDK builds this STS client itself, so the test cannot hand it the test CA; what is tested
/// is the request, not TLS. The session's expiry is on the real clock, which the SDK's credential refresh uses.
/// </summary>
public sealed partial class FakeWebIdentityStsEndpoint : IAsyncDisposable
{
    /// <summary>The audience of IRSA tokens and the client id of the cluster's IAM OIDC provider.</summary>
    public const string Audience = "sts.amazonaws.com";

    private readonly ServiceAccountTokenIssuer _issuer;
    private LoopbackHttpServer _server = null!;

    private FakeWebIdentityStsEndpoint(ServiceAccountTokenIssuer issuer, string roleArn)
    {
        _issuer = issuer;
        RoleArn = roleArn;
    }

    /// <summary><c>http://127.0.0.1:port/</c>, the value for <c>AWS_ENDPOINT_URL_STS</c>.</summary>
    public Uri BaseUri => _server.BaseUri;

    /// <summary>The role whose trust policy trusts the issuer's service account.</summary>
    public string RoleArn { get; }

    /// <summary>The credentials of a granted session.</summary>
    public AwsTestKeys SessionKeys { get; } = AwsTestKeys.NewSession();

    /// <summary>Each request: its form, whether it carried an <c>Authorization</c> header, and the answer's error code (null: granted).</summary>
    public ConcurrentQueue<(Dictionary<string, string> Form, bool Signed, string? ErrorCode)> Calls { get; } = new();

    public static async Task<FakeWebIdentityStsEndpoint> StartAsync(ServiceAccountTokenIssuer issuer, string roleArn, string address = "127.0.0.1")
    {
        var endpoint = new FakeWebIdentityStsEndpoint(issuer, roleArn);
        endpoint._server = await LoopbackHttpServer.StartAsync(endpoint.HandleAsync, certificate: null, address);
        return endpoint;
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private async Task HandleAsync(HttpContext context, byte[] body)
    {
        var request = context.Request;
        var form = QueryHelpers.ParseQuery(System.Text.Encoding.UTF8.GetString(body)).ToDictionary(p => p.Key, p => p.Value.ToString(), StringComparer.Ordinal);
        var signed = request.Headers.Authorization.Count > 0;
        var (status, code, message) = Check(request, form);
        Calls.Enqueue((form, signed, code));
        context.Response.ContentType = "text/xml";
        context.Response.Headers["x-amzn-RequestId"] = Guid.NewGuid().ToString();
        if (code is not null)
        {
            context.Response.StatusCode = status;
            await context.Response.WriteAsync($"""
                <ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
                  <Error><Type>Sender</Type><Code>{code}</Code><Message>{SecurityElement.Escape(message)}</Message></Error>
                  <RequestId>{Guid.NewGuid()}</RequestId>
                </ErrorResponse>
                """);
            return;
        }

        var duration = form.TryGetValue("DurationSeconds", out var seconds) ? int.Parse(seconds, CultureInfo.InvariantCulture) : 3600;
        var expiration = TimeProvider.System.GetUtcNow().AddSeconds(duration).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        var sessionName = SecurityElement.Escape(form["RoleSessionName"]);
        var roleName = RoleArn[(RoleArn.LastIndexOf('/') + 1)..];
        var account = RoleArn.Split(':')[4];
        var issuer = new Uri(_issuer.Issuer);
        await context.Response.WriteAsync($"""
            <AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
              <AssumeRoleWithWebIdentityResult>
                <SubjectFromWebIdentityToken>{SecurityElement.Escape(_issuer.Subject)}</SubjectFromWebIdentityToken>
                <Audience>{Audience}</Audience>
                <AssumedRoleUser>
                  <Arn>arn:aws:sts::{account}:assumed-role/{roleName}/{sessionName}</Arn>
                  <AssumedRoleId>AROATESTWEBIDENTITY:{sessionName}</AssumedRoleId>
                </AssumedRoleUser>
                <Credentials>
                  <SessionToken>{SecurityElement.Escape(SessionKeys.SessionToken)}</SessionToken>
                  <SecretAccessKey>{SecurityElement.Escape(SessionKeys.SecretAccessKey)}</SecretAccessKey>
                  <Expiration>{expiration}</Expiration>
                  <AccessKeyId>{SessionKeys.AccessKeyId}</AccessKeyId>
                </Credentials>
                <Provider>arn:aws:iam::{account}:oidc-provider/{SecurityElement.Escape(issuer.Host + issuer.AbsolutePath)}</Provider>
              </AssumeRoleWithWebIdentityResult>
              <ResponseMetadata><RequestId>{Guid.NewGuid()}</RequestId></ResponseMetadata>
            </AssumeRoleWithWebIdentityResponse>
            """);
    }

    private (int Status, string? Code, string Message) Check(HttpRequest request, Dictionary<string, string> form)
    {
        if (request.Method != "POST" || !request.HasFormContentType)
        {
            return (400, "InvalidAction", "Expected a form POST.");
        }

        if (form.GetValueOrDefault("Action") != "AssumeRoleWithWebIdentity" || form.GetValueOrDefault("Version") != "2011-06-15")
        {
            return (400, "InvalidAction", "Could not find operation " + form.GetValueOrDefault("Action") + " for version " + form.GetValueOrDefault("Version"));
        }

        var sessionName = form.GetValueOrDefault("RoleSessionName") ?? string.Empty;
        if (!SessionName().IsMatch(sessionName))
        {
            return (
                400,
                "ValidationError",
                "1 validation error detected: Value at 'roleSessionName' failed to satisfy "
                + "constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*");
        }

        var token = form.GetValueOrDefault("WebIdentityToken") ?? string.Empty;
        if (token.Length is < 4 or > 20_000)
        {
            return (
                400,
                "ValidationError",
                "1 validation error detected: Value at 'webIdentityToken' failed to satisfy constraint: Member must have length between 4 and 20000");
        }

        if (form.TryGetValue("DurationSeconds", out var durationText)
            && (!int.TryParse(durationText, NumberStyles.None, CultureInfo.InvariantCulture, out var duration) || duration is < 900 or > 43_200))
        {
            return (
                400,
                "ValidationError",
                "1 validation error detected: Value at 'durationSeconds' failed to satisfy constraint: Member must have value between 900 and 43200");
        }

        var claims = _issuer.Validate(token, Audience, out var problem);
        switch (problem)
        {
            case TokenProblem.None:
                break;
            case TokenProblem.Expired:
                return (400, "ExpiredTokenException", "Token expired: current date/time must be before the expiration date/time");
            case TokenProblem.WrongIssuer:
                return (400, "InvalidIdentityToken", "No OpenIDConnect provider found in your account for the token's issuer");
            case TokenProblem.WrongAudience:
                return (400, "InvalidIdentityToken", "Incorrect token audience");
            default:
                return (400, "InvalidIdentityToken", "The web identity token that was passed could not be validated by AWS");
        }

        if (form.GetValueOrDefault("RoleArn") != RoleArn || (string?)claims!["sub"] != _issuer.Subject)
        {
            return (403, "AccessDenied", "Not authorized to perform sts:AssumeRoleWithWebIdentity");
        }

        return (200, null, string.Empty);
    }

    [GeneratedRegex(@"^[\w+=,.@-]{2,64}$")]
    private static partial Regex SessionName();
}
