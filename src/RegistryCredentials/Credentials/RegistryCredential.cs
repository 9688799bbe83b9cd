using System.Text;
using System.Text.Json;

namespace RegistryCredentials;

/// <summary>
/// What a caller gets before a pull: a user name and password, an identity token or a registry token,
/// with its lifetime. The secret is a <see cref="RegistrySecret"/>, so neither <see cref="ToString"/>
/// nor serialisation shows it.
/// </summary>
public sealed class RegistryCredential
{
    private string? _authorization;

    private RegistryCredential(RegistryCredentialKind kind, string? username, RegistrySecret secret, DateTimeOffset? expiresOn, DateTimeOffset? refreshOn)
    {
        if (expiresOn is not null && refreshOn is not null && refreshOn > expiresOn)
        {
            throw new ArgumentException("The refresh time must not be after the expiry.", nameof(refreshOn));
        }

        Kind = kind;
        Username = username;
        Secret = secret;
        ExpiresOn = expiresOn;
        RefreshOn = refreshOn;
    }

    /// <summary>What the credential carries.</summary>
    public RegistryCredentialKind Kind { get; }

    /// <summary>The user name, for <see cref="RegistryCredentialKind.UsernamePassword"/>; otherwise null.</summary>
    public string? Username { get; }

    /// <summary>The password or token. Call <see cref="RegistrySecret.Reveal"/> only where it is handed to a registry.</summary>
    public RegistrySecret Secret { get; }

    /// <summary>When the credential stops working, or null when it does not expire.</summary>
    public DateTimeOffset? ExpiresOn { get; }

    /// <summary>When a fresh credential should be fetched ahead of expiry, or null.</summary>
    public DateTimeOffset? RefreshOn { get; }

    /// <summary>Creates a user name and password credential.</summary>
    /// <param name="username">The user name; not empty.</param>
    /// <param name="password">The password.</param>
    /// <param name="expiresOn">When it stops working, if it does.</param>
    /// <param name="refreshOn">When to fetch a fresh one, if it expires.</param>
    /// <returns>The credential.</returns>
    public static RegistryCredential FromUsernamePassword(
        string username,
        RegistrySecret password,
        DateTimeOffset? expiresOn = null,
        DateTimeOffset? refreshOn = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(username);
        ArgumentNullException.ThrowIfNull(password);
        if (username.Contains(':', StringComparison.Ordinal))
        {
            throw new ArgumentException("A user name sent with HTTP Basic authentication cannot contain ':'.", nameof(username));
        }

        return new RegistryCredential(RegistryCredentialKind.UsernamePassword, username, password, expiresOn, refreshOn);
    }

    /// <summary>Creates an identity-token credential (Docker's <c>identitytoken</c>).</summary>
    /// <param name="token">The identity (refresh) token.</param>
    /// <param name="expiresOn">When it stops working, if known.</param>
    /// <param name="refreshOn">When to fetch a fresh one.</param>
    /// <returns>The credential.</returns>
    public static RegistryCredential FromIdentityToken(RegistrySecret token, DateTimeOffset? expiresOn = null, DateTimeOffset? refreshOn = null)
    {
        ArgumentNullException.ThrowIfNull(token);
        return new RegistryCredential(RegistryCredentialKind.IdentityToken, null, token, expiresOn, refreshOn);
    }

    /// <summary>Creates a registry bearer-token credential (Docker's <c>registrytoken</c>).</summary>
    /// <param name="token">The bearer token.</param>
    /// <param name="expiresOn">When it stops working, if known.</param>
    /// <param name="refreshOn">When to fetch a fresh one.</param>
    /// <returns>The credential.</returns>
    public static RegistryCredential FromRegistryToken(RegistrySecret token, DateTimeOffset? expiresOn = null, DateTimeOffset? refreshOn = null)
    {
        ArgumentNullException.ThrowIfNull(token);
        return new RegistryCredential(RegistryCredentialKind.RegistryToken, null, token, expiresOn, refreshOn);
    }

    /// <summary>
    /// The value of an HTTP <c>Authorization</c> header: <c>Basic …</c> for a user name and password,
    /// <c>Bearer …</c> for a registry token. An identity token is not sent as is (it is exchanged at the
    /// registry's token endpoint first), so for it this returns null.
    /// </summary>
    /// <returns>The header value, or null for an identity token.</returns>
    public string? GetAuthorizationHeaderValue() => _authorization ??= Kind switch
    {
        RegistryCredentialKind.UsernamePassword =>
            "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(Username + ":" + Secret.Reveal())),
        RegistryCredentialKind.RegistryToken => "Bearer " + Secret.Reveal(),
        _ => null,
    };

    /// <summary>
    /// The value of Docker Engine's <c>X-Registry-Auth</c> header: base64url-encoded (padded) JSON with
    /// <c>username</c>/<c>password</c>, <c>identitytoken</c> or <c>registrytoken</c>, and <c>serveraddress</c>.
    /// </summary>
    /// <param name="serverAddress">
    /// The registry (<c>host[:port]</c>) the credential is for, such as <see cref="RegistryResolution.Registry"/>;
    /// optional.
    /// </param>
    /// <returns>The header value.</returns>
    public string GetRegistryAuthHeaderValue(string? serverAddress = null)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            switch (Kind)
            {
                case RegistryCredentialKind.UsernamePassword:
                    json.WriteString("username", Username);
                    json.WriteString("password", Secret.Reveal());
                    break;
                case RegistryCredentialKind.IdentityToken:
                    json.WriteString("identitytoken", Secret.Reveal());
                    break;
                default:
                    json.WriteString("registrytoken", Secret.Reveal());
                    break;
            }

            if (!string.IsNullOrEmpty(serverAddress))
            {
                json.WriteString("serveraddress", serverAddress);
            }

            json.WriteEndObject();
        }

        // Docker decodes this header with Go's padded URL-safe alphabet (base64.URLEncoding).
        return Convert.ToBase64String(buffer.ToArray()).Replace('+', '-').Replace('/', '_');
    }

    /// <summary>Describes the credential without its secret.</summary>
    /// <returns>For example <c>UsernamePassword credential for user ci, expires 2026-11-25T20:00:00+00:00</c>.</returns>
    public override string ToString()
    {
        var text = Kind + " credential";
        if (Username is not null)
        {
            text += " for user " + Username;
        }

        return ExpiresOn is { } expires
            ? text + ", expires " + expires.ToString("O", System.Globalization.CultureInfo.InvariantCulture)
            : text;
    }
}
