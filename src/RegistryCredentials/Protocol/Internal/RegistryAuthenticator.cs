using System.Collections.Concurrent;
using System.Net.Http.Headers;

namespace RegistryCredentials.Internal;

/// <summary>
/// What the pull handler knows across requests: the challenge each registry origin answered with (so later requests
/// are authorised up front), and bearer tokens in <see cref="RegistryTokenCache"/>, one upstream request per key however
/// many callers. Origin rule: a challenge is learned only from a response of the origin the request started at, is
/// kept under that origin only, and a token is keyed by (and so only sent to) the origin whose realm minted it.
/// </summary>
internal sealed class RegistryAuthenticator(RegistryTokenCache cache, RegistryTokenClient tokens)
{
    private readonly ConcurrentDictionary<string, AuthenticationChallenge> _challenges = new(StringComparer.OrdinalIgnoreCase);

    public RegistryTokenCache Cache => cache;

    /// <summary>The header for a request, from what the registry asked for before; null when nothing is known yet.</summary>
    public async ValueTask<Sent?> PreauthorizeAsync(Target target, CancellationToken cancellationToken)
    {
        if (!_challenges.TryGetValue(target.OriginKey, out var challenge))
        {
            return null;
        }

        return await AuthorizeAsync(target, challenge, target.Scope, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Learns a 401's challenge and returns the header to retry with, or null when there is nothing to retry with. A 401
    /// that <paramref name="answeredBy"/> another origin than the target's is never answered: its challenge is not the
    /// registry's, and its realm was not named by the registry.
    /// </summary>
    public async ValueTask<Sent?> AnswerAsync(Target target, HttpResponseMessage unauthorized, Uri answeredBy, Sent? sent, CancellationToken cancellationToken)
    {
        if (!RegistryHttpSender.SameOrigin(answeredBy, target.Origin))
        {
            return null;
        }

        var challenges = ChallengeParser.Parse(unauthorized.Headers.TryGetValues("WWW-Authenticate", out var values) ? values : []);
        var challenge = challenges.Find(c => c.IsScheme("Bearer")) ?? challenges.Find(c => c.IsScheme("Basic"));
        if (challenge is null)
        {
            return null;
        }

        _challenges[target.OriginKey] = challenge;
        var scope = target.Scope;
        if (challenge.IsScheme("Bearer"))
        {
            Evict(sent); // an upstream 401 evicts

            if (string.Equals(challenge["error"], "insufficient_scope", StringComparison.Ordinal) && challenge["scope"] is { } wanted)
            {
                scope = wanted;
            }
        }

        return await AuthorizeAsync(target, challenge, scope, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Drops the token a request was sent with (after the registry refused it); nothing for a header that is no minted token.</summary>
    public void Evict(Sent? sent)
    {
        if (sent?.TokenKey is { } key)
        {
            cache.Evict(key);
        }
    }

    private async ValueTask<Sent?> AuthorizeAsync(Target target, AuthenticationChallenge challenge, string scope, CancellationToken cancellationToken)
    {
        if (challenge.IsScheme("Basic"))
        {
            return RegistryHttpSender.Basic(target.Credential) is { } basic ? new Sent(basic, null) : null;
        }

        if (target.Credential?.Kind == RegistryCredentialKind.RegistryToken)
        {
            return new Sent(RegistryTokenClient.Bearer(target.Credential), null);
        }

        // The key holds the origin: a token minted through this origin's realm is only ever attached to requests to it.
        var key = TokenKeys.ForToken(target.Account, target.Entry, target.OriginKey, scope);
        var token = await cache.GetOrCreateAsync(
            key,
            ct => tokens.FetchAsync(challenge, scope, target.Credential, target.Entry, target.Origin, ct),
            cancellationToken).ConfigureAwait(false);
        return new Sent(RegistryTokenClient.Bearer(token), key);
    }

    /// <summary>One request's registry origin, repository scope and resolved credential.</summary>
    internal sealed record Target(Uri Origin, string Account, string Scope, RegistryEntry? Entry, RegistryCredential? Credential)
    {
        /// <summary><c>scheme://host:port</c> of <see cref="Origin"/>: the key challenges and tokens are kept under.</summary>
        public string OriginKey { get; } = Origin.GetLeftPart(UriPartial.Authority);
    }

    /// <summary>An <c>Authorization</c> header as sent, and the token-cache key of the token in it (null for Basic or a stored token).</summary>
    internal sealed record Sent(AuthenticationHeaderValue Header, RegistryTokenKey? TokenKey)
    {
        /// <summary>Whether it carries a bearer token.</summary>
        public bool IsBearer => string.Equals(Header.Scheme, "Bearer", StringComparison.OrdinalIgnoreCase);

        /// <summary>Whether two headers are the same to the registry.</summary>
        public bool SameHeaderAs(Sent? other) => other is not null && Header.ToString() == other.Header.ToString();
    }
}
