using System.Net;
using System.Runtime.CompilerServices;
using Google.Apis.Auth.OAuth2;
using Google.Apis.Auth.OAuth2.Responses;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RegistryCredentials.Google.Internal;

namespace RegistryCredentials.Google;

/// <summary>
/// The provider for <see cref="RegistryType.Google"/> (<c>gcr</c>): Google Container Registry and Artifact Registry.
/// <list type="bullet">
/// <item><c>_json_key</c> / <c>_json_key_base64</c> with a service-account key: checked on add (JSON, <c>type</c>
/// <c>service_account</c>, <c>client_email</c>, <c>private_key</c>), then handed out as is (Basic), or, with
/// <see cref="GoogleOptions.ExchangeForAccessToken"/>, exchanged through Google.Apis.Auth for an access token handed out
/// as <c>oauth2accesstoken</c>, cached in <see cref="RegistryTokenCache"/> and refreshed ahead of its expiry;</item>
/// <item><c>oauth2accesstoken</c> with an access token: handed out as is;</item>
/// <item><c>_dcgcr_auto</c>: an access token from Application Default Credentials, only with
/// <see cref="GoogleOptions.AllowApplicationDefault"/>.</item>
/// </list>
/// An exchanged token is never handed out within 10 seconds of its real expiry. Register it with <c>AddGoogle()</c>.
/// </summary>
public sealed class GoogleCredentialProvider : RegistryCredentialProvider<GoogleOptions>
{
    /// <summary>How long before its real expiry an access token stops being handed out.</summary>
    internal static readonly TimeSpan ExpiryMargin = TimeSpan.FromSeconds(10);

    /// <summary>The lifetime assumed when a token response has no <c>expires_in</c> (Google's access tokens live an hour).</summary>
    internal static readonly TimeSpan DefaultLifetime = TimeSpan.FromHours(1);

    /// <summary>
    /// The lifetime assumed for a token from an Application Default credential that does not tell its expiry:
    /// Google.Apis.Auth hands out such tokens only while they have more than its refresh window left.
    /// </summary>
    internal static readonly TimeSpan OpaqueTokenLifetime = TimeSpan.FromMinutes(3);

    private readonly TimeProviderClock _clock;
    private readonly ConditionalWeakTable<RegistrySecret, ParsedSecret> _parsed = [];

    /// <summary>Creates the provider; usually done by <c>AddGoogle()</c>.</summary>
    /// <param name="options">The options.</param>
    /// <param name="logger">The logger.</param>
    /// <param name="timeProvider">The clock of the token cache, of the JWT assertions and of token lifetimes.</param>
    /// <param name="tokenCache">
    /// The cache exchanged access tokens are kept in (shared with the rest of the library, so that changing or deleting
    /// an entry drops its tokens).
    /// </param>
    /// <param name="httpSender">The library's HTTP path to registries (the provider kit's shape; Google.Apis.Auth reaches the token endpoint itself).</param>
    /// <exception cref="OptionsValidationException">The options are not valid.</exception>
    public GoogleCredentialProvider(
        IOptionsMonitor<GoogleOptions> options,
        ILogger<GoogleCredentialProvider> logger,
        TimeProvider timeProvider,
        RegistryTokenCache tokenCache,
        IRegistryHttpSender httpSender)
        : base(options, logger, timeProvider, tokenCache, httpSender) =>
        _clock = new TimeProviderClock(timeProvider);

    /// <inheritdoc />
    public override RegistryType Type => RegistryType.Google;

    /// <inheritdoc />
    /// <exception cref="GoogleCredentialException">The user name is not supported, the key is unusable, Application
    /// Default Credentials are not allowed or not available, or the token request failed.</exception>
    public override ValueTask<RegistryCredential> GetCredentialAsync(RegistryEntry entry, RegistrySecret secret, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(secret);
        var options = Options;
        switch (entry.Username)
        {
            case GoogleUsernames.JsonKey or GoogleUsernames.JsonKeyBase64 when !options.ExchangeForAccessToken:
            case GoogleUsernames.AccessToken:
                // Pass-through: what was stored is what the registry gets (it accepts all three user names).
                return ValueTask.FromResult(RegistryCredential.FromUsernamePassword(entry.Username, secret));
            case GoogleUsernames.JsonKey or GoogleUsernames.JsonKeyBase64:
                return ExchangeAsync(entry, Key(entry.Username, secret), options, cancellationToken);
            case GoogleUsernames.ApplicationDefault:
                if (!options.AllowApplicationDefault)
                {
                    throw ApplicationDefaultNotAllowed(entry);
                }

                return ApplicationDefaultAsync(entry, options, cancellationToken);
            default:
                throw UnsupportedUsername(entry.Username);
        }
    }

    /// <summary>
    /// Refuses, before anything is stored, an entry that cannot work: a user name that is none of
    /// <see cref="GoogleUsernames"/>, a password that is not a usable service-account key (or whose token URI is refused),
    /// or Application Default Credentials while <see cref="GoogleOptions.AllowApplicationDefault"/> is false.
    /// </summary>
    /// <param name="entry">The entry about to be stored.</param>
    /// <param name="secret">Its secret.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A completed task when the check passed.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="entry"/> or <paramref name="secret"/> is null.</exception>
    /// <exception cref="GoogleCredentialException">
    /// The user name is not supported (<see cref="GoogleCredentialError.UnsupportedUsername"/>) or the key is unusable
    /// (<see cref="GoogleCredentialError.InvalidKey"/>): <see cref="RegistryErrorReason.InvalidEntry"/>; or Application
    /// Default Credentials are not allowed (<see cref="GoogleCredentialError.ApplicationDefaultNotAllowed"/>):
    /// <see cref="RegistryErrorReason.NotAllowed"/>. <see cref="RegistryCredentialsException.Field"/> is <c>Username</c> or <c>Password</c>.
    /// </exception>
    public override ValueTask CheckEntryAsync(RegistryEntry entry, RegistrySecret secret, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(secret);
        var options = Options;
        switch (entry.Username)
        {
            case GoogleUsernames.JsonKey or GoogleUsernames.JsonKeyBase64:
                var key = Key(entry.Username, secret);
                if (options.ExchangeForAccessToken)
                {
                    _ = TokenUriFor(key, options);
                }

                break;
            case GoogleUsernames.AccessToken:
                break;
            case GoogleUsernames.ApplicationDefault:
                if (!options.AllowApplicationDefault)
                {
                    throw ApplicationDefaultNotAllowed(entry);
                }

                break;
            default:
                throw UnsupportedUsername(entry.Username);
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Logs how many access tokens of the entry were dropped after a registry refused one.</summary>
    /// <param name="entry">The entry whose credential was refused.</param>
    /// <param name="count">How many tokens were dropped.</param>
    protected override void OnTokensEvicted(RegistryEntry entry, int count) =>
        Log.TokensInvalidated(Logger, entry.Scope.Value, entry.Account, count);

    private static GoogleCredentialException UnsupportedUsername(string username) => new(
        GoogleCredentialError.UnsupportedUsername,
        $"A Google (gcr) entry's user name must be {GoogleUsernames.JsonKey} (a service-account "
        + $"key file as the password), {GoogleUsernames.JsonKeyBase64} (the key file base64-encoded), "
        + $"{GoogleUsernames.AccessToken} (an OAuth access token) or {GoogleUsernames.ApplicationDefault} (Application Default Credentials), not '{username}'. "
        + "For another kind of registry on this host give the entry Type = docker_v2.");

    private static GoogleCredentialException ApplicationDefaultNotAllowed(RegistryEntry entry) => new(
        GoogleCredentialError.ApplicationDefaultNotAllowed,
        $"The entry {entry.Scope} uses Application Default Credentials (user name "
        + $"{GoogleUsernames.ApplicationDefault}), which this application does not allow: "
        + "set GoogleOptions.AllowApplicationDefault = true to let entries pull with the "
        + "machine's Google identity, or store a service-account key with user name _json_key.");

    private static Uri TokenUriFor(ServiceAccountKey key, GoogleOptions options)
    {
        var tokenUri = options.TokenUri ?? key.TokenUri ?? new Uri(TokenEndpoint.Default);
        if (TokenEndpoint.Check(tokenUri) is { } problem)
        {
            throw new GoogleCredentialException(
                GoogleCredentialError.InvalidKey,
                $"The service-account key of {key.ClientEmail} cannot be exchanged for an access token: {problem}.");
        }

        return tokenUri;
    }

    private ServiceAccountKey Key(string username, RegistrySecret secret)
    {
        if (_parsed.TryGetValue(secret, out var parsed) && string.Equals(parsed.Username, username, StringComparison.Ordinal))
        {
            return parsed.Key;
        }

        var key = ServiceAccountKey.Parse(username, secret);
        _parsed.AddOrUpdate(secret, new ParsedSecret(username, key));
        return key;
    }

    private ValueTask<RegistryCredential> ExchangeAsync(RegistryEntry entry, ServiceAccountKey key, GoogleOptions options, CancellationToken cancellationToken)
    {
        var tokenUri = TokenUriFor(key, options);
        var scopes = GoogleOptionsValidator.Scopes(options);
        var timeout = options.TokenRequestTimeout;
        var httpClientFactory = options.HttpClientFactory;
        // No entry version in the key: the token made while the manager validates an entry on add serves its first pulls;
        // a changed key has another fingerprint, and the manager evicts the entry's tokens on update and delete.
        var cacheKey = TokenKey(
            entry,
            "service_account",
            key.ClientEmail,
            string.Join(' ', scopes),
            tokenUri.AbsoluteUri,
            key.Fingerprint);
        return TokenCache.GetOrCreateAsync(
            cacheKey,
            ct => Telemetry.Tokens.MeasureAsync(
                TimeProvider,
                () => RequestServiceAccountTokenAsync(key, tokenUri, scopes, timeout, httpClientFactory, ct),
                Telemetry.Source("service_account")),
            cancellationToken);
    }

    private async Task<RegistryCredential> RequestServiceAccountTokenAsync(
        ServiceAccountKey key,
        Uri tokenUri,
        string[] scopes,
        TimeSpan timeout,
        global::Google.Apis.Http.IHttpClientFactory? httpClientFactory,
        CancellationToken cancellationToken)
    {
        using var activity = Telemetry.ActivitySource.StartActivity("RegistryCredentials.Google.ExchangeKey");
        activity?.SetTag("registrycredentials.google.client_email", key.ClientEmail);
        var started = TimeProvider.GetUtcNow();
        ServiceAccountCredential credential;
        try
        {
            // Google.Apis.Auth reads the key file (client_email, private_key, private_key_id, token_uri) ...
            var loaded = CredentialFactory.FromJson<ServiceAccountCredential>(key.Json);

            // ... and a scoped copy on the library's clock signs the JWT assertion and sends it to the token URI.
            var initializer = new ServiceAccountCredential.Initializer(loaded.Id, tokenUri.AbsoluteUri)
            {
                Key = loaded.Key,
                KeyId = loaded.KeyId,
                ProjectId = loaded.ProjectId,
                Scopes = scopes,
                Clock = _clock,
            };
            if (httpClientFactory is not null)
            {
                initializer.HttpClientFactory = httpClientFactory;
            }

            credential = new ServiceAccountCredential(initializer);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The exception is not attached: a parser's message could quote the key.
            throw new GoogleCredentialException(
                GoogleCredentialError.InvalidKey,
                $"Google.Apis.Auth could not load the service-account key of {key.ClientEmail} ({e.GetType().Name}).");
        }

        var response = await RequestAsync(
            "service_account",
            key.ClientEmail,
            tokenUri.GetLeftPart(UriPartial.Path),
            timeout,
            async ct =>
            {
                await credential.RequestAccessTokenAsync(ct).ConfigureAwait(false);
                return credential.Token;
            },
            cancellationToken).ConfigureAwait(false);
        var result = ToCredential(response, started, $"the token endpoint {tokenUri.GetLeftPart(UriPartial.Path)}");
        Log.TokenExchanged(Logger, key.ClientEmail, tokenUri.GetLeftPart(UriPartial.Path), result.ExpiresOn!.Value);
        return result;
    }

    private ValueTask<RegistryCredential> ApplicationDefaultAsync(RegistryEntry entry, GoogleOptions options, CancellationToken cancellationToken)
    {
        var scopes = GoogleOptionsValidator.Scopes(options);
        var timeout = options.TokenRequestTimeout;
        var httpClientFactory = options.HttpClientFactory;
        var cacheKey = TokenKey(entry, "application_default", string.Join(' ', scopes));
        return TokenCache.GetOrCreateAsync(
            cacheKey,
            ct => Telemetry.Tokens.MeasureAsync(
                TimeProvider,
                () => RequestApplicationDefaultTokenAsync(entry, scopes, timeout, httpClientFactory, ct),
                Telemetry.Source("application_default")),
            cancellationToken);
    }

    private async Task<RegistryCredential> RequestApplicationDefaultTokenAsync(
        RegistryEntry entry,
        string[] scopes,
        TimeSpan timeout,
        global::Google.Apis.Http.IHttpClientFactory? httpClientFactory,
        CancellationToken cancellationToken)
    {
        using var activity = Telemetry.ActivitySource.StartActivity("RegistryCredentials.Google.ApplicationDefault");
        var started = TimeProvider.GetUtcNow();
        GoogleCredential credential;
        try
        {
            using var timeoutSource = new CancellationTokenSource(timeout, TimeProvider);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutSource.Token);
            credential = await GoogleCredential.GetApplicationDefaultAsync(linked.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Log.ApplicationDefaultFailed(Logger, entry.Scope.Value, entry.Account, e.GetType().Name);
            Telemetry.Tokens.CountRequest(GoogleCredentialError.ApplicationDefaultUnavailable, Telemetry.Source("application_default"));
            throw new GoogleCredentialException(
                GoogleCredentialError.ApplicationDefaultUnavailable,
                "Application Default Credentials are allowed but not available on this machine: set GOOGLE_APPLICATION_CREDENTIALS to a key file, "
                + "run 'gcloud auth application-default login', or run on a Google Cloud workload with a service account.",
                e);
        }

        credential = credential.CreateScoped(scopes);
        if (httpClientFactory is not null)
        {
            credential = credential.CreateWithHttpClientFactory(httpClientFactory);
        }

        var underlying = credential.UnderlyingCredential;
        var credentialType = underlying.GetType().Name;
        var response = await RequestAsync(
            "application_default",
            "Application Default Credentials (" + credentialType + ")",
            (underlying as ServiceCredential)?.TokenServerUrl ?? "its token endpoint",
            timeout,
            async ct =>
            {
                switch (underlying)
                {
                    case ServiceCredential service:
                        await service.RequestAccessTokenAsync(ct).ConfigureAwait(false);
                        return service.Token;
                    case UserCredential user:
                        await user.RefreshTokenAsync(ct).ConfigureAwait(false);
                        return user.Token;
                    default:
                        // No expiry is exposed: Google.Apis.Auth hands out only tokens well ahead of theirs.
                        var accessToken = await ((ITokenAccess)credential).GetAccessTokenForRequestAsync(cancellationToken: ct).ConfigureAwait(false);
                        return new TokenResponse { AccessToken = accessToken, ExpiresInSeconds = (long)OpaqueTokenLifetime.TotalSeconds };
                }
            },
            cancellationToken).ConfigureAwait(false);
        var result = ToCredential(response, started, "Application Default Credentials");
        Log.ApplicationDefaultTokenReceived(Logger, credentialType, result.ExpiresOn!.Value);
        return result;
    }

    /// <summary>Runs one token request with the timeout, turning every failure into a <see cref="GoogleCredentialException"/>.</summary>
    private async Task<TokenResponse?> RequestAsync(
        string source, string who, string where, TimeSpan timeout, Func<CancellationToken, Task<TokenResponse?>> request, CancellationToken cancellationToken)
    {
        using var timeoutSource = new CancellationTokenSource(timeout, TimeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutSource.Token);
        string reason;
        RegistryErrorReason kind;
        Exception failure;
        try
        {
            var response = await request(linked.Token).ConfigureAwait(false);
            Telemetry.Tokens.CountRequest(null, Telemetry.Source(source));
            return response;
        }
        catch (TokenResponseException e)
        {
            var status = e.StatusCode is { } code ? $"HTTP {(int)code}" : "no HTTP status";
            reason = $"{where} refused the request ({status}, error '{e.Error?.Error}')";
            kind = e.StatusCode switch
            {
                HttpStatusCode.TooManyRequests => RegistryErrorReason.Throttled,
                >= HttpStatusCode.InternalServerError => RegistryErrorReason.Unreachable,
                _ => RegistryErrorReason.Unauthorized,
            };
            failure = e;
        }
        catch (HttpRequestException e)
        {
            reason = $"{where} could not be reached ({e.HttpRequestError})";
            kind = e.HttpRequestError == HttpRequestError.SecureConnectionError ? RegistryErrorReason.TlsFailure : RegistryErrorReason.Unreachable;
            failure = e;
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            reason = $"{where} did not answer within {timeout.TotalSeconds} s";
            kind = RegistryErrorReason.Timeout;
            failure = e;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            reason = $"{where} answered with something that is not a token response ({e.GetType().Name})";
            kind = RegistryErrorReason.ProtocolError;
            failure = e;
        }

        Telemetry.Tokens.CountRequest(GoogleCredentialError.TokenRequestFailed, Telemetry.Source(source));
        Log.TokenRequestFailed(Logger, who, where, reason);
        throw new GoogleCredentialException(GoogleCredentialError.TokenRequestFailed, kind, $"No access token for {who}: {reason}.", failure);
    }

    /// <summary>
    /// The access token as <c>oauth2accesstoken</c>, handed out until 10 s before its real expiry (counted from when the
    /// request was sent, on the library's clock) and refreshed in the background after three quarters of that.
    /// </summary>
    private RegistryCredential ToCredential(TokenResponse? response, DateTimeOffset started, string from)
    {
        if (response is null || string.IsNullOrEmpty(response.AccessToken))
        {
            throw new GoogleCredentialException(GoogleCredentialError.TokenRequestFailed, $"No access token: {from} answered without an access_token.");
        }

        var lifetime = response.ExpiresInSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : DefaultLifetime;
        var expiresOn = started + lifetime - ExpiryMargin;
        var now = TimeProvider.GetUtcNow();
        if (expiresOn <= now)
        {
            throw new GoogleCredentialException(
                GoogleCredentialError.TokenRequestFailed,
                $"No usable access token: {from} issued one valid for {lifetime.TotalSeconds} s, which "
                + $"leaves nothing once the {ExpiryMargin.TotalSeconds} s safety margin is taken off.");
        }

        var refreshOn = started + ((expiresOn - started) * 3 / 4);
        return RegistryCredential.FromUsernamePassword(
            GoogleUsernames.AccessToken, RegistrySecret.FromString(response.AccessToken), expiresOn, refreshOn < now ? now : refreshOn);
    }

    private sealed record ParsedSecret(string Username, ServiceAccountKey Key);
}
