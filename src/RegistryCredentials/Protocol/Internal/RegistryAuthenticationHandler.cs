using System.Net;
using Microsoft.Extensions.Options;

namespace RegistryCredentials.Internal;

/// <summary>
/// Authenticates requests to <c>/v2/&lt;repository&gt;/…</c>: resolves the credential, answers the registry's Basic or
/// Bearer challenge (bearer tokens cached per registry origin, account and scope), retries once on 401 and once more on
/// <c>insufficient_scope</c>, and follows redirects itself so that credentials never reach another origin.
/// </summary>
/// <remarks>
/// Origin rule: the entry's credential, and tokens minted with it, go only to the origin (scheme, host, port) the
/// request started at and to token realms that origin named. A 401 or 403 answered by another origin (storage reached
/// by a redirect) is returned to the caller untouched: never answered, never cached, never reported. A 401 or 403 of the
/// registry itself to a token or to a provider's credential is reported (<see cref="IRegistryCredentialResolver.ReportRejectedAsync"/>),
/// the token dropped, and the request retried once with a fresh credential.
/// </remarks>
internal sealed class RegistryAuthenticationHandler(
    IRegistryCredentialResolver resolver,
    RegistryAuthenticator authenticator,
    IOptionsMonitor<RegistryCredentialsOptions> options) : DelegatingHandler
{
    /// <summary>The request option that tells the primary handler which entry's TLS settings apply.</summary>
    public static readonly HttpRequestOptionsKey<RegistryEntry> EntryOption = new("RegistryCredentials.Entry");

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var uri = request.RequestUri;
        if (uri is null || !TryGetRepository(uri, out var repository) || !ImageReference.TryParse(uri.Authority + "/" + repository, out var image))
        {
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }

        if (!string.Equals(uri.IdnHost, image.ApiHost, StringComparison.OrdinalIgnoreCase) && image.ApiHost != image.Registry)
        {
            // docker.io and index.docker.io name Docker Hub; its Registry API is served at registry-1.docker.io.
            uri = request.RequestUri = new UriBuilder(uri) { Host = image.ApiHost }.Uri;
        }

        var account = options.CurrentValue.Account;
        var resolution = await ResolveAsync(image, account, uri, request, cancellationToken).ConfigureAwait(false);
        var actions = request.Method == HttpMethod.Get || request.Method == HttpMethod.Head ? "pull" : "pull,push";
        var target = new RegistryAuthenticator.Target(
            new Uri(uri.GetLeftPart(UriPartial.Authority)), account, $"repository:{repository}:{actions}", resolution.Entry, resolution.Credential);

        try
        {
            var answer = await SendAuthenticatedAsync(request, uri, target, null, cancellationToken).ConfigureAwait(false);
            if (!answer.FromOrigin || !resolution.HasCredential || !IsRejection(answer, resolution.Credential!))
            {
                return answer.Response;
            }

            // The registry itself refused a token or the credential: let the provider drop what it cached, drop the token,
            // and try once more with a fresh credential (never twice with the same header).
            await resolver.ReportRejectedAsync(resolution, cancellationToken).ConfigureAwait(false);
            authenticator.Evict(answer.Sent);
            if (request.Content is not null)
            {
                return answer.Response;
            }

            RegistryAuthenticator.Target retryTarget;
            RegistryAuthenticator.Sent? header;
            try
            {
                var fresh = await ResolveAsync(image, account, uri, request, cancellationToken).ConfigureAwait(false);
                retryTarget = target with { Entry = fresh.Entry, Credential = fresh.Credential };
                header = fresh.HasCredential ? await authenticator.PreauthorizeAsync(retryTarget, cancellationToken).ConfigureAwait(false) : null;
            }
            catch
            {
                answer.Response.Dispose();
                throw;
            }

            if (header is null || header.SameHeaderAs(answer.Sent))
            {
                return answer.Response;
            }

            answer.Response.Dispose();
            using var again = RegistryHttpSender.Redirected(request, uri);
            var retried = await SendAuthenticatedAsync(again, uri, retryTarget, header, cancellationToken).ConfigureAwait(false);
            return retried.Response;
        }
        catch (RegistryAuthenticationException e) when (e.Outcome == RegistryValidationOutcome.Unauthorized && resolution.HasCredential)
        {
            // The token service refused the stored credential.
            await resolver.ReportRejectedAsync(resolution, CancellationToken.None).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// A refusal worth a fresh credential: 401 to the stored Basic credential (a 401 to a token was answered already),
    /// or 403 to a token or to a provider's expiring credential. A 403 to a stored password is about permission.
    /// </summary>
    private static bool IsRejection(Answer answer, RegistryCredential credential) => answer.Sent is { } sent && answer.Response.StatusCode switch
    {
        HttpStatusCode.Unauthorized => !sent.IsBearer,
        HttpStatusCode.Forbidden => sent.IsBearer || credential.ExpiresOn is not null,
        _ => false,
    };

    private async Task<RegistryResolution> ResolveAsync(
        ImageReference image,
        string account,
        Uri uri,
        HttpRequestMessage request,
        CancellationToken cancellationToken)
    {
        var resolution = await resolver.ResolveAsync(image, account, cancellationToken).ConfigureAwait(false);
        if (resolution.IsDenied)
        {
            throw new RegistryPullDeniedException(resolution);
        }

        var entry = resolution.Entry;
        if (uri.Scheme == Uri.UriSchemeHttp && resolution.HasCredential && entry?.InsecureHttp != true)
        {
            throw new RegistryAuthenticationException(
                RegistryValidationOutcome.ProtocolError,
                $"Refused to send the credential of {entry?.Scope} over plain HTTP; mark the entry InsecureHttp if the registry has no TLS.");
        }

        if (entry is not null)
        {
            request.Options.Set(EntryOption, entry);
        }

        return resolution;
    }

    private async Task<Answer> SendAuthenticatedAsync(
        HttpRequestMessage request, Uri uri, RegistryAuthenticator.Target target, RegistryAuthenticator.Sent? preset, CancellationToken cancellationToken)
    {
        var sent = preset ?? await authenticator.PreauthorizeAsync(target, cancellationToken).ConfigureAwait(false);
        request.Headers.Authorization = sent?.Header;
        var answer = await SendFollowingRedirectsAsync(request, target, sent, cancellationToken).ConfigureAwait(false);

        // One retry after a 401 of the registry's origin, and one more when it then asks for another scope
        // (insufficient_scope): never twice with the same header. A 401 from another origin is the caller's.
        for (var retries = 0; retries < 2
            && answer.FromOrigin
            && answer.Response.StatusCode == HttpStatusCode.Unauthorized
            && request.Content is null; retries++)
        {
            var retry = await authenticator.AnswerAsync(target, answer.Response, answer.From, sent, cancellationToken).ConfigureAwait(false);
            if (retry is null || retry.SameHeaderAs(sent))
            {
                if (sent?.IsBearer == true)
                {
                    authenticator.Evict(sent);
                }

                return answer;
            }

            answer.Response.Dispose();
            using var again = RegistryHttpSender.Redirected(request, uri);
            sent = retry;
            again.Headers.Authorization = request.Headers.Authorization = sent.Header;
            answer = await SendFollowingRedirectsAsync(again, target, sent, cancellationToken).ConfigureAwait(false);
        }

        return answer;
    }

    /// <summary>Follows redirects itself: the credential never reaches another origin, and HTTPS is never downgraded.</summary>
    private async Task<Answer> SendFollowingRedirectsAsync(
        HttpRequestMessage request,
        RegistryAuthenticator.Target target,
        RegistryAuthenticator.Sent? sent,
        CancellationToken cancellationToken)
    {
        var response = await RegistryHttpSender.FollowRedirectsAsync(request, base.SendAsync, cancellationToken).ConfigureAwait(false);
        var from = RegistryHttpSender.AnsweredFrom(response, request.RequestUri!);
        return new Answer(response, from, RegistryHttpSender.SameOrigin(from, target.Origin), sent);
    }

    /// <summary>Finds the repository in <c>/v2/&lt;name&gt;/(manifests|blobs|tags|referrers)/…</c>.</summary>
    internal static bool TryGetRepository(Uri uri, out string repository)
    {
        repository = string.Empty;
        var path = uri.AbsolutePath;
        if (!path.StartsWith("/v2/", StringComparison.Ordinal))
        {
            return false;
        }

        foreach (var marker in (ReadOnlySpan<string>)["/manifests/", "/blobs/", "/tags/", "/referrers/"])
        {
            var at = path.LastIndexOf(marker, StringComparison.Ordinal);
            if (at > 4)
            {
                repository = path[4..at];
                return true;
            }
        }

        return false;
    }

    /// <summary>A response, the URI that answered it (after redirects), whether that is the registry's origin, and what was sent there.</summary>
    private sealed record Answer(HttpResponseMessage Response, Uri From, bool FromOrigin, RegistryAuthenticator.Sent? Sent);
}
