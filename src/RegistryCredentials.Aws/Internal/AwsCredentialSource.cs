using System.Net;
using Amazon.Runtime;
using Amazon.Runtime.Credentials;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace RegistryCredentials.Aws.Internal;

/// <summary>
/// The AWS credentials an ECR call is signed with: an entry's access keys (<see cref="BasicAWSCredentials"/>), the
/// machine's identity through the SDK's default credential chain (<see cref="DefaultAWSCredentialsIdentityResolver"/>, in
/// this order: environment keys, web identity (IRSA), shared profile, ECS/EKS container credentials (EKS Pod Identity),
/// EC2 instance metadata), or an
/// <c>_iam_role</c> session assumed through STS with the configured or the machine's base credentials.
/// </summary>
internal sealed class AwsCredentialSource(
    IHttpClientFactory httpClientFactory,
    IOptionsMonitor<AwsEcrOptions> options,
    TimeProvider time,
    ILogger logger) : IDisposable
{
    private static readonly HashSet<string> StsUnauthorizedCodes = new(StringComparer.OrdinalIgnoreCase)
    {
        "AccessDenied", "AccessDeniedException", "InvalidClientTokenId", "SignatureDoesNotMatch", "ExpiredToken",
        "ExpiredTokenException", "UnrecognizedClientException", "InvalidSignatureException", "IncompleteSignature",
        "MissingAuthenticationToken", "RegionDisabledException",
    };

    private readonly DefaultAWSCredentialsIdentityResolver _chain = new();
    private readonly RoleSessionCache _roles = new(time);
    private readonly CancellationTokenSource _disposed = new();

    /// <summary>The credentials to sign with for an entry.</summary>
    public async Task<ImmutableCredentials> GetAsync(EcrEntryState state, CancellationToken cancellationToken)
    {
        switch (state.Kind)
        {
            case EcrIdentityKind.AccessKey:
                return new ImmutableCredentials(state.AccessKeyId, state.SecretAccessKey, null);
            case EcrIdentityKind.Auto:
                return await ResolveAsync(await MachineAsync(cancellationToken).ConfigureAwait(false), "the machine's identity").ConfigureAwait(false);
            case EcrIdentityKind.WebIdentity:
                var workload = await _roles.GetAsync(state.RoleKey!, () => AssumeWithWebIdentityAsync(state, _disposed.Token), cancellationToken)
                    .ConfigureAwait(false);
                return workload.Credentials;
            default:
                var session = await _roles.GetAsync(state.RoleKey!, () => AssumeAsync(state, _disposed.Token), cancellationToken).ConfigureAwait(false);
                return session.Credentials;
        }
    }

    public void Dispose()
    {
        if (!_disposed.IsCancellationRequested)
        {
            _disposed.Cancel();
            _disposed.Dispose();
            _chain.Dispose();
        }
    }

    private async Task<AWSCredentials> MachineAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _chain.ResolveIdentityAsync(null!, cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonClientException e)
        {
            throw new AwsEcrException(
                AwsEcrErrorKind.NoCredentials,
                "The AWS default credential chain found no credentials for this machine (environment "
                + "keys, web identity, shared profile, container credentials, EC2 instance metadata): "
                + Compact(e.Message),
                innerException: e);
        }
    }

    private static async Task<ImmutableCredentials> ResolveAsync(AWSCredentials credentials, string what)
    {
        try
        {
            return await credentials.GetCredentialsAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is AmazonClientException or AmazonServiceException or HttpRequestException or InvalidOperationException)
        {
            // A source that asks AWS (web identity: STS AssumeRoleWithWebIdentity) wraps AWS's answer in a message that
            // quotes the role ARN and not the reason; AWS's error code is the reason, and is kept instead.
            if (AwsAnswer(e) is { } answer)
            {
                var status = answer.StatusCode == 0 ? null : (HttpStatusCode?)answer.StatusCode;
                var http = status is { } code ? $" (HTTP {((int)code).ToString(System.Globalization.CultureInfo.InvariantCulture)})" : string.Empty;
                throw new AwsEcrException(
                    AwsEcrErrorKind.NoCredentials,
                    $"The credentials of {what} could not be loaded: AWS answered {answer.ErrorCode}{http}.",
                    answer.ErrorCode,
                    status,
                    e);
            }

            throw new AwsEcrException(
                AwsEcrErrorKind.NoCredentials,
                $"The credentials of {what} could not be loaded: {FirstLine(e.Message)}",
                innerException: e);
        }
    }

    /// <summary>The innermost AWS service error with an error code in an exception's causes, if any.</summary>
    private static AmazonServiceException? AwsAnswer(Exception exception)
    {
        AmazonServiceException? found = null;
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            if (e is AmazonServiceException { ErrorCode: { Length: > 0 } } service)
            {
                found = service;
            }
        }

        return found;
    }

    private async Task<RoleSession> AssumeAsync(EcrEntryState state, CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue;
        var baseCredentials = settings.BaseCredentials ?? await MachineAsync(cancellationToken).ConfigureAwait(false);
        var config = StsConfig(state, settings);
        var request = new AssumeRoleRequest
        {
            RoleArn = state.RoleArn,
            RoleSessionName = settings.RoleSessionName,
            DurationSeconds = (int)settings.RoleSessionDuration.TotalSeconds,
        };
        if (state.ExternalId is { } externalId)
        {
            request.ExternalId = externalId;
        }

        try
        {
            using var sts = new AmazonSecurityTokenServiceClient(baseCredentials, config);
            var response = await sts.AssumeRoleAsync(request, cancellationToken).ConfigureAwait(false);
            return Session(response.Credentials, $"STS AssumeRole for the _iam_role role of {state.Scope}", state, settings);
        }
        catch (AmazonServiceException e) when (e.StatusCode != 0 || e.ErrorCode is not null)
        {
            var kind = StsRefusal(e, webIdentity: false);
            AwsTelemetry.RoleSessionRequested(kind);
            // AWS's message may quote the role ARN, which is part of the entry's password: only the code is kept.
            throw new AwsEcrException(
                kind,
                $"STS refused to assume the _iam_role role of {state.Scope} "
                + $"({e.ErrorCode ?? "HTTP " + ((int)e.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture)}).",
                e.ErrorCode,
                e.StatusCode);
        }
        catch (Exception e) when (e is AmazonClientException or AmazonServiceException or HttpRequestException)
        {
            AwsTelemetry.RoleSessionRequested(AwsEcrErrorKind.Unreachable);
            throw new AwsEcrException(
                AwsEcrErrorKind.Unreachable,
                $"STS could not be reached to assume the _iam_role role of {state.Scope}: {FirstLine(e.Message)}",
                innerException: e);
        }
    }

    /// <summary>
    /// A workload's role session: its service-account token presented to STS <c>AssumeRoleWithWebIdentity</c>, which is
    /// not signed (STS API Reference: "does not require the use of AWS security credentials"); STS checks the token
    /// against the account's OIDC provider and the role's trust policy.
    /// </summary>
    private async Task<RoleSession> AssumeWithWebIdentityAsync(EcrEntryState state, CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue;
        var request = new AssumeRoleWithWebIdentityRequest
        {
            RoleArn = state.RoleArn,
            RoleSessionName = settings.RoleSessionName,
            WebIdentityToken = state.WebIdentityToken,
            DurationSeconds = (int)settings.RoleSessionDuration.TotalSeconds,
        };
        var who = $"{state.ServiceAccount ?? "the workload's service account"} for {state.Scope}";
        try
        {
            using var sts = new AmazonSecurityTokenServiceClient(new AnonymousAWSCredentials(), StsConfig(state, settings));
            var response = await sts.AssumeRoleWithWebIdentityAsync(request, cancellationToken).ConfigureAwait(false);
            return Session(response.Credentials, $"STS AssumeRoleWithWebIdentity for {who}", state, settings);
        }
        catch (AmazonServiceException e) when (e.StatusCode != 0 || e.ErrorCode is not null)
        {
            var kind = StsRefusal(e, webIdentity: true);
            AwsTelemetry.RoleSessionRequested(kind);
            var status = ((int)e.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
            throw new AwsEcrException(kind, $"STS refused the web identity of {who} ({e.ErrorCode ?? "HTTP " + status}).", e.ErrorCode, e.StatusCode);
        }
        catch (Exception e) when (e is AmazonClientException or AmazonServiceException or HttpRequestException)
        {
            AwsTelemetry.RoleSessionRequested(AwsEcrErrorKind.Unreachable);
            throw new AwsEcrException(
                AwsEcrErrorKind.Unreachable, $"STS could not be reached to assume the role of {who}: {FirstLine(e.Message)}", innerException: e);
        }
    }

    /// <summary>
    /// The role session STS answered with (for <paramref name="call"/>, named in errors), ending when STS says, or after the
    /// configured session duration when it does not say.
    /// </summary>
    private RoleSession Session(Credentials? credentials, string call, EcrEntryState state, AwsEcrOptions settings)
    {
        var issued = credentials ?? throw new AwsEcrException(AwsEcrErrorKind.ServiceError, $"{call} answered without credentials.");
        var expiration = issued.Expiration is { } expires
            ? new DateTimeOffset(DateTime.SpecifyKind(expires.ToUniversalTime(), DateTimeKind.Utc))
            : time.GetUtcNow() + settings.RoleSessionDuration;
        AwsTelemetry.RoleSessionRequested(null);
        AwsLog.RoleAssumed(logger, state.Scope, expiration);
        return new RoleSession(new ImmutableCredentials(issued.AccessKeyId, issued.SecretAccessKey, issued.SessionToken), expiration);
    }

    /// <summary>
    /// What an STS refusal means. For a web identity, InvalidIdentityToken, ExpiredTokenException and IDPRejectedClaim
    /// (the workload is not let in) are unauthorized too, and IDPCommunicationError (STS could not reach the identity
    /// provider; AWS says to retry) is throttled.
    /// </summary>
    private static AwsEcrErrorKind StsRefusal(AmazonServiceException e, bool webIdentity)
    {
        var code = e.ErrorCode;
        if (code is not null
            && (StsUnauthorizedCodes.Contains(code) || (webIdentity && code is "InvalidIdentityToken" or "ExpiredTokenException" or "IDPRejectedClaim")))
        {
            return AwsEcrErrorKind.Unauthorized;
        }

        if (code is "Throttling" or "ThrottlingException" || (webIdentity && code is "IDPCommunicationError")
            || e.StatusCode == HttpStatusCode.TooManyRequests)
        {
            return AwsEcrErrorKind.Throttled;
        }

        return (int)e.StatusCode >= 500 ? AwsEcrErrorKind.Unreachable : AwsEcrErrorKind.ServiceError;
    }

    /// <summary>The STS client's settings: the configured endpoint, or the registry region's (FIPS or dual-stack as the host is).</summary>
    private AmazonSecurityTokenServiceConfig StsConfig(EcrEntryState state, AwsEcrOptions settings)
    {
        var config = new AmazonSecurityTokenServiceConfig
        {
            HttpClientFactory = new SdkHttpClientFactory(httpClientFactory),
            MaxErrorRetry = settings.MaxRetries,
            Timeout = settings.RequestTimeout,
        };
        if (settings.StsServiceUrl is { } stsUrl)
        {
            config.ServiceURL = stsUrl.AbsoluteUri;
            config.AuthenticationRegion = state.Target.Region;
        }
        else
        {
            config.RegionEndpoint = state.Target.RegionEndpoint;

            // A FIPS or dual-stack registry is reached through STS's matching endpoint; the SDK's STS endpoint rules pick it
            // (sts-fips.{region}.{dnsSuffix}; in GovCloud the regional sts.{region}.amazonaws.com is the FIPS endpoint).
            if (state.Target.Host.IsFips)
            {
                config.UseFIPSEndpoint = true;
            }

            if (state.Target.Host.IsDualStack)
            {
                config.UseDualstackEndpoint = true;
            }
        }

        return config;
    }

    /// <summary>A multi-line SDK message (the chain lists one error per provider) on one line, at most 1,000 characters.</summary>
    private static string Compact(string message)
    {
        var text = string.Join("; ", message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        return text.Length <= 1000 ? text : text[..1000] + "…";
    }

    private static string FirstLine(string message)
    {
        var trimmed = message.Trim();
        var end = trimmed.IndexOfAny(['\r', '\n']);
        return end < 0 ? trimmed : trimmed[..end];
    }
}
