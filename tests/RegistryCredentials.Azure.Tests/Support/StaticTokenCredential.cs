using Azure.Core;

namespace RegistryCredentials.Azure.Tests.Support;

/// <summary>A <see cref="TokenCredential"/> that hands out one token and records the scopes asked for.</summary>
public sealed class StaticTokenCredential(string token) : TokenCredential
{
    public List<string[]> Requests { get; } = [];

    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
    {
        Requests.Add(requestContext.Scopes);
        return new AccessToken(token, DateTimeOffset.MaxValue);
    }

    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        ValueTask.FromResult(GetToken(requestContext, cancellationToken));
}
