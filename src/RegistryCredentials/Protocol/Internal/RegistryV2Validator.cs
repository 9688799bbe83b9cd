using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Options;

namespace RegistryCredentials.Internal;

/// <summary>
/// Checks a credential against a Docker Registry HTTP API v2 registry: <c>GET /v2/</c>, then the Basic or Bearer
/// challenge it answers with, then <c>GET /v2/</c> again with the credential or token. Redirects are followed without the
/// credential when the origin changes, and a challenge from another origin is never answered (a protocol error).
/// </summary>
internal sealed class RegistryV2Validator(
    IRegistryHttpSender http,
    RegistryTokenClient tokens,
    IOptionsMonitor<RegistryCredentialsOptions> options,
    TimeProvider time) : IRegistryCredentialValidator
{
    private const string ApiVersionHeader = "Docker-Distribution-API-Version";

    public async ValueTask<RegistryValidationResult> ValidateAsync(
        RegistryEntry entry,
        RegistryCredential credential,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(credential);
        var started = time.GetTimestamp();
        try
        {
            var result = await ValidateUntimedAsync(entry, credential, cancellationToken).ConfigureAwait(false);
            Telemetry.RecordDuration(Telemetry.ValidationDuration, time, started, result.IsValid ? null : Telemetry.SnakeCase(result.Outcome));
            return result;
        }
        catch (Exception e) when (Telemetry.RecordDuration(Telemetry.ValidationDuration, time, started, Telemetry.ErrorType(e)))
        {
            throw; // not reached: the filter only records
        }
    }

    private async ValueTask<RegistryValidationResult> ValidateUntimedAsync(
        RegistryEntry entry,
        RegistryCredential credential,
        CancellationToken cancellationToken)
    {
        if (entry.Scope.IsGlob)
        {
            return new RegistryValidationResult(
                RegistryValidationOutcome.NotARegistry,
                $"The scope {entry.Scope} has '*' host labels, so there is no single registry to check; store it with Validate = false.");
        }

        var timeoutAfter = options.CurrentValue.ValidationTimeout;
        using var timeout = new CancellationTokenSource(timeoutAfter, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        var ping = new Uri((entry.InsecureHttp ? "http" : "https") + "://" + entry.Scope.ApiHost + "/v2/");
        try
        {
            return await ValidateCoreAsync(entry, credential, ping, linked.Token).ConfigureAwait(false);
        }
        catch (RegistryAuthenticationException e)
        {
            return new RegistryValidationResult(e.Outcome, e.Message);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return new RegistryValidationResult(
                RegistryValidationOutcome.Timeout,
                $"{ping.GetLeftPart(UriPartial.Authority)} did not answer within {RegistryTokenClient.FormatSeconds(timeoutAfter)} s.");
        }
    }

    private async Task<RegistryValidationResult> ValidateCoreAsync(
        RegistryEntry entry,
        RegistryCredential credential,
        Uri ping,
        CancellationToken cancellationToken)
    {
        AuthenticationHeaderValue? authorization;
        using (var anonymous = await GetAsync(ping, null, entry, cancellationToken).ConfigureAwait(false))
        {
            switch (anonymous.StatusCode)
            {
                case HttpStatusCode.OK when anonymous.Headers.Contains(ApiVersionHeader):
                    return new RegistryValidationResult(
                        RegistryValidationOutcome.Valid,
                        "The registry answers without authentication; the credential was not needed.");
                case HttpStatusCode.Unauthorized when RegistryHttpSender.AnsweredFrom(
                    anonymous,
                    ping) is var from && !RegistryHttpSender.SameOrigin(from, ping):
                    return ForeignChallenge(from, ping);
                case HttpStatusCode.Unauthorized:
                    authorization = await AuthorizeAsync(anonymous, entry, credential, ping, cancellationToken).ConfigureAwait(false);
                    break;
                default:
                    return Unexpected(anonymous, ping);
            }
        }

        using var authenticated = await GetAsync(ping, authorization, entry, cancellationToken).ConfigureAwait(false);
        var answeredBy = RegistryHttpSender.AnsweredFrom(authenticated, ping);
        return authenticated.StatusCode switch
        {
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden when !RegistryHttpSender.SameOrigin(answeredBy, ping) => ForeignChallenge(answeredBy, ping),
            HttpStatusCode.OK => RegistryValidationResult.Valid,
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => new RegistryValidationResult(
                RegistryValidationOutcome.Unauthorized, $"The registry refused the credential ({(int)authenticated.StatusCode}).") ,
            _ => Unexpected(authenticated, ping),
        };
    }

    private async Task<AuthenticationHeaderValue> AuthorizeAsync(
        HttpResponseMessage challenged,
        RegistryEntry entry,
        RegistryCredential credential,
        Uri ping,
        CancellationToken cancellationToken)
    {
        var challenges = ChallengeParser.Parse(challenged.Headers.TryGetValues("WWW-Authenticate", out var values) ? values : []);
        if (challenges.Find(c => c.IsScheme("Bearer")) is { } bearer)
        {
            if (credential.Kind == RegistryCredentialKind.RegistryToken)
            {
                return RegistryTokenClient.Bearer(credential);
            }

            var token = await tokens.FetchAsync(bearer, null, credential, entry, ping, cancellationToken).ConfigureAwait(false);
            return RegistryTokenClient.Bearer(token);
        }

        if (challenges.Exists(c => c.IsScheme("Basic")))
        {
            return RegistryHttpSender.Basic(credential) ?? throw new RegistryAuthenticationException(
                RegistryValidationOutcome.Unauthorized, "The registry asks for HTTP Basic authentication, but the credential is a token.");
        }

        throw new RegistryAuthenticationException(
            RegistryValidationOutcome.ProtocolError,
            challenges.Count == 0
                ? "The registry answered 401 without a WWW-Authenticate challenge."
                : $"The registry asks for '{challenges[0].Scheme}' authentication, which is neither Basic nor Bearer.");
    }

    private Task<HttpResponseMessage> GetAsync(Uri uri, AuthenticationHeaderValue? authorization, RegistryEntry entry, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, uri);
        request.Headers.Authorization = authorization;
        return http.SendAsync(request, entry, cancellationToken);
    }

    /// <summary>
    /// /v2/ was redirected to another origin, which asked for credentials: an entry's credential goes only to its
    /// registry's origin and to token realms that origin named, so nothing is sent there.
    /// </summary>
    private static RegistryValidationResult ForeignChallenge(Uri from, Uri ping) => new(
        RegistryValidationOutcome.ProtocolError,
        $"/v2/ on {ping.GetLeftPart(UriPartial.Authority)} was redirected to {from.GetLeftPart(UriPartial.Authority)}, which asks for credentials; "
        + "an entry's credential is only sent to its registry's own origin, so it was not sent there.");

    private static RegistryValidationResult Unexpected(HttpResponseMessage response, Uri ping)
    {
        var status = (int)response.StatusCode;
        if (status >= 500)
        {
            return new RegistryValidationResult(
                RegistryValidationOutcome.Unreachable,
                $"{ping.GetLeftPart(UriPartial.Authority)} answered {status} {response.ReasonPhrase}.");
        }

        var why = response.StatusCode == HttpStatusCode.OK ? "without a Docker-Distribution-API-Version header" : $"with {status} {response.ReasonPhrase}";
        return new RegistryValidationResult(
            RegistryValidationOutcome.NotARegistry,
            $"{ping.GetLeftPart(UriPartial.Authority)} is not a Docker Registry v2 registry: /v2/ answered {why}.");
    }
}
