namespace RegistryCredentials.Tests.Support.Registry;

/// <summary>What <see cref="TokenServer"/> received in one request, and what it answered. Never holds a password.</summary>
/// <param name="Method">GET or POST.</param>
/// <param name="Path">The request path (<c>/token</c>).</param>
/// <param name="Query">The raw query string including <c>?</c>, or empty.</param>
/// <param name="HasAuthorization">Whether an <c>Authorization</c> header was present.</param>
/// <param name="AuthorizationScheme">Its scheme (<c>Basic</c>, <c>Bearer</c>), or null.</param>
/// <param name="Username">The user from Basic auth or the OAuth2 form (<c>username</c>), or the owner of a valid refresh token; null when anonymous.</param>
/// <param name="GrantType">The OAuth2 <c>grant_type</c> of a POST, or null for GET.</param>
/// <param name="Service">The <c>service</c> parameter, or null.</param>
/// <param name="Scopes">The requested scopes (GET: each <c>scope</c> parameter; POST: the space-separated <c>scope</c>).</param>
/// <param name="ClientId">The <c>client_id</c> parameter, or null.</param>
/// <param name="AccessType">POST <c>access_type</c> or GET <c>offline_token=true</c> as <c>offline</c>; null otherwise.</param>
/// <param name="StatusCode">The status the server answered.</param>
public sealed record TokenRequestRecord(
    string Method,
    string Path,
    string Query,
    bool HasAuthorization,
    string? AuthorizationScheme,
    string? Username,
    string? GrantType,
    string? Service,
    IReadOnlyList<string> Scopes,
    string? ClientId,
    string? AccessType,
    int StatusCode);
