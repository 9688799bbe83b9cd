using Azure;
using Azure.Core;
using Azure.Identity;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RegistryCredentials.Azure.Internal;

namespace RegistryCredentials.Azure;

/// <summary>
/// The provider for <see cref="RegistryType.Azure"/> (<c>acr</c>) entries. The entry's user name chooses the mode
/// (<see cref="AzureAuthenticationMode"/>):
/// <list type="bullet">
/// <item>the admin user, a service principal's application id, or an ACR token name: user name and password pass through as HTTP Basic;</item>
/// <item><c>&lt;tenant-id&gt;/&lt;client-id&gt;</c> with the client secret as password: Entra ID <c>ClientSecretCredential</c>;</item>
/// <item>
/// <c>managed-identity</c>, <c>managed-identity:&lt;client-id&gt;</c> or <c>managed-identity:&lt;resource-id&gt;</c>:
/// <c>ManagedIdentityCredential</c>;
/// </item>
/// <item><c>workload-identity</c>: <c>WorkloadIdentityCredential</c> (AKS workload identity environment);</item>
/// <item><c>default</c>: <c>DefaultAzureCredential</c>, only with <see cref="AzureOptions.AllowDefaultCredential"/>.</item>
/// </list>
/// In the Entra ID modes (the password is not used except by the client-secret mode) the provider gets a token for
/// <see cref="AzureOptions.TokenScope"/>, exchanges it with <c>POST https://&lt;registry&gt;/oauth2/exchange</c> for an ACR
/// refresh token, and hands out <see cref="RefreshTokenUsername"/> with the refresh token as password, cached in
/// <see cref="RegistryTokenCache"/> until <see cref="AzureOptions.ExpiryMargin"/> before the token's <c>exp</c> and
/// refreshed in the background <see cref="AzureOptions.RefreshMargin"/> before it.
/// </summary>
public sealed class AzureCredentialProvider : RegistryCredentialProvider<AzureOptions>
{
    /// <summary>The user name that goes with an ACR refresh token, as <c>az acr login</c> and Docker use it.</summary>
    public const string RefreshTokenUsername = "00000000-0000-0000-0000-000000000000";

    /// <summary>The service-account annotation naming the Entra application a workload federates as: <c>azure.workload.identity/client-id</c>.</summary>
    public const string ClientIdAnnotation = "azure.workload.identity/client-id";

    /// <summary>The service-account annotation naming the Entra tenant: <c>azure.workload.identity/tenant-id</c>.</summary>
    public const string TenantIdAnnotation = "azure.workload.identity/tenant-id";

    private readonly AcrTokenExchange _exchange;

    /// <summary>Creates the provider; <c>AddAzure()</c> registers it.</summary>
    /// <param name="options">The options.</param>
    /// <param name="logger">The logger.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="tokenCache">The core token cache, where refresh tokens are kept.</param>
    /// <param name="httpSender">The core's HTTP path to registries, for the exchange (the entry's TLS settings apply).</param>
    /// <exception cref="OptionsValidationException">The options are not valid.</exception>
    public AzureCredentialProvider(
        IOptionsMonitor<AzureOptions> options,
        ILogger<AzureCredentialProvider> logger,
        TimeProvider timeProvider,
        RegistryTokenCache tokenCache,
        IRegistryHttpSender httpSender)
        : base(options, logger, timeProvider, tokenCache, httpSender) =>
        _exchange = new AcrTokenExchange(httpSender);

    /// <inheritdoc />
    public override RegistryType Type => RegistryType.Azure;

    /// <summary>Tells which mode an <c>acr</c> user name selects.</summary>
    /// <param name="username">The entry's user name.</param>
    /// <returns>The mode.</returns>
    /// <exception cref="ArgumentException">The user name is none of the forms (for example <c>a:b</c>, or <c>x/y</c> without a GUID client id).</exception>
    public static AzureAuthenticationMode GetMode(string username) => AzureEntryIdentity.Parse(username).Mode;

    /// <inheritdoc />
    /// <exception cref="AzureCredentialException">
    /// Entra ID or the registry's exchange failed, or the entry is refused as <see cref="CheckEntryAsync"/> would
    /// (<see cref="RegistryErrorReason.InvalidEntry"/> or <see cref="RegistryErrorReason.NotAllowed"/>).
    /// </exception>
    public override async ValueTask<RegistryCredential> GetCredentialAsync(
        RegistryEntry entry,
        RegistrySecret secret,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(secret);
        var identity = Identify(entry);
        if (!identity.IsEntra)
        {
            return RegistryCredential.FromUsernamePassword(entry.Username, secret);
        }

        return await TokenCache.GetOrCreateAsync(
            CacheKey(entry, secret),
            token => Telemetry.Tokens.MeasureAsync(TimeProvider, () => FetchAsync(entry, identity, secret, null, token), Telemetry.Mode(identity.Mode)),
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Returns the ACR credential of a workload (the kubelet's service-account-token mode) through Entra ID workload
    /// identity federation: the workload's service-account token is the client assertion
    /// (<c>client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer</c>) for the application its service
    /// account names in <see cref="ClientIdAnnotation"/> and <see cref="TenantIdAnnotation"/> (the annotations of Azure
    /// Workload Identity, as cloud-provider-azure's acr-credential-provider reads them), or else the entry's
    /// <c>&lt;tenant-id&gt;/&lt;client-id&gt;</c>; the Entra token is exchanged for an ACR refresh token as for every Entra entry.
    /// Tokens are cached by entry, application, service account and token.
    /// </summary>
    /// <param name="entry">The entry that matched the image.</param>
    /// <param name="secret">Its secret (not used: the token replaces it).</param>
    /// <param name="workload">The workload's identity.</param>
    /// <param name="cancellationToken">Stops this caller's wait.</param>
    /// <returns>The refresh token with user <see cref="RefreshTokenUsername"/>.</returns>
    /// <exception cref="AzureCredentialException">No application or tenant is named, the entry cannot be federated, or Entra ID or ACR refused.</exception>
    public override async ValueTask<RegistryCredential> GetWorkloadCredentialAsync(
        RegistryEntry entry, RegistrySecret secret, RegistryWorkloadIdentity workload, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(secret);
        ArgumentNullException.ThrowIfNull(workload);
        var entryIdentity = Identify(entry);
        var clientId = workload.Annotation(ClientIdAnnotation) ?? entryIdentity.ClientId;
        var tenantId = workload.Annotation(TenantIdAnnotation) ?? entryIdentity.TenantId;
        if (clientId is null || tenantId is null)
        {
            throw Refused(entry, RegistryErrorReason.InvalidEntry, nameof(RegistryAddRequest.Username),
                $"{workload} names no Entra application: annotate it with {ClientIdAnnotation} and {TenantIdAnnotation}, "
                + "or store the entry as '<tenant-id>/<client-id>'.");
        }

        // The same forms as an entry's '<tenant-id>/<client-id>' (a GUID client id, a directory id or domain).
        AzureEntryIdentity identity;
        try
        {
            identity = AzureEntryIdentity.Parse(tenantId + "/" + clientId) with { Mode = AzureAuthenticationMode.WorkloadIdentity };
        }
        catch (ArgumentException e)
        {
            throw Refused(entry, RegistryErrorReason.InvalidEntry, nameof(RegistryAddRequest.Username),
                $"the tenant '{tenantId}' and client id '{clientId}' of {workload} are not a directory id or domain and a GUID.", e);
        }

        if (!entryIdentity.IsEntra)
        {
            CheckEntra(entry, identity);
        }

        var options = new ClientAssertionCredentialOptions { DisableInstanceDiscovery = Options.DisableInstanceDiscovery };
        if (EntraCredentials.AuthorityHostFor(entry, Options) is { } authority)
        {
            options.AuthorityHost = authority;
        }

        Options.ConfigureCredentialOptions?.Invoke(options);
        var token = workload.ServiceAccountToken;
        var credential = new ClientAssertionCredential(identity.TenantId, identity.ClientId, _ => Task.FromResult(token), options);
        var key = TokenKey(entry, "workload", identity.TenantId!, identity.ClientId!, workload.ServiceAccount ?? string.Empty, token,
            entry.VerifyTls ? "verify" : "skip", entry.CaCertificates ?? string.Empty);
        return await TokenCache.GetOrCreateAsync(
            key,
            ct => Telemetry.Tokens.MeasureAsync(TimeProvider, () => FetchAsync(entry, identity, secret, credential, ct), Telemetry.Mode(identity.Mode)),
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Refuses, before anything is stored, an entry that cannot work: a user name of none of the forms; or an Entra ID entry
    /// that uses <c>default</c> without <see cref="AzureOptions.AllowDefaultCredential"/>, has a <c>*</c> host (the exchange
    /// needs one registry), or is plain HTTP.
    /// </summary>
    /// <param name="entry">The entry about to be stored.</param>
    /// <param name="secret">Its secret.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A completed task when the check passed.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="entry"/> or <paramref name="secret"/> is null.</exception>
    /// <exception cref="AzureCredentialException">
    /// The entry is refused: <see cref="RegistryCredentialsException.Reason"/> is <see cref="RegistryErrorReason.NotAllowed"/>
    /// for <c>default</c> while it is off, else <see cref="RegistryErrorReason.InvalidEntry"/>;
    /// <see cref="RegistryCredentialsException.Field"/> names <c>Username</c>, <c>Scope</c> or <c>InsecureHttp</c>;
    /// <see cref="RegistryProviderException{TKind}.Kind"/> is <see cref="RegistryValidationOutcome.ProtocolError"/>.
    /// </exception>
    public override ValueTask CheckEntryAsync(RegistryEntry entry, RegistrySecret secret, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(secret);
        _ = Identify(entry);
        return ValueTask.CompletedTask;
    }

    /// <summary>Logs that the entry's refresh tokens were dropped after a registry refused one.</summary>
    /// <param name="entry">The entry whose credential was refused.</param>
    /// <param name="count">How many tokens were dropped.</param>
    protected override void OnTokensEvicted(RegistryEntry entry, int count)
    {
        if (count > 0)
        {
            Log.RefreshTokensDropped(Logger, entry.Scope.Value, entry.Account);
        }
    }

    /// <summary>
    /// The key of an entry's ACR refresh token: everything that changes the token (user name, secret, TLS settings), so
    /// that a check of an updated entry never reuses the token of its old settings, and the token made when an entry is
    /// added serves its first pulls. The cache keeps these parts only as a keyed hash.
    /// </summary>
    private RegistryTokenKey CacheKey(RegistryEntry entry, RegistrySecret secret) => TokenKey(
        entry,
        entry.Type.Value,
        entry.Username,
        secret.Reveal(),
        entry.VerifyTls ? "verify" : "skip",
        entry.InsecureHttp ? "http" : "https",
        entry.CaCertificates ?? string.Empty);

    /// <summary>The entry's identity, or the entry's refusal as an <see cref="AzureCredentialException"/> naming the field.</summary>
    private AzureEntryIdentity Identify(RegistryEntry entry)
    {
        AzureEntryIdentity identity;
        try
        {
            identity = AzureEntryIdentity.Parse(entry.Username);
        }
        catch (ArgumentException e)
        {
            var message = e.ParamName is { } name && e.Message.EndsWith($" (Parameter '{name}')", StringComparison.Ordinal)
                ? e.Message[..^$" (Parameter '{name}')".Length]
                : e.Message;
            throw Refused(entry, RegistryErrorReason.InvalidEntry, nameof(RegistryAddRequest.Username), message, e);
        }

        if (identity.IsEntra)
        {
            CheckEntra(entry, identity);
        }

        return identity;
    }

    private void CheckEntra(RegistryEntry entry, AzureEntryIdentity identity)
    {
        if (identity.Mode == AzureAuthenticationMode.DefaultCredential && !Options.AllowDefaultCredential)
        {
            throw Refused(
                entry,
                RegistryErrorReason.NotAllowed,
                nameof(RegistryAddRequest.Username),
                "The user name 'default' selects DefaultAzureCredential, which takes whatever identity this process has; it is off. Set "
                + "AzureOptions.AllowDefaultCredential to allow it, or name the identity (managed-identity, workload-identity or <tenant-id>/<client-id>).");
        }

        if (entry.Scope.IsGlob)
        {
            throw Refused(
                entry,
                RegistryErrorReason.InvalidEntry,
                nameof(RegistryAddRequest.Scope),
                $"The Entra ID entry {entry.Scope} has a '*' host: an ACR refresh token is made by "
                + $"and for one registry, so give its login server (such as myregistry.azurecr.io).");
        }

        if (entry.InsecureHttp)
        {
            throw Refused(
                entry,
                RegistryErrorReason.InvalidEntry,
                nameof(RegistryAddRequest.InsecureHttp),
                $"The Entra ID entry {entry.Scope} is plain HTTP: Entra ID and ACR tokens are only sent over HTTPS.");
        }
    }

    private static AzureCredentialException Refused(RegistryEntry entry, RegistryErrorReason reason, string field, string why, Exception? cause = null) =>
        new(RegistryValidationOutcome.ProtocolError, reason, $"The acr entry {entry.Scope} cannot be used: {why}", cause) { Field = field };

    private async Task<RegistryCredential> FetchAsync(
        RegistryEntry entry, AzureEntryIdentity identity, RegistrySecret secret, TokenCredential? workload, CancellationToken cancellationToken)
    {
        using var activity = Telemetry.ActivitySource.StartActivity("RegistryCredentials.Azure.Exchange");
        activity?.SetTag("registrycredentials.scope", entry.Scope.Value);
        activity?.SetTag(Telemetry.ModeTag, Telemetry.ModeName(identity.Mode));
        using var timeout = new CancellationTokenSource(Options.RequestTimeout, TimeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            Log.GettingEntraToken(Logger, identity.Mode, entry.Scope.Value, entry.Account);
            var accessToken = await GetEntraTokenAsync(entry, identity, secret, workload, linked.Token).ConfigureAwait(false);
            var tenant = JwtClaims.TryReadTenant(accessToken) ?? identity.TenantId;
            var refreshToken = await _exchange.ExchangeAsync(entry, accessToken, tenant, linked.Token).ConfigureAwait(false);
            var credential = MakeCredential(refreshToken);
            Log.RefreshTokenIssued(
                Logger,
                entry.Scope.Registry,
                entry.Scope.Value,
                entry.Account,
                identity.Mode,
                credential.ExpiresOn!.Value,
                credential.RefreshOn!.Value);
            Count(identity, null);
            return credential;
        }
        catch (OperationCanceledException e) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw Failed(entry, identity, new AzureCredentialException(
                RegistryValidationOutcome.Timeout,
                $"Getting an ACR refresh token for {entry.Scope} took longer than {Options.RequestTimeout.TotalSeconds:0.###} s.",
                e));
        }
        catch (AzureCredentialException e)
        {
            throw Failed(entry, identity, e);
        }
    }

    private async Task<string> GetEntraTokenAsync(
        RegistryEntry entry, AzureEntryIdentity identity, RegistrySecret secret, TokenCredential? workload, CancellationToken cancellationToken)
    {
        var request = new AzureCredentialRequest(
            entry,
            identity.Mode,
            identity.TenantId,
            identity.ClientId,
            identity.ResourceId,
            identity.Mode == AzureAuthenticationMode.ClientSecret ? secret : null,
            EntraCredentials.AuthorityHostFor(entry, Options));
        try
        {
            var credential = workload ?? Options.CredentialFactory?.Invoke(request) ?? EntraCredentials.Create(request, Options);
            var token = await credential.GetTokenAsync(new TokenRequestContext([Options.TokenScope]), cancellationToken).ConfigureAwait(false);
            if (string.IsNullOrEmpty(token.Token))
            {
                throw new AzureCredentialException(
                    RegistryValidationOutcome.ProtocolError,
                    $"Entra ID ({identity.Mode}) returned an empty token for {entry.Scope}.");
            }

            return token.Token;
        }
        catch (CredentialUnavailableException e)
        {
            // No identity of that kind on this machine: like AWS's empty credential chain, a refusal rather than a network failure.
            throw new AzureCredentialException(
                RegistryValidationOutcome.Unreachable,
                RegistryErrorReason.Unauthorized,
                $"The Entra ID credential ({identity.Mode}) for {entry.Scope} is not available here: {Describe(e)}",
                e);
        }
        catch (AuthenticationFailedException e)
        {
            throw new AzureCredentialException(
                RegistryValidationOutcome.Unauthorized, $"Entra ID refused the credential ({identity.Mode}) for {entry.Scope}: {Describe(e)}", e);
        }
        catch (RequestFailedException e)
        {
            var outcome = e.Status is 401 or 403
                ? RegistryValidationOutcome.Unauthorized
                : e.Status == 0
                ? RegistryValidationOutcome.Unreachable
                : RegistryValidationOutcome.ProtocolError;
            throw new AzureCredentialException(
                outcome,
                e.Status == 429 ? RegistryErrorReason.Throttled : RegistryErrorCatalog.ReasonOf(outcome),
                $"Getting an Entra ID token ({identity.Mode}) for {entry.Scope} failed ({e.Status}): {Describe(e)}",
                e);
        }
        catch (ArgumentException e)
        {
            throw new AzureCredentialException(
                RegistryValidationOutcome.ProtocolError, $"The Entra ID credential ({identity.Mode}) for {entry.Scope} could not be made: {e.Message}", e);
        }
    }

    /// <summary>The credential for a refresh token: expires <see cref="AzureOptions.ExpiryMargin"/> before its <c>exp</c>, refreshed ahead.</summary>
    private RegistryCredential MakeCredential(string refreshToken)
    {
        var exp = JwtClaims.ReadExpiry(refreshToken, "ACR refresh token");
        var now = TimeProvider.GetUtcNow();
        var expiresOn = exp - Options.ExpiryMargin;
        if (expiresOn <= now)
        {
            throw new AzureCredentialException(
                RegistryValidationOutcome.ProtocolError,
                $"The ACR refresh token expires at {exp:O}, within {Options.ExpiryMargin.TotalSeconds:0.###} s of now ({now:O}); check the clock.");
        }

        var halfway = now + ((expiresOn - now) / 2);
        var refreshOn = exp - Options.RefreshMargin;
        if (refreshOn < halfway)
        {
            refreshOn = halfway;
        }

        if (refreshOn > expiresOn)
        {
            refreshOn = expiresOn;
        }

        return RegistryCredential.FromUsernamePassword(RefreshTokenUsername, refreshToken, expiresOn, refreshOn);
    }

    /// <summary>The messages of an Azure.Identity exception and its causes (MSAL puts Entra ID's AADSTS error in the inner one), short.</summary>
    private static string Describe(Exception e)
    {
        var messages = new List<string>();
        for (var current = e; current is not null && messages.Count < 4; current = current.InnerException)
        {
            var message = current.Message.Trim();
            if (message.Length > 0 && !messages.Exists(m => m.Contains(message, StringComparison.Ordinal)))
            {
                messages.Add(message);
            }
        }

        var text = string.Join(" ", messages).ReplaceLineEndings(" ");
        return text.Length > 600 ? text[..600] + "…" : text;
    }

    private AzureCredentialException Failed(RegistryEntry entry, AzureEntryIdentity identity, AzureCredentialException e)
    {
        Log.RefreshTokenFailed(Logger, entry.Scope.Value, entry.Account, e.Kind, e.Message);
        Count(identity, e.Kind);
        return e;
    }

    private static void Count(AzureEntryIdentity identity, RegistryValidationOutcome? failure) =>
        Telemetry.Tokens.CountRequest(failure, Telemetry.Mode(identity.Mode));
}
