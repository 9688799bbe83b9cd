using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RegistryCredentials.Aws.Internal;

namespace RegistryCredentials.Aws;

/// <summary>
/// The provider for <see cref="RegistryType.AwsEcr"/> entries (Anchore's <c>awsecr</c>): turns AWS credentials into the
/// 12-hour ECR registry credential (user <c>AWS</c>, the token as password) with one SigV4-signed
/// <c>GetAuthorizationToken</c> call. An entry's credentials are one of:
/// <list type="bullet">
/// <item><description>user name = access key id, password = secret access key;</description></item>
/// <item><description>user name <c>_iam_role</c>, password <c>&lt;role_arn&gt;[;&lt;external_id&gt;]</c>: the role is assumed through STS with
/// <see cref="AwsEcrOptions.BaseCredentials"/> or the machine's identity, and the session renewed before it ends;</description></item>
/// <item><description>user name and password <c>awsauto</c>: the machine's identity through the AWS default credential chain
/// (environment, profile, web identity as in EKS service-account roles, ECS task role, EC2 instance profile), only when
/// <see cref="AwsEcrOptions.AllowIamRoleAuto"/> is true.</description></item>
/// </list>
/// Tokens are cached in <see cref="RegistryTokenCache"/> by entry, partition, region, registry account and identity (the
/// cache keeps the identity only as a keyed hash), refreshed in the background at half their life (about 6 h), fetched
/// once for all concurrent callers, served until one minute before ECR's <c>expiresAt</c> and never after (a failed
/// refresh is then the caller's error), and
/// dropped when a pull reports them refused. The token is asked for in the registry host's own region
/// (<see cref="AwsEcrOptions.Region"/> only fills in a <c>*</c> region), from the API endpoint ECR's endpoint ruleset
/// gives for the host (<see cref="EcrRegistryHost.ApiEndpoint"/>); <c>_iam_role</c> roles of a FIPS or dual-stack host
/// are assumed through STS's FIPS or dual-stack endpoint.
/// </summary>
public sealed partial class AwsEcrCredentialProvider : RegistryCredentialProvider<AwsEcrOptions>, IDisposable
{
    /// <summary>The user name (and password) that selects the machine's identity: <c>awsauto</c>.</summary>
    public const string AutoUsername = "awsauto";

    /// <summary>The user name that selects an assumed role: <c>_iam_role</c> (password <c>&lt;role_arn&gt;[;&lt;external_id&gt;]</c>).</summary>
    public const string IamRoleUsername = "_iam_role";

    /// <summary>
    /// The service-account annotation that names the role a workload assumes with its service-account token:
    /// <c>eks.amazonaws.com/role-arn</c>, the annotation of EKS's IAM roles for service accounts (IRSA, read by
    /// amazon-eks-pod-identity-webhook), so that a service account set up for IRSA pulls with the same role.
    /// </summary>
    public const string RoleArnAnnotation = "eks.amazonaws.com/role-arn";

    /// <summary>A token is handed out until this long before ECR's <c>expiresAt</c>, so it never expires in flight.</summary>
    internal static readonly TimeSpan ExpiryMargin = TimeSpan.FromMinutes(1);

    private readonly EcrTokenClient _client;
    private readonly AwsCredentialSource _credentials;
    private readonly ConditionalWeakTable<RegistryEntry, EcrEntryState> _states = [];
    private int _disposed;

    /// <summary>Creates the provider; <see cref="RegistryCredentialsAwsBuilderExtensions.AddAwsEcr"/> registers it.</summary>
    /// <param name="options">The ECR settings.</param>
    /// <param name="logger">The logger.</param>
    /// <param name="timeProvider">The clock for token lifetimes, signatures, timeouts and retry delays.</param>
    /// <param name="tokenCache">The token cache shared with the rest of the library.</param>
    /// <param name="httpSender">
    /// The library's HTTP path to registries (the provider kit's shape; ECR and STS are reached through
    /// <paramref name="httpClientFactory"/>).
    /// </param>
    /// <param name="httpClientFactory">Gives the <see cref="AwsEcrOptions.HttpClientName"/> client for the ECR and STS APIs.</param>
    /// <exception cref="OptionsValidationException">The options are not valid.</exception>
    public AwsEcrCredentialProvider(
        IOptionsMonitor<AwsEcrOptions> options,
        ILogger<AwsEcrCredentialProvider> logger,
        TimeProvider timeProvider,
        RegistryTokenCache tokenCache,
        IRegistryHttpSender httpSender,
        IHttpClientFactory httpClientFactory)
        : base(options, logger, timeProvider, tokenCache, httpSender)
    {
        ArgumentNullException.ThrowIfNull(httpClientFactory);
        _client = new EcrTokenClient(httpClientFactory, options, timeProvider, logger);
        _credentials = new AwsCredentialSource(httpClientFactory, options, timeProvider, logger);
    }

    /// <inheritdoc />
    public override RegistryType Type => RegistryType.AwsEcr;

    /// <summary>
    /// Returns the ECR credential for the entry: from the cache, or from one <c>GetAuthorizationToken</c> call shared
    /// by all concurrent callers.
    /// </summary>
    /// <param name="entry">The entry.</param>
    /// <param name="secret">Its secret: the secret access key, the role ARN (and external id), or <c>awsauto</c>.</param>
    /// <param name="cancellationToken">Stops this caller's wait (not the call others share).</param>
    /// <returns>
    /// User <c>AWS</c> and the token, with <see cref="RegistryCredential.ExpiresOn"/> from <c>expiresAt</c> and
    /// <see cref="RegistryCredential.RefreshOn"/> at half-life.
    /// </returns>
    /// <exception cref="AwsEcrException">The entry is unusable, <c>awsauto</c> is not allowed, or AWS refused or failed the call.</exception>
    public override ValueTask<RegistryCredential> GetCredentialAsync(RegistryEntry entry, RegistrySecret secret, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(secret);
        var state = GetState(entry, secret);
        return TokenCache.GetOrCreateAsync(state.CacheKey, state.Factory!, cancellationToken);
    }

    /// <summary>
    /// Refuses, before anything is stored, an entry that cannot work: a host that is neither an ECR host nor an alias in
    /// <see cref="AwsEcrOptions.RegistryAliases"/>, a malformed access key id or <c>_iam_role</c> password, or
    /// <c>awsauto</c> while <see cref="AwsEcrOptions.AllowIamRoleAuto"/> is false.
    /// </summary>
    /// <param name="entry">The entry about to be stored.</param>
    /// <param name="secret">Its secret.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the check passed.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="entry"/> or <paramref name="secret"/> is null.</exception>
    /// <exception cref="AwsEcrException">
    /// The entry is refused; <see cref="RegistryProviderException{TKind}.Kind"/> says why: <see cref="AwsEcrErrorKind.InvalidEntry"/>
    /// (<see cref="RegistryErrorReason.InvalidEntry"/>) or <see cref="AwsEcrErrorKind.IamRoleAutoNotAllowed"/>
    /// (<see cref="RegistryErrorReason.NotAllowed"/>), and <see cref="RegistryCredentialsException.Field"/> names
    /// <c>Scope</c>, <c>Username</c> or <c>Password</c>.
    /// </exception>
    public override ValueTask CheckEntryAsync(RegistryEntry entry, RegistrySecret secret, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(secret);
        _ = Describe(entry, secret, Options);
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// Returns the ECR credential of a workload (the kubelet's service-account-token mode): its service-account token is
    /// exchanged with STS <c>AssumeRoleWithWebIdentity</c> for the role its service account names in
    /// <see cref="RoleArnAnnotation"/>, or else the entry's <c>_iam_role</c> role, and the role's session asks ECR for the
    /// token of the entry's registry. The entry's own keys are not used. Tokens are cached by entry, role, service account
    /// and token, so one workload never gets another's.
    /// </summary>
    /// <param name="entry">The entry that matched the image.</param>
    /// <param name="secret">Its secret (read only for an <c>_iam_role</c> entry's role).</param>
    /// <param name="workload">The workload's identity.</param>
    /// <param name="cancellationToken">Stops this caller's wait.</param>
    /// <returns>User <c>AWS</c> and the token.</returns>
    /// <exception cref="AwsEcrException">
    /// No role is named, the annotation is not a role ARN (<see cref="AwsEcrErrorKind.InvalidEntry"/>), STS refused the token
    /// (<see cref="AwsEcrErrorKind.Unauthorized"/>) or AWS failed the call.
    /// </exception>
    public override ValueTask<RegistryCredential> GetWorkloadCredentialAsync(
        RegistryEntry entry, RegistrySecret secret, RegistryWorkloadIdentity workload, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(secret);
        ArgumentNullException.ThrowIfNull(workload);
        var options = Options;
        var target = DescribeTarget(entry, options);
        string roleArn;
        if (workload.Annotation(RoleArnAnnotation) is { } annotated)
        {
            roleArn = RoleArn().IsMatch(annotated) ? annotated : throw Invalid(
                entry, null, $"the annotation {RoleArnAnnotation} of {workload} is not a role ARN (arn:aws:iam::<account>:role/<name>).");
        }
        else if (string.Equals(entry.Username, IamRoleUsername, StringComparison.Ordinal))
        {
            roleArn = Describe(entry, secret, options).RoleArn!;
        }
        else
        {
            throw Invalid(
                entry, null, $"{workload} names no role: annotate it with {RoleArnAnnotation}, or store the entry as '{IamRoleUsername}' with the role ARN.");
        }

        var account = workload.ServiceAccount ?? string.Empty;
        var state = new EcrEntryState
        {
            Secret = secret, Options = options, Kind = EcrIdentityKind.WebIdentity, Target = target,
            RoleArn = roleArn, WebIdentityToken = workload.ServiceAccountToken, ServiceAccount = workload.ServiceAccount,
            RoleKey = EcrEntryState.Hash("web-identity", roleArn, account, workload.ServiceAccountToken, target.Region, target.Host.Partition,
                target.Host.IsFips ? "fips" : "-", target.Host.IsDualStack ? "dualstack" : "-"),
            CacheKey = TokenCache.CreateKey(entry, Type, EcrEntryState.Key(target), "web-identity", roleArn, account, workload.ServiceAccountToken),
            Scope = entry.Scope.Value,
        };
        return TokenCache.GetOrCreateAsync(
            state.CacheKey, token => AwsTelemetry.Tokens.MeasureAsync(TimeProvider, () => FetchAsync(state, token)), cancellationToken);
    }

    /// <summary>Logs that the entry's token was dropped after a registry refused it (the next resolve fetches a fresh one).</summary>
    /// <param name="entry">The entry whose credential was refused.</param>
    /// <param name="count">How many tokens were dropped.</param>
    protected override void OnTokensEvicted(RegistryEntry entry, int count)
    {
        if (count > 0)
        {
            AwsLog.TokenEvicted(Logger, entry.Scope.Value, entry.Account);
        }
    }

    /// <summary>Stops calls in flight (role sessions) and releases the default credential chain.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _credentials.Dispose();
        }
    }

    private EcrEntryState GetState(RegistryEntry entry, RegistrySecret secret)
    {
        var options = Options;
        if (!_states.TryGetValue(entry, out var state) || !ReferenceEquals(state.Secret, secret) || !ReferenceEquals(state.Options, options))
        {
            state = CreateState(entry, secret, options);
        }

        if (state.Kind == EcrIdentityKind.Auto && !options.AllowIamRoleAuto)
        {
            throw AutoRefused(entry);
        }

        return state;
    }

    /// <summary>Describes the entry once per entry instance, secret and options, with the factory the token cache calls.</summary>
    private EcrEntryState CreateState(RegistryEntry entry, RegistrySecret secret, AwsEcrOptions options)
    {
        var state = Describe(entry, secret, options);
        state.Factory = cancellationToken => AwsTelemetry.Tokens.MeasureAsync(TimeProvider, () => FetchAsync(state, cancellationToken));
        _states.AddOrUpdate(entry, state);
        return state;
    }

    private async Task<RegistryCredential> FetchAsync(EcrEntryState state, CancellationToken cancellationToken)
    {
        using var activity = AwsTelemetry.ActivitySource.StartActivity("RegistryCredentials.Aws.GetAuthorizationToken");
        activity?.SetTag("aws.region", state.Target.Region);
        activity?.SetTag("registrycredentials.registry", state.Target.Host.Host);
        var credentials = await _credentials.GetAsync(state, cancellationToken).ConfigureAwait(false);
        var token = await _client.GetAuthorizationTokenAsync(state.Target, credentials, cancellationToken).ConfigureAwait(false);
        var now = TimeProvider.GetUtcNow();
        var expiresOn = token.ExpiresAt - ExpiryMargin;
        if (expiresOn <= now)
        {
            throw new AwsEcrException(
                AwsEcrErrorKind.ServiceError,
                $"The ECR API {state.Target.Endpoint.GetLeftPart(UriPartial.Authority)} issued "
                + $"a token for {state.Target.Host.Host} that expires at {token.ExpiresAt:O}, "
                + $"within the {ExpiryMargin.TotalSeconds:0} s safety margin of now ({now:O}); check the clock.");
        }

        var refreshOn = now + ((token.ExpiresAt - now) / 2);
        if (refreshOn > expiresOn)
        {
            refreshOn = expiresOn;
        }

        AwsLog.TokenReceived(Logger, state.Target.Host.Host, state.Target.Region, state.Describe(), token.ExpiresAt, refreshOn);
        return RegistryCredential.FromUsernamePassword(token.Username, token.Password, expiresOn, refreshOn);
    }

    private AwsEcrException AutoRefused(RegistryEntry entry)
    {
        AwsLog.AutoRefused(Logger, entry.Scope.Value, entry.Account);
        return new AwsEcrException(
            AwsEcrErrorKind.IamRoleAutoNotAllowed,
            $"The entry {entry.Scope} uses 'awsauto' (this machine's AWS identity), which is turned off: set AwsEcrOptions.AllowIamRoleAuto = true "
            + "(Anchore's allow_awsecr_iam_auto) to allow it, or give an access key id and secret access key, or '_iam_role' and a role ARN.")
        {
            Field = UsernameField,
        };
    }

    /// <summary>Works out everything about an entry, or refuses it.</summary>
    private EcrEntryState Describe(RegistryEntry entry, RegistrySecret secret, AwsEcrOptions options)
    {
        var target = DescribeTarget(entry, options);
        var host = target.Host;
        var region = target.Region;
        var password = secret.Reveal();
        switch (entry.Username)
        {
            case AutoUsername:
                if (!string.Equals(password, AutoUsername, StringComparison.Ordinal))
                {
                    throw Invalid(entry, PasswordField, "with the user name 'awsauto' the password must be 'awsauto' too.");
                }

                if (!options.AllowIamRoleAuto)
                {
                    throw AutoRefused(entry);
                }

                return new EcrEntryState
                {
                    Secret = secret, Options = options, Kind = EcrIdentityKind.Auto, Target = target,
                    CacheKey = TokenCache.CreateKey(entry, Type, EcrEntryState.Key(target), "auto"), Scope = entry.Scope.Value,
                };
            case IamRoleUsername:
                var separator = password.IndexOf(';', StringComparison.Ordinal);
                var roleArn = (separator < 0 ? password : password[..separator]).Trim();
                var externalId = separator < 0 ? null : password[(separator + 1)..].Trim();
                if (!RoleArn().IsMatch(roleArn))
                {
                    throw Invalid(
                        entry,
                        PasswordField,
                        "with the user name '_iam_role' the password must be '<role_arn>[;<external_id>]', "
                        + "such as arn:aws:iam::123456789012:role/ecr-pull;my-external-id.");
                }

                if (externalId is not null && !ExternalId().IsMatch(externalId))
                {
                    throw Invalid(entry, PasswordField, "the external id after ';' must be 2 to 1,224 characters of letters, digits and +=,.@:/-.");
                }

                return new EcrEntryState
                {
                    Secret = secret, Options = options, Kind = EcrIdentityKind.IamRole, Target = target,
                    RoleArn = roleArn, ExternalId = externalId,
                    // Sessions assumed through STS's FIPS or dual-stack endpoint are kept apart from the others.
                    RoleKey = EcrEntryState.Hash(
                        "role",
                        roleArn,
                        externalId ?? string.Empty,
                        region,
                        target.Host.Partition,
                        host.IsFips ? "fips" : "-",
                        host.IsDualStack ? "dualstack" : "-"),
                    CacheKey = TokenCache.CreateKey(entry, Type, EcrEntryState.Key(target), "role", roleArn, externalId ?? string.Empty),
                    Scope = entry.Scope.Value,
                };
            default:
                if (!AccessKeyId().IsMatch(entry.Username))
                {
                    throw Invalid(
                        entry,
                        UsernameField,
                        "the user name must be an AWS access key id (16 to 128 letters and digits, such as AKIA…), '_iam_role' or 'awsauto'.");
                }

                return new EcrEntryState
                {
                    Secret = secret, Options = options, Kind = EcrIdentityKind.AccessKey, Target = target,
                    AccessKeyId = entry.Username, SecretAccessKey = password,

                    // The secret is part of the hash: an entry that knows only an access key id (which is not secret)
                    // must not get the token another entry fetched with the real secret key.
                    CacheKey = TokenCache.CreateKey(entry, Type, EcrEntryState.Key(target), "key", entry.Username, password),
                    Scope = entry.Scope.Value,
                };
        }
    }

    /// <summary>Where the entry's tokens come from: its ECR host, region and API endpoint, or a refusal.</summary>
    private static EcrTarget DescribeTarget(RegistryEntry entry, AwsEcrOptions options)
    {
        var host = ResolveHost(entry, options);

        // The host's own region always wins; AwsEcrOptions.Region only fills in a '*' region.
        var region = host.IsPublic ? EcrRegistryHost.PublicRegion : host.Region ?? options.Region ?? throw Invalid(
            entry, ScopeField, $"its region is '*', so the region to ask for tokens is unknown: set AwsEcrOptions.Region.");
        Uri endpoint;
        try
        {
            endpoint = host.ApiEndpointFor(region); // also when ServiceUrl replaces it: the region must fit the host
        }
        catch (ArgumentException e)
        {
            throw Invalid(entry, ScopeField, $"AwsEcrOptions.Region does not fit its host: {e.Message}");
        }

        var target = new EcrTarget(host, region, options.ServiceUrl ?? endpoint);
        return target;
    }

    private static EcrRegistryHost ResolveHost(RegistryEntry entry, AwsEcrOptions options)
    {
        if (options.RegistryAliases.TryGetValue(entry.Scope.Registry, out var alias))
        {
            return EcrRegistryHost.TryParse(alias, out var aliased)
                ? aliased
                : throw Invalid(entry, ScopeField, $"its alias '{alias}' in AwsEcrOptions.RegistryAliases is not an ECR registry host.");
        }

        try
        {
            return EcrRegistryHost.Parse(entry.Scope.Registry);
        }
        catch (FormatException e)
        {
            // The parser's message says what is wrong (the form, or a region of another partition than the suffix).
            throw Invalid(entry, ScopeField, e.Message.TrimEnd('.') + ". A proxy or private name for ECR must be listed in AwsEcrOptions.RegistryAliases.");
        }
    }

    // The request property an entry refusal names (RegistryCredentialsException.Field).
    private const string ScopeField = nameof(RegistryAddRequest.Scope);
    private const string UsernameField = nameof(RegistryAddRequest.Username);
    private const string PasswordField = nameof(RegistryAddRequest.Password);

    private static AwsEcrException Invalid(RegistryEntry entry, string? field, string why) =>
        new(AwsEcrErrorKind.InvalidEntry, $"The awsecr entry {entry.Scope} cannot be used: {why}") { Field = field };

    [GeneratedRegex(@"^arn:aws[a-z-]*:iam::\d{12}:role/[\w+=,.@/-]{1,512}$", RegexOptions.CultureInvariant)]
    private static partial Regex RoleArn();

    [GeneratedRegex(@"^[\w+=,.@:/-]{2,1224}$", RegexOptions.CultureInvariant)]
    private static partial Regex ExternalId();

    [GeneratedRegex(@"^[A-Za-z0-9]{16,128}$", RegexOptions.CultureInvariant)]
    private static partial Regex AccessKeyId();
}
