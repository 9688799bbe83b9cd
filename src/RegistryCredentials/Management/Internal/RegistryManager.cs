using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace RegistryCredentials.Internal;

/// <summary>
/// anchorectl/Rancher semantics over an <see cref="IRegistryStore"/>. Every check (fields, type, provider,
/// registry validation) runs before the one store write, so a refused call leaves the store as it was.
/// </summary>
internal sealed class RegistryManager : IRegistryManager
{
    private const int MaxFieldLength = RegistryEntryLimits.MaxUsernameLength;
    private const int MaxEmailLength = RegistryEntryLimits.MaxEmailLength;

    private readonly IRegistryStore _store;
    private readonly ISecretProtector _protector;
    private readonly SecretKeyGuard _keys;
    private readonly IRegistryCredentialValidator? _validator;
    private readonly RegistryTokenCache _tokenCache;
    private readonly Dictionary<RegistryType, RegistryCredentialProvider> _providers;
    private readonly IOptionsMonitor<RegistryCredentialsOptions> _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ResolverIndexUpdater? _localIndex;

    public RegistryManager(
        IRegistryStore store,
        ISecretProtector protector,
        IRegistryCredentialValidator? validator,
        RegistryTokenCache tokenCache,
        IEnumerable<RegistryCredentialProvider> providers,
        IOptionsMonitor<RegistryCredentialsOptions> options,
        TimeProvider time,
        ILogger<RegistryManager> logger,
        ResolverIndexUpdater? localIndex = null)
    {
        _store = store;
        _protector = protector;
        _validator = validator;
        _tokenCache = tokenCache;
        _providers = ProviderMap.Create(providers);
        _options = options;
        _time = time;
        _logger = logger;
        _keys = new SecretKeyGuard(store, protector, logger);
        _localIndex = localIndex;
    }

    public async Task<RegistryEntry> AddAsync(RegistryAddRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var activity = Telemetry.ActivitySource.StartActivity("RegistryCredentials.Add");
        var scope = RegistryScope.Parse(request.Scope);
        var account = Account(request.Account);
        ArgumentNullException.ThrowIfNull(request.Password, nameof(request.Password));
        EntryText.CheckPassword(request.Password, nameof(request.Password));
        var now = _time.GetUtcNow();
        var entry = new RegistryEntry
        {
            Account = account,
            Scope = scope,
            Name = CheckName(request.Name) ?? scope.Value,
            Type = request.Type ?? RegistryType.Guess(scope),
            Username = CheckUsername(request.Username, nameof(request.Username)),
            Email = CheckEmail(request.Email),
            VerifyTls = request.VerifyTls,
            InsecureHttp = request.InsecureHttp,
            CaCertificates = CheckCaCertificates(request.CaCertificates),
            IsActive = request.IsActive,
            CreatedOn = now,
            UpdatedOn = now,
        };
        activity?.SetTag("registrycredentials.scope", scope.Value);

        await CheckAsync(entry, request.Password, request.Validate, cancellationToken).ConfigureAwait(false);
        await _keys.EnsureWritableAsync(cancellationToken).ConfigureAwait(false);
        var record = new RegistryRecord(entry, await _protector.ProtectAsync(request.Password, account, scope, cancellationToken).ConfigureAwait(false));

        RegistryRecord stored;
        var existing = request.Replace ? await _store.GetAsync(account, scope, cancellationToken).ConfigureAwait(false) : null;
        if (existing is null)
        {
            stored = await _store.AddAsync(record, cancellationToken).ConfigureAwait(false);
            Log.EntryAdded(_logger, scope.Value, account, entry.Type.Value, entry.Username);
        }
        else
        {
            stored = await _store.UpdateAsync(
                record.WithEntry(entry with { CreatedOn = existing.Entry.CreatedOn }),
                existing.Entry.Version,
                cancellationToken).ConfigureAwait(false);
            _tokenCache.EvictEntryTokens(account, scope);
            Log.EntryReplaced(_logger, scope.Value, account);
        }

        await AppliedLocallyAsync(account, scope, stored).ConfigureAwait(false);

        Count("add");
        return stored.Entry;
    }

    public async Task<IReadOnlyList<RegistryEntry>> ListAsync(string? account = null, CancellationToken cancellationToken = default)
    {
        var records = await _store.ListAsync(Account(account), cancellationToken).ConfigureAwait(false);
        return [.. records.Select(r => r.Entry)];
    }

    public async Task<RegistryEntry> GetAsync(RegistryScope scope, string? account = null, CancellationToken cancellationToken = default) =>
        (await GetRecordAsync(scope, Account(account), cancellationToken).ConfigureAwait(false)).Entry;

    public async Task<RegistryEntry> UpdateAsync(RegistryUpdateRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var activity = Telemetry.ActivitySource.StartActivity("RegistryCredentials.Update");
        var scope = RegistryScope.Parse(request.Scope);
        var account = Account(request.Account);
        if (request.Password is not null)
        {
            EntryText.CheckPassword(request.Password, nameof(request.Password));
        }

        var current = await GetRecordAsync(scope, account, cancellationToken).ConfigureAwait(false);
        if (request.ExpectedVersion is { } expected && expected != current.Entry.Version)
        {
            throw new RegistryConcurrencyException(account, scope, expected, current.Entry.Version);
        }

        var old = current.Entry;
        var entry = old with
        {
            Name = request.Name is null ? old.Name : CheckName(request.Name) ?? scope.Value,
            Type = request.Type ?? old.Type,
            Username = request.Username is null ? old.Username : CheckUsername(request.Username, nameof(request.Username)),
            Email = request.Email is null ? old.Email : CheckEmail(request.Email),
            VerifyTls = request.VerifyTls ?? old.VerifyTls,
            InsecureHttp = request.InsecureHttp ?? old.InsecureHttp,
            CaCertificates = request.CaCertificates is null ? old.CaCertificates : CheckCaCertificates(request.CaCertificates),
            UpdatedOn = _time.GetUtcNow(),
        };

        var secret = request.Password
            ?? await _keys.UnprotectAsync(current, cancellationToken).ConfigureAwait(false);
        await CheckAsync(entry, secret, request.Validate, cancellationToken).ConfigureAwait(false);
        if (request.Password is not null)
        {
            await _keys.EnsureWritableAsync(cancellationToken).ConfigureAwait(false);
        }

        var record = request.Password is null
            ? current.WithEntry(entry)
            : new RegistryRecord(entry, await _protector.ProtectAsync(request.Password, account, scope, cancellationToken).ConfigureAwait(false));
        var stored = await _store.UpdateAsync(record, old.Version, cancellationToken).ConfigureAwait(false);
        await AppliedLocallyAsync(account, scope, stored).ConfigureAwait(false);
        _tokenCache.EvictEntryTokens(account, scope);
        Log.EntryUpdated(_logger, scope.Value, account, stored.Entry.Version);
        Count("update");
        return stored.Entry;
    }

    public async Task DeleteAsync(RegistryScope scope, string? account = null, long? expectedVersion = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        using var activity = Telemetry.ActivitySource.StartActivity("RegistryCredentials.Delete");
        var name = Account(account);
        if (!await _store.DeleteAsync(name, scope, expectedVersion, cancellationToken).ConfigureAwait(false))
        {
            throw new RegistryNotFoundException(name, scope);
        }

        await AppliedLocallyAsync(name, scope, null).ConfigureAwait(false);
        _tokenCache.EvictEntryTokens(name, scope);
        Log.EntryDeleted(_logger, scope.Value, name);
        Count("delete");
    }

    public Task<RegistryEntry> ActivateAsync(RegistryScope scope, string? account = null, CancellationToken cancellationToken = default) =>
        SetActiveAsync(scope, account, true, cancellationToken);

    public Task<RegistryEntry> DeactivateAsync(RegistryScope scope, string? account = null, CancellationToken cancellationToken = default) =>
        SetActiveAsync(scope, account, false, cancellationToken);

    public async Task<RegistryValidationResult> ValidateAsync(RegistryScope scope, string? account = null, CancellationToken cancellationToken = default)
    {
        var name = Account(account);
        var record = await GetRecordAsync(scope, name, cancellationToken).ConfigureAwait(false);
        var secret = await _keys.UnprotectAsync(record, cancellationToken).ConfigureAwait(false);
        var provider = Provider(record.Entry.Type);
        return await ValidatorOrThrow().ValidateAsync(
            record.Entry,
            await provider.GetCredentialAsync(record.Entry, secret, cancellationToken).ConfigureAwait(false),
            cancellationToken).ConfigureAwait(false);
    }

    public async Task<int> RotateKeyAsync(CancellationToken cancellationToken = default)
    {
        using var activity = Telemetry.ActivitySource.StartActivity("RegistryCredentials.RotateKey");
        var rotated = await _keys.RotateAsync(cancellationToken).ConfigureAwait(false);
        Log.KeyRotated(_logger, rotated);
        return rotated;
    }

    private async Task<RegistryEntry> SetActiveAsync(RegistryScope scope, string? account, bool active, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var name = Account(account);
        var current = await GetRecordAsync(scope, name, cancellationToken).ConfigureAwait(false);
        if (current.Entry.IsActive == active)
        {
            return current.Entry;
        }

        var stored = await _store.UpdateAsync(
            current.WithEntry(current.Entry with { IsActive = active, UpdatedOn = _time.GetUtcNow() }),
            current.Entry.Version,
            cancellationToken).ConfigureAwait(false);
        await AppliedLocallyAsync(name, scope, stored).ConfigureAwait(false);
        _tokenCache.EvictEntryTokens(name, scope);
        Log.EntryStateChanged(_logger, scope.Value, name, active ? "activated" : "deactivated");
        Count(active ? "activate" : "deactivate");
        return stored.Entry;
    }

    /// <summary>
    /// Read-your-writes: puts a change this manager committed into the local resolver's index before returning, so the next
    /// resolve in this process sees it without waiting for the store's change feed (which brings the same change again, a no-op).
    /// </summary>
    private ValueTask AppliedLocallyAsync(string account, RegistryScope scope, RegistryRecord? stored) =>
        _localIndex?.ApplyOwnChangeAsync(account, scope, stored, CancellationToken.None) ?? ValueTask.CompletedTask;

    /// <summary>The provider exists and accepts the entry, and (unless skipped) the registry accepts the credential.</summary>
    private async Task CheckAsync(RegistryEntry entry, RegistrySecret secret, bool validate, CancellationToken cancellationToken)
    {
        var provider = Provider(entry.Type);
        await provider.CheckEntryAsync(entry, secret, cancellationToken).ConfigureAwait(false);
        if (!validate)
        {
            return;
        }

        var validator = ValidatorOrThrow();
        var credential = await provider.GetCredentialAsync(entry, secret, cancellationToken).ConfigureAwait(false);
        var result = await validator.ValidateAsync(entry, credential, cancellationToken).ConfigureAwait(false);
        if (!result.IsValid)
        {
            Log.ValidationFailed(_logger, entry.Scope.Value, entry.Account, result.Outcome, result.Message);
            throw new RegistryValidationException(entry.Account, entry.Scope, result);
        }
    }

    private IRegistryCredentialValidator ValidatorOrThrow() => _validator ?? throw new RegistryCredentialsException(
        RegistryErrorReason.Misconfigured,
        "Credential validation was requested, but no IRegistryCredentialValidator is "
        + "registered. Register one, or pass Validate = false to store the credential unchecked.",
        null);

    private RegistryCredentialProvider Provider(RegistryType type) =>
        _providers.TryGetValue(type, out var provider) ? provider : throw new RegistryTypeNotSupportedException(type);

    private async Task<RegistryRecord> GetRecordAsync(RegistryScope scope, string account, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        return await _store.GetAsync(account, scope, cancellationToken).ConfigureAwait(false) ?? throw new RegistryNotFoundException(account, scope);
    }

    private string Account(string? account) => RegistryAccounts.Normalize(account ?? _options.CurrentValue.Account);

    private static void Count(string operation) =>
        Telemetry.ManagementOperations.Add(1, new KeyValuePair<string, object?>(Telemetry.ManagementOperationTag, operation));

    private static string CheckUsername(string? username, string paramName)
    {
        if (string.IsNullOrEmpty(username))
        {
            throw new ArgumentException("The user name is empty.", paramName);
        }

        CheckText(username, "user name", MaxFieldLength, paramName);
        return username;
    }

    private static string? CheckName(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return null;
        }

        CheckText(name, "display name", MaxFieldLength, nameof(RegistryAddRequest.Name));
        return name;
    }

    private static string? CheckEmail(string? email)
    {
        if (string.IsNullOrEmpty(email))
        {
            return null;
        }

        CheckText(email, "e-mail address", MaxEmailLength, nameof(RegistryAddRequest.Email));
        var at = email.IndexOf('@', StringComparison.Ordinal);
        if (at <= 0 || at != email.LastIndexOf('@') || at == email.Length - 1 || email.Any(char.IsWhiteSpace))
        {
            throw new ArgumentException($"'{email}' is not an e-mail address (name@domain).", nameof(email));
        }

        return email;
    }

    private static string? CheckCaCertificates(string? pem)
    {
        if (string.IsNullOrWhiteSpace(pem))
        {
            return null;
        }

        EntryText.CheckWellFormed(pem, "CA certificate text", nameof(RegistryAddRequest.CaCertificates));
        if (pem.Length > RegistryEntryLimits.MaxCaCertificatesLength)
        {
            throw new ArgumentException("The CA certificates are longer than 1 MiB.", nameof(pem));
        }

        try
        {
            var certificates = new System.Security.Cryptography.X509Certificates.X509Certificate2Collection();
            certificates.ImportFromPem(pem);
            if (certificates.Count == 0)
            {
                throw new ArgumentException("The CA certificates hold no PEM 'CERTIFICATE' block.", nameof(pem));
            }

            foreach (var certificate in certificates)
            {
                certificate.Dispose();
            }
        }
        catch (System.Security.Cryptography.CryptographicException e)
        {
            throw new ArgumentException("The CA certificates are not valid PEM: " + e.Message, nameof(pem), e);
        }

        return pem;
    }

    private static void CheckText(string value, string what, int maxLength, string paramName)
    {
        EntryText.CheckWellFormed(value, what, paramName);
        if (value.Length > maxLength)
        {
            throw new ArgumentException($"The {what} is longer than {maxLength} characters.", paramName);
        }

        if (value.Any(char.IsControl))
        {
            throw new ArgumentException($"The {what} contains a control character.", paramName);
        }
    }
}
