using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace RegistryCredentials.Internal;

/// <summary>
/// The resolver: keeps an immutable index snapshot, rebuilt when the store's change token fires, and answers
/// from it without locks. Non-expiring credentials are cached on the snapshot's entries.
/// </summary>
internal sealed class RegistryCredentialResolver : IRegistryCredentialResolver, IDisposable
{
    private static readonly KeyValuePair<string, object?> CredentialTag = new(Telemetry.ResolutionResultTag, "credential");
    private static readonly KeyValuePair<string, object?> AnonymousTag = new(Telemetry.ResolutionResultTag, "anonymous");
    private static readonly KeyValuePair<string, object?> DeniedTag = new(Telemetry.ResolutionResultTag, "denied");
    private static readonly KeyValuePair<string, object?> ErrorTag = new(Telemetry.ResolutionResultTag, "error");

    private readonly IRegistryStore _store;
    private readonly ISecretProtector _protector;
    private readonly Dictionary<RegistryType, RegistryCredentialProvider> _providers;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _rebuild = new(1, 1);
    private readonly IDisposable? _optionsSubscription;
    private volatile ResolverSettings _settings;
    private volatile ResolverIndex? _index;

    public RegistryCredentialResolver(
        IRegistryStore store,
        ISecretProtector protector,
        IEnumerable<RegistryCredentialProvider> providers,
        IOptionsMonitor<RegistryCredentialsOptions> options,
        TimeProvider time,
        ILogger<RegistryCredentialResolver> logger)
    {
        _store = store;
        _protector = protector;
        _providers = ProviderMap.Create(providers);
        _time = time;
        _logger = logger;
        _settings = ResolverSettings.Create(options.CurrentValue, null);
        _optionsSubscription = options.OnChange(o =>
        {
            _settings = ResolverSettings.Create(o, null);
            _index = null;
        });
    }

    public ValueTask<RegistryResolution> ResolveAsync(ImageReference image, string? account = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(image);
        account ??= _settings.Account;
        var started = Telemetry.ResolutionDuration.Enabled ? _time.GetTimestamp() : Telemetry.NotTimed;
        var index = _index;
        if (index is null || index.ChangeToken.HasChanged)
        {
            return ResolveAfterRebuildAsync(image, account, started, cancellationToken);
        }

        return Resolve(index, image, account, started, cancellationToken);
    }

    private async ValueTask<RegistryResolution> ResolveAfterRebuildAsync(
        ImageReference image,
        string account,
        long started,
        CancellationToken cancellationToken)
    {
        ResolverIndex index;
        try
        {
            index = await GetFreshIndexAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (Failed(e, started))
        {
            throw; // not reached: the filter only records
        }

        return await Resolve(index, image, account, started, cancellationToken).ConfigureAwait(false);
    }

    private ValueTask<RegistryResolution> Resolve(ResolverIndex index, ImageReference image, string account, long started, CancellationToken cancellationToken)
    {
        var settings = _settings;
        string registry, host, repository;
        int? port;
        if (image.IsRegistryImplicit && settings.DefaultRegistry is { } defaultRegistry)
        {
            registry = defaultRegistry.Registry;
            host = defaultRegistry.Host;
            port = defaultRegistry.Port;
            repository = image.PathAsWritten;
        }
        else
        {
            registry = image.Registry;
            host = image.Host;
            port = image.Port;
            repository = image.Repository;
        }

        if (!settings.IsAllowed(host, port, repository))
        {
            return new(Denied(image, registry, repository, null, RegistryDenialReason.RegistryNotAllowed, started));
        }

        var hit = index.Find(account, registry, host, port, repository);
        if (hit is null)
        {
            Resolved(AnonymousTag, started);
            return new(new RegistryResolution(RegistryResolutionKind.Anonymous, image, registry, repository, null, null, RegistryDenialReason.None));
        }

        var entry = hit.Entry;
        if (!entry.IsActive)
        {
            return new(Denied(image, registry, repository, entry, RegistryDenialReason.EntryInactive, started));
        }

        if (hit.Credential is { } cached)
        {
            Resolved(CredentialTag, started);
            return new(new RegistryResolution(RegistryResolutionKind.Credential, image, registry, repository, entry, cached, RegistryDenialReason.None, hit));
        }

        if (!_providers.TryGetValue(entry.Type, out var provider))
        {
            return new(Denied(image, registry, repository, entry, RegistryDenialReason.NoProvider, started));
        }

        return MakeCredentialAsync(hit, provider, image, registry, repository, started, cancellationToken);
    }

    public async ValueTask ReportRejectedAsync(RegistryResolution resolution, CancellationToken cancellationToken = default)
    {
        if (resolution.Entry is not { } entry)
        {
            return;
        }

        if (resolution.Source is IndexEntry hit && ReferenceEquals(hit.Entry, entry))
        {
            hit.Credential = null;
        }

        if (_providers.TryGetValue(entry.Type, out var provider))
        {
            await provider.InvalidateAsync(entry, cancellationToken).ConfigureAwait(false);
        }

        Log.CredentialRejected(_logger, entry.Scope.Value, entry.Account);
    }

    private async ValueTask<RegistryResolution> MakeCredentialAsync(
        IndexEntry hit,
        RegistryCredentialProvider provider,
        ImageReference image,
        string registry,
        string repository,
        long started,
        CancellationToken cancellationToken)
    {
        var entry = hit.Entry;
        RegistryCredential credential;
        try
        {
            var secret = hit.Secret ??= await SecretKeyGuard.UnprotectAsync(_protector, hit.Record, cancellationToken).ConfigureAwait(false);
            credential = await provider.GetCredentialAsync(entry, secret, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (Failed(e, started))
        {
            throw; // not reached: the filter only records
        }

        if (credential.ExpiresOn is null)
        {
            hit.Credential = credential;
        }

        Resolved(CredentialTag, started);
        return new RegistryResolution(RegistryResolutionKind.Credential, image, registry, repository, entry, credential, RegistryDenialReason.None, hit);
    }

    private RegistryResolution Denied(ImageReference image, string registry, string repository, RegistryEntry? entry, RegistryDenialReason reason, long started)
    {
        Resolved(DeniedTag, started);
        var resolution = new RegistryResolution(RegistryResolutionKind.Denied, image, registry, repository, entry, null, reason);
        if (_logger.IsEnabled(LogLevel.Debug))
        {
            Log.ResolutionDenied(_logger, image.ToString(), reason);
        }

        return resolution;
    }

    /// <summary>Counts a resolution and, when it was timed, records its duration: no allocation either way.</summary>
    private void Resolved(KeyValuePair<string, object?> result, long started)
    {
        Telemetry.Resolutions.Add(1, result);
        if (started != Telemetry.NotTimed)
        {
            Telemetry.ResolutionDuration.Record(_time.GetElapsedTime(started).TotalSeconds, result);
        }
    }

    /// <summary>Counts a resolution that threw, with its <c>error.type</c>; returns false (an exception filter).</summary>
    private bool Failed(Exception exception, long started)
    {
        var errorType = new KeyValuePair<string, object?>(Telemetry.ErrorTypeTag, Telemetry.ErrorType(exception));
        Telemetry.Resolutions.Add(1, ErrorTag, errorType);
        if (started != Telemetry.NotTimed)
        {
            Telemetry.ResolutionDuration.Record(_time.GetElapsedTime(started).TotalSeconds, ErrorTag, errorType);
        }

        return false;
    }

    private async ValueTask<ResolverIndex> GetFreshIndexAsync(CancellationToken cancellationToken)
    {
        await _rebuild.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var index = _index;
            if (index is not null && !index.ChangeToken.HasChanged)
            {
                return index;
            }

            using var activity = Telemetry.ActivitySource.StartActivity("RegistryCredentials.RebuildIndex");
            var started = _time.GetTimestamp();
            var changeToken = _store.Watch();
            var records = await _store.ListAsync(null, cancellationToken).ConfigureAwait(false);
            index = new ResolverIndex(records, changeToken, _settings.SkipInactive);
            _index = index;
            Telemetry.IndexRebuilds.Add(1);
            Log.IndexRebuilt(_logger, index.Count, _time.GetElapsedTime(started).TotalMilliseconds);
            activity?.SetTag("registrycredentials.entries", index.Count);
            return index;
        }
        finally
        {
            _rebuild.Release();
        }
    }

    public void Dispose()
    {
        _optionsSubscription?.Dispose();
        _rebuild.Dispose();
    }
}
