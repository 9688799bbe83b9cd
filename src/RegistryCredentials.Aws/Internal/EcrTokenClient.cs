using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Authentication;
using System.Text;
using System.Text.Json;
using Amazon.Runtime;
using Amazon.Runtime.Signing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace RegistryCredentials.Aws.Internal;

/// <summary>
/// Makes the one ECR call this package needs, <c>GetAuthorizationToken</c>, without the ECR SDK: a JSON 1.1 POST signed
/// with SigV4 by the SDK's <see cref="AWSSigV4Signer"/>, retried with exponential backoff and jitter when throttled, on
/// 5xx and on connection failures, and decoded from <c>authorizationToken</c> (<c>base64("AWS:" + password)</c>) and
/// <c>expiresAt</c> (epoch seconds).
/// </summary>
internal sealed class EcrTokenClient(IHttpClientFactory httpClientFactory, IOptionsMonitor<AwsEcrOptions> options, TimeProvider time, ILogger logger)
{
    public const string JsonContentType = "application/x-amz-json-1.1";

    private const int MaxResponseBytes = 1024 * 1024;

    private static readonly TimeSpan DefaultLifetime = TimeSpan.FromHours(12);

    private static readonly HashSet<string> UnauthorizedCodes = new(StringComparer.OrdinalIgnoreCase)
    {
        "UnrecognizedClientException", "InvalidSignatureException", "AccessDeniedException", "AccessDenied",
        "ExpiredTokenException", "ExpiredToken", "InvalidClientTokenId", "SignatureDoesNotMatch",
        "IncompleteSignatureException", "IncompleteSignature", "MissingAuthenticationTokenException", "MissingAuthenticationToken",
        "NotAuthorized", "AuthFailure", "UnauthorizedOperation",
    };

    private static readonly HashSet<string> ThrottlingCodes = new(StringComparer.OrdinalIgnoreCase)
    {
        "ThrottlingException", "Throttling", "ThrottledException", "TooManyRequestsException", "RequestLimitExceeded",
        "RequestThrottled", "RequestThrottledException", "SlowDown", "LimitExceededException",
    };

    /// <summary>Fetches a token, retrying throttling, 5xx and connection failures.</summary>
    public async Task<EcrAuthorization> GetAuthorizationTokenAsync(EcrTarget target, ImmutableCredentials credentials, CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue;
        var signingCredentials = credentials.UseToken
            ? (AWSCredentials)new SessionAWSCredentials(credentials.AccessKey, credentials.SecretKey, credentials.Token)
            : new BasicAWSCredentials(credentials.AccessKey, credentials.SecretKey);
        for (var attempt = 0; ; attempt++)
        {
            var (authorization, failure, retryable) = await SendOnceAsync(target, signingCredentials, settings, cancellationToken).ConfigureAwait(false);
            if (authorization is not null)
            {
                AwsTelemetry.Tokens.CountRequest(null);
                return authorization;
            }

            if (!retryable || attempt >= settings.MaxRetries)
            {
                AwsTelemetry.Tokens.CountRequest(failure!.Kind);
                AwsLog.TokenFailed(logger, target.Host.Host, failure.Kind, failure.ErrorCode, failure.Message);
                throw failure!;
            }

            var delay = Backoff(settings, attempt);
            var wait = Task.Delay(delay, time, cancellationToken); // the timer runs from here, before the log line says so
            AwsTelemetry.Retries.Add(1);
            AwsLog.Retrying(logger, target.Host.Host, failure!.ErrorCode ?? failure.Kind.ToString(), attempt + 1, settings.MaxRetries, delay.TotalMilliseconds);
            await wait.ConfigureAwait(false);
        }
    }

    /// <summary>Exponential backoff with jitter: the cap doubles per attempt up to the maximum, and up to half of it is taken off at random.</summary>
    internal static TimeSpan Backoff(AwsEcrOptions settings, int attempt)
    {
        var cap = settings.RetryBaseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt, 30));
        cap = Math.Min(cap, settings.RetryMaxDelay.TotalMilliseconds);
#pragma warning disable CA5394 // Jitter spreads retries over time; it protects nothing, so a cryptographic source is not needed.
        var jitter = Random.Shared.NextDouble() * cap / 2;
#pragma warning restore CA5394
        return TimeSpan.FromMilliseconds(Math.Max(0, cap - jitter));
    }

    private async Task<(EcrAuthorization? Authorization, AwsEcrException? Failure, bool Retryable)> SendOnceAsync(
        EcrTarget target, AWSCredentials credentials, AwsEcrOptions settings, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(settings.RequestTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        using var request = await CreateSignedRequestAsync(target, credentials, linked.Token).ConfigureAwait(false);
        try
        {
            using var client = httpClientFactory.CreateClient(AwsEcrOptions.HttpClientName);
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
            var body = await ReadBodyAsync(response, linked.Token).ConfigureAwait(false);
            return response.StatusCode == HttpStatusCode.OK
                ? (Decode(target, body, response.StatusCode), null, false)
                : MapError(target, response, body);
        }
        catch (OperationCanceledException e) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return (null, new AwsEcrException(
                AwsEcrErrorKind.Unreachable,
                $"The ECR API {target.Endpoint.GetLeftPart(UriPartial.Authority)} did not answer within "
                + $"{settings.RequestTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s.",
                innerException: e), true);
        }
        catch (HttpRequestException e)
        {
            var tls = e.InnerException is AuthenticationException;
            return (null, new AwsEcrException(
                AwsEcrErrorKind.Unreachable,
                tls
                    ? $"The TLS handshake with the ECR API {target.Endpoint.GetLeftPart(UriPartial.Authority)} failed: {e.InnerException!.Message}"
                    : $"The ECR API {target.Endpoint.GetLeftPart(UriPartial.Authority)} could not be reached: {e.Message}",
                innerException: e), !tls);
        }
    }

    private async Task<HttpRequestMessage> CreateSignedRequestAsync(EcrTarget target, AWSCredentials credentials, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, target.Endpoint) { Content = new ByteArrayContent(target.Body) };
        try
        {
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(JsonContentType);
            request.Headers.TryAddWithoutValidation("X-Amz-Target", target.Operation);
            var signed = await AWSSigV4Signer.SignAsync(
                new AWSSigningRequest
                {
                    HttpMethod = HttpMethod.Post,
                    RequestUri = target.Endpoint,
                    Headers =
                    {
                        ["Content-Type"] = JsonContentType,
                        ["X-Amz-Target"] = target.Operation,
                    },
                    Content = target.Body,
                },
                new AWSSigV4Parameters
                {
                    Credentials = credentials,
                    Region = target.RegionEndpoint,
                    Service = target.Host.SigningService,
                    SignPayload = true,
                    SignedAt = time.GetUtcNow().UtcDateTime,
                },
                cancellationToken).ConfigureAwait(false);
            foreach (var header in signed.Headers)
            {
                request.Headers.Remove(header.Key);
                request.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }

            return request;
        }
        catch
        {
            request.Dispose();
            throw;
        }
    }

    private static async Task<byte[]> ReadBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.Content.Headers.ContentLength > MaxResponseBytes)
        {
            return [];
        }

        using var buffer = new MemoryStream();
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var chunk = new byte[16 * 1024];
            int read;
            while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > MaxResponseBytes)
                {
                    return [];
                }

                buffer.Write(chunk, 0, read);
            }
        }

        return buffer.ToArray();
    }

    private EcrAuthorization Decode(EcrTarget target, byte[] body, HttpStatusCode status)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            var data = json.RootElement.GetProperty("authorizationData");
            if (data.ValueKind == JsonValueKind.Array)
            {
                data = data.EnumerateArray().FirstOrDefault(d => d.ValueKind == JsonValueKind.Object && d.TryGetProperty("authorizationToken", out _));
            }

            if (data.ValueKind != JsonValueKind.Object || !data.TryGetProperty(
                "authorizationToken",
                out var tokenElement) || tokenElement.GetString() is not { Length: > 0 } token)
            {
                throw new FormatException("the answer has no authorizationData.authorizationToken");
            }

            var now = time.GetUtcNow();
            var expiresAt = data.TryGetProperty("expiresAt", out var expiresElement) && expiresElement.ValueKind == JsonValueKind.Number
                ? DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(expiresElement.GetDouble() * 1000))
                : now + DefaultLifetime;
            var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(token));
            var colon = decoded.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || colon == decoded.Length - 1)
            {
                throw new FormatException("the authorization token is not base64 of 'user:password'");
            }

            if (expiresAt <= now)
            {
                throw new FormatException($"the token expired at {expiresAt:O}, before it arrived");
            }

            return new EcrAuthorization(decoded[..colon], decoded[(colon + 1)..], expiresAt);
        }
        catch (Exception e) when (e is JsonException or FormatException or KeyNotFoundException
            or InvalidOperationException or ArgumentOutOfRangeException or OverflowException)
        {
            // The message names what is wrong, never the token.
            throw new AwsEcrException(
                AwsEcrErrorKind.ServiceError,
                $"The ECR API {target.Endpoint.GetLeftPart(UriPartial.Authority)} answered GetAuthorizationToken "
                + $"without a usable token: {(e is FormatException ? e.Message : "the body is not the expected JSON")}.",
                statusCode: status,
                innerException: e is FormatException ? null : e);
        }
    }

    private static (EcrAuthorization?, AwsEcrException?, bool) MapError(EcrTarget target, HttpResponseMessage response, byte[] body)
    {
        var (code, message) = ReadError(response, body);
        var status = (int)response.StatusCode;
        var where = target.Endpoint.GetLeftPart(UriPartial.Authority);
        var detail = $"{code ?? "HTTP " + status.ToString(CultureInfo.InvariantCulture)}{(string.IsNullOrEmpty(message) ? string.Empty : ": " + message)}";
        if (code is not null && ThrottlingCodes.Contains(code) || response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            return (
                null,
                new AwsEcrException(AwsEcrErrorKind.Throttled, $"The ECR API {where} throttled GetAuthorizationToken ({detail}).", code, response.StatusCode),
                true);
        }

        if (code is not null
            && UnauthorizedCodes.Contains(code)
            || (code is null && response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden))
        {
            // Only the code: AWS's text may quote the principal (an assumed role's ARN comes from the entry's password).
            return (null, new AwsEcrException(
                AwsEcrErrorKind.Unauthorized,
                $"AWS refused the credentials for {target.Host.Host} ({code ?? "HTTP " + status.ToString(CultureInfo.InvariantCulture)}).",
                code,
                response.StatusCode), false);
        }

        if (status >= 500)
        {
            return (null, new AwsEcrException(AwsEcrErrorKind.Unreachable, $"The ECR API {where} failed ({detail}).", code, response.StatusCode), true);
        }

        return (
            null,
            new AwsEcrException(AwsEcrErrorKind.ServiceError, $"The ECR API {where} refused GetAuthorizationToken ({detail}).", code, response.StatusCode),
            false);
    }

    /// <summary>
    /// AWS JSON protocol errors: <c>__type</c> (possibly <c>namespace#Code</c>) or the <c>x-amzn-ErrorType</c> header
    /// (<c>Code:uri</c>), and <c>message</c>.
    /// </summary>
    private static (string? Code, string? Message) ReadError(HttpResponseMessage response, byte[] body)
    {
        string? code = null;
        string? message = null;
        if (response.Headers.TryGetValues("x-amzn-ErrorType", out var values) && values.FirstOrDefault() is { Length: > 0 } header)
        {
            code = header.Split(':', 2)[0];
        }

        if (body.Length > 0)
        {
            try
            {
                using var json = JsonDocument.Parse(body);
                if (json.RootElement.ValueKind == JsonValueKind.Object)
                {
                    foreach (var property in json.RootElement.EnumerateObject())
                    {
                        if (property.Value.ValueKind != JsonValueKind.String)
                        {
                            continue;
                        }

                        if (property.NameEquals("__type") || property.Name.Equals("code", StringComparison.OrdinalIgnoreCase))
                        {
                            var type = property.Value.GetString()!;
                            code ??= type[(type.LastIndexOf('#') + 1)..];
                        }
                        else if (property.Name.Equals("message", StringComparison.OrdinalIgnoreCase))
                        {
                            message = property.Value.GetString();
                        }
                    }
                }
            }
            catch (JsonException)
            {
                // Not JSON: the status code is all there is.
            }
        }

        if (message is { Length: > 300 })
        {
            message = message[..300] + "…";
        }

        return (string.IsNullOrEmpty(code) ? null : code, message);
    }
}
