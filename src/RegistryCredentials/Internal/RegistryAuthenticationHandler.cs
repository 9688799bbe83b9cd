using System.Net;
using Microsoft.Extensions.Options;

namespace RegistryCredentials.Internal;

/// <summary>
/// Authenticates requests to <c>/v2/&lt;repository&gt;/…</c>: resolves the credential, answers the registry's Basic or
/// Bearer challenge (bearer tokens cached per registry, account and scope), retries once on 401 and once more on
/// <c>insufficient_scope</c>, and follows redirects itself so that credentials never reach another host.
/// </summary>
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

        var account = options.CurrentValue.Account;
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

        var actions = request.Method == HttpMethod.Get || request.Method == HttpMethod.Head ? "pull" : "pull,push";
        var target = new RegistryAuthenticator.Target(
            new Uri(uri.GetLeftPart(UriPartial.Authority)), account, $"repository:{repository}:{actions}", entry, resolution.Credential);

        try
        {
            var response = await SendAuthenticatedAsync(request, uri, target, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.Unauthorized && resolution.HasCredential && request.Headers.Authorization?.Scheme != "Bearer")
            {
                // The registry itself refused the stored credential (Basic): let its provider drop cached tokens.
                await resolver.ReportRejectedAsync(resolution, cancellationToken).ConfigureAwait(false);
            }

            return response;
        }
        catch (RegistryAuthenticationException e) when (e.Outcome == RegistryValidationOutcome.Unauthorized && resolution.HasCredential)
        {
            // The token service refused the stored credential.
            await resolver.ReportRejectedAsync(resolution, CancellationToken.None).ConfigureAwait(false);
            throw;
        }
    }

    private async Task<HttpResponseMessage> SendAuthenticatedAsync(HttpRequestMessage request, Uri uri, RegistryAuthenticator.Target target, CancellationToken cancellationToken)
    {
        var sent = await authenticator.PreauthorizeAsync(target, cancellationToken).ConfigureAwait(false);
        request.Headers.Authorization = sent;
        var response = await SendFollowingRedirectsAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Unauthorized || request.Content is not null)
        {
            return response;
        }

        // One retry after a 401, and one more when the registry then asks for another scope (insufficient_scope):
        // never twice with the same header.
        for (var retries = 0; retries < 2 && response.StatusCode == HttpStatusCode.Unauthorized; retries++)
        {
            var retry = await authenticator.AnswerAsync(target, response, sent, cancellationToken).ConfigureAwait(false);
            if (retry is null || (sent is not null && retry.ToString() == sent.ToString()))
            {
                if (sent?.Scheme == "Bearer")
                {
                    authenticator.Evict(target);
                }

                return response;
            }

            response.Dispose();
            using var again = RegistryHttp.Redirected(request, uri);
            again.Headers.Authorization = request.Headers.Authorization = sent = retry;
            response = await SendFollowingRedirectsAsync(again, cancellationToken).ConfigureAwait(false);
        }

        return response;
    }

    /// <summary>Follows redirects itself: the credential never reaches another host, and HTTPS is never downgraded.</summary>
    private Task<HttpResponseMessage> SendFollowingRedirectsAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        RegistryHttp.FollowRedirectsAsync(request, base.SendAsync, cancellationToken);

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
}
