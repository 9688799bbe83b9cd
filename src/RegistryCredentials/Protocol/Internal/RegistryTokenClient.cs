using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace RegistryCredentials.Internal;

/// <summary>
/// Gets a bearer token from a registry's token service per the distribution token-auth spec: GET with HTTP Basic,
/// <c>service</c> and <c>scope</c>; the OAuth2 POST form with <c>grant_type=refresh_token</c> for identity tokens, and
/// with <c>grant_type=password</c> when the GET is not served.
/// </summary>
internal sealed class RegistryTokenClient(RegistryHttpSender http, TimeProvider time)
{
    /// <summary>The shortest token lifetime assumed, and the one used when the service names none (spec: 60 s).</summary>
    public static readonly TimeSpan MinimumLifetime = TimeSpan.FromSeconds(60);

    private const string ClientId = "registry-credentials";

    public async Task<RegistryCredential> FetchAsync(
        AuthenticationChallenge challenge,
        string? scope,
        RegistryCredential? credential,
        RegistryEntry? entry,
        Uri registry,
        CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        try
        {
            var token = await FetchUntimedAsync(challenge, scope, credential, entry, registry, cancellationToken).ConfigureAwait(false);
            Telemetry.RecordDuration(Telemetry.TokenDuration, time, started, null);
            return token;
        }
        catch (Exception e) when (Telemetry.RecordDuration(Telemetry.TokenDuration, time, started, Telemetry.ErrorType(e)))
        {
            throw; // not reached: the filter only records
        }
    }

    private async Task<RegistryCredential> FetchUntimedAsync(
        AuthenticationChallenge challenge,
        string? scope,
        RegistryCredential? credential,
        RegistryEntry? entry,
        Uri registry,
        CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(challenge["realm"], UriKind.Absolute, out var realm) || (realm.Scheme != Uri.UriSchemeHttps && realm.Scheme != Uri.UriSchemeHttp))
        {
            throw new RegistryAuthenticationException(
                RegistryValidationOutcome.ProtocolError,
                "The registry's Bearer challenge has no absolute realm URL (http or https).");
        }

        await RealmGuard.CheckAsync(realm, registry, entry?.InsecureHttp ?? false, cancellationToken).ConfigureAwait(false);
        var rule = new RealmGuard.Rule(registry);
        var service = challenge["service"];
        scope ??= challenge["scope"];
        var received = time.GetUtcNow();
        HttpResponseMessage response;
        if (credential?.Kind == RegistryCredentialKind.IdentityToken)
        {
            response = await PostAsync(
                realm,
                "refresh_token",
                [new("refresh_token", credential.Secret.Reveal())],
                service,
                scope,
                entry,
                rule,
                cancellationToken).ConfigureAwait(false);
        }
        else
        {
            var query = new List<string>();
            if (service is not null)
            {
                query.Add("service=" + Uri.EscapeDataString(service));
            }

            if (scope is not null)
            {
                query.Add("scope=" + Uri.EscapeDataString(scope));
            }

            var builder = new UriBuilder(realm);
            var existing = builder.Query.TrimStart('?');
            builder.Query = string.Join('&', new[] { existing }.Where(q => q.Length > 0).Concat(query));
            using var get = new HttpRequestMessage(HttpMethod.Get, builder.Uri);
            get.Headers.Authorization = RegistryHttpSender.Basic(credential);
            get.Options.Set(RealmGuard.Option, rule);
            response = await http.SendAsync(get, entry, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed
                && credential?.Kind == RegistryCredentialKind.UsernamePassword)
            {
                response.Dispose();
                response = await PostAsync(
                    realm,
                    "password",
                    [new("username", credential.Username!), new("password", credential.Secret.Reveal())],
                    service,
                    scope,
                    entry,
                    rule,
                    cancellationToken).ConfigureAwait(false);
            }
        }

        using (response)
        {
            return await ReadTokenAsync(response, received, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<HttpResponseMessage> PostAsync(
        Uri realm,
        string grantType,
        List<KeyValuePair<string, string>> fields,
        string? service,
        string? scope,
        RegistryEntry? entry,
        RealmGuard.Rule rule,
        CancellationToken cancellationToken)
    {
        fields.Insert(0, new("grant_type", grantType));
        fields.Add(new("client_id", ClientId));
        if (service is not null)
        {
            fields.Add(new("service", service));
        }

        if (scope is not null)
        {
            fields.Add(new("scope", scope));
        }

        using var post = new HttpRequestMessage(HttpMethod.Post, realm) { Content = new FormUrlEncodedContent(fields) };
        post.Options.Set(RealmGuard.Option, rule);
        return await http.SendAsync(post, entry, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<RegistryCredential> ReadTokenAsync(HttpResponseMessage response, DateTimeOffset received, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            throw new RegistryAuthenticationException(RegistryValidationOutcome.Unauthorized, $"The token service refused the credential ({status}).");
        }

        if (!response.IsSuccessStatusCode)
        {
            throw new RegistryAuthenticationException(
                status >= 500 ? RegistryValidationOutcome.Unreachable : RegistryValidationOutcome.ProtocolError,
                $"The token service answered {status} {response.ReasonPhrase}.");
        }

        var body = await RegistryHttpSender.ReadLimitedAsync(response, "token response", cancellationToken).ConfigureAwait(false);
        string? token;
        int? expiresIn = null;
        try
        {
            using var json = JsonDocument.Parse(body);
            var root = json.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Protocol("the token response is not a JSON object");
            }

            token = String(root, "token") ?? String(root, "access_token");
            if (root.TryGetProperty("expires_in", out var expires) && expires.ValueKind == JsonValueKind.Number && expires.TryGetInt32(out var seconds))
            {
                expiresIn = seconds;
            }
        }
        catch (JsonException e)
        {
            throw new RegistryAuthenticationException(RegistryValidationOutcome.ProtocolError, "The token response is not valid JSON.", e);
        }

        if (string.IsNullOrEmpty(token))
        {
            throw Protocol("the token response has neither 'token' nor 'access_token'");
        }

        // Lifetime from the local clock at receipt (issued_at from the server is not trusted against clock skew),
        // at least 60 s; usable until 5 s before it ends; refreshed ahead after three quarters of it.
        var lifetime = TimeSpan.FromSeconds(Math.Max(expiresIn ?? 0, (int)MinimumLifetime.TotalSeconds));
        return RegistryCredential.FromRegistryToken(token, received + lifetime - TimeSpan.FromSeconds(5), received + (lifetime * 0.75));
    }

    private static string? String(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static RegistryAuthenticationException Protocol(string why) =>
        new(RegistryValidationOutcome.ProtocolError, "The token service answered against the protocol: " + why + ".");

    /// <summary>The <c>Authorization</c> header for a bearer credential.</summary>
    public static AuthenticationHeaderValue Bearer(RegistryCredential token) => new("Bearer", token.Secret.Reveal());

    internal static string FormatSeconds(TimeSpan value) => value.TotalSeconds.ToString("0", CultureInfo.InvariantCulture);
}
