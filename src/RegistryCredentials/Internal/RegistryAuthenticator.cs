using System.Collections.Concurrent;
using System.Net.Http.Headers;

namespace RegistryCredentials.Internal;

/// <summary>
/// What the pull handler knows across requests: the challenge each registry answered with (so later requests are
/// authorised up front), and bearer tokens in <see cref="RegistryTokenCache"/>, one upstream request per key however
/// many callers.
/// </summary>
internal sealed class RegistryAuthenticator(RegistryTokenCache cache, RegistryTokenClient tokens)
{
    private readonly ConcurrentDictionary<string, AuthenticationChallenge> _challenges = new(StringComparer.OrdinalIgnoreCase);

    public RegistryTokenCache Cache => cache;

    /// <summary>The header for a request, from what the registry asked for before; null when nothing is known yet.</summary>
    public async ValueTask<AuthenticationHeaderValue?> PreauthorizeAsync(Target target, CancellationToken cancellationToken)
    {
        if (!_challenges.TryGetValue(target.Origin.GetLeftPart(UriPartial.Authority), out var challenge))
        {
            return null;
        }

        return await AuthorizeAsync(target, challenge, target.Scope, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Learns a 401's challenge and returns the header to retry with, or null when there is nothing to retry with.</summary>
    public async ValueTask<AuthenticationHeaderValue?> AnswerAsync(Target target, HttpResponseMessage unauthorized, AuthenticationHeaderValue? sent, CancellationToken cancellationToken)
    {
        var challenges = ChallengeParser.Parse(unauthorized.Headers.TryGetValues("WWW-Authenticate", out var values) ? values : []);
        var challenge = challenges.Find(c => c.IsScheme("Bearer")) ?? challenges.Find(c => c.IsScheme("Basic"));
        if (challenge is null)
        {
            return null;
        }

        _challenges[target.Origin.GetLeftPart(UriPartial.Authority)] = challenge;
        var scope = target.Scope;
        if (challenge.IsScheme("Bearer"))
        {
            if (sent?.Scheme == "Bearer")
            {
                cache.Evict(TokenKeys.ForToken(target.Account, target.Entry, target.Origin.GetLeftPart(UriPartial.Authority), scope)); // an upstream 401 evicts
            }

            if (string.Equals(challenge["error"], "insufficient_scope", StringComparison.Ordinal) && challenge["scope"] is { } wanted)
            {
                scope = wanted;
            }
        }

        return await AuthorizeAsync(target, challenge, scope, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Drops the token a request was sent with, after the registry refused it twice.</summary>
    public void Evict(Target target) =>
        cache.Evict(TokenKeys.ForToken(target.Account, target.Entry, target.Origin.GetLeftPart(UriPartial.Authority), target.Scope));

    private async ValueTask<AuthenticationHeaderValue?> AuthorizeAsync(Target target, AuthenticationChallenge challenge, string scope, CancellationToken cancellationToken)
    {
        if (challenge.IsScheme("Basic"))
        {
            return RegistryHttp.Basic(target.Credential);
        }

        if (target.Credential?.Kind == RegistryCredentialKind.RegistryToken)
        {
            return RegistryTokenClient.Bearer(target.Credential);
        }

        var origin = target.Origin.GetLeftPart(UriPartial.Authority);
        var token = await cache.GetOrCreateAsync(
            TokenKeys.ForToken(target.Account, target.Entry, origin, scope),
            ct => tokens.FetchAsync(challenge, scope, target.Credential, target.Entry, target.Origin, ct),
            cancellationToken).ConfigureAwait(false);
        return RegistryTokenClient.Bearer(token);
    }

    /// <summary>One request's registry, repository scope and resolved credential.</summary>
    internal sealed record Target(Uri Origin, string Account, string Scope, RegistryEntry? Entry, RegistryCredential? Credential);
}
