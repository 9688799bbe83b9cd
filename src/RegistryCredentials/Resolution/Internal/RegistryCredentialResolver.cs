using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace RegistryCredentials.Internal;

/// <summary>
/// The resolver: answers from the index that its <see cref="ResolverIndexUpdater"/> keeps up to date off the caller's
/// path (the store's changes applied as they come), without locks. It waits for the index only at start and when a
/// signalled change has waited longer than the staleness bound. Non-expiring credentials are cached on the index's entries.
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
    private readonly ResolverIndexUpdater _updater;
    private readonly IDisposable? _optionsSubscription;
    private volatile ResolverSettings _settings;

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
        _updater = new ResolverIndexUpdater(
            store, _settings.SkipInactive, options.CurrentValue.IndexStalenessBound, time, logger, options.CurrentValue.LoadIndexOnDemand);
        _optionsSubscription = options.OnChange(o =>
        {
            _settings = ResolverSettings.Create(o, null);
            _updater.StalenessBound = o.IndexStalenessBound;
            _updater.RequestReload(_settings.SkipInactive);
        });
    }

    /// <summary>Keeps the index; the manager applies its own writes through it (read-your-writes).</summary>
    internal ResolverIndexUpdater Updater => _updater;

    public ValueTask<RegistryResolution> ResolveAsync(ImageReference image, string? account = null, CancellationToken cancellationToken = default) =>
        ResolveCoreAsync(image, account, null, cancellationToken);

    public ValueTask<RegistryResolution> ResolveForWorkloadAsync(
        ImageReference image, RegistryWorkloadIdentity workload, string? account = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workload);
        return ResolveCoreAsync(image, account, workload, cancellationToken);
    }

    private ValueTask<RegistryResolution> ResolveCoreAsync(
        ImageReference image, string? account, RegistryWorkloadIdentity? workload, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(image);
        account ??= _settings.Account;
        var started = Telemetry.ResolutionDuration.Enabled ? _time.GetTimestamp() : Telemetry.NotTimed;
        var index = _updater.Current;
        if (index is null || _updater.IsOverdue)
        {
            return ResolveAfterRebuildAsync(image, account, workload, started, cancellationToken);
        }

        return Resolve(index, image, account, workload, started, cancellationToken);
    }

    private async ValueTask<RegistryResolution> ResolveAfterRebuildAsync(
        ImageReference image, string account, RegistryWorkloadIdentity? workload, long started, CancellationToken cancellationToken)
    {
        ResolverIndex index;
        try
        {
            index = await _updater.UpdateNowAsync(reload: false, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (Failed(e, started))
        {
            throw; // not reached: the filter only records
        }

        return await Resolve(index, image, account, workload, started, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>An index loaded on demand has not read <paramref name="registry"/> yet: read it, then resolve.</summary>
    private async ValueTask<RegistryResolution> ResolveAfterLoadAsync(
        ImageReference image, string account, string registry, RegistryWorkloadIdentity? workload, long started, CancellationToken cancellationToken)
    {
        ResolverIndex index;
        try
        {
            index = await _updater.LoadRegistryAsync(account, registry, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (Failed(e, started))
        {
            throw; // not reached: the filter only records
        }

        return await Resolve(index, image, account, workload, started, cancellationToken).ConfigureAwait(false);
    }

    private ValueTask<RegistryResolution> Resolve(
        ResolverIndex index, ImageReference image, string account, RegistryWorkloadIdentity? workload, long started, CancellationToken cancellationToken)
    {
        var policy = index.Policies.For(account) ?? _settings.Policy;
        string registry, host, repository;
        int? port;
        if (image.IsRegistryImplicit && policy.DefaultRegistry is { } defaultRegistry)
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

        if (!policy.IsAllowed(host, port, repository))
        {
            return new(Denied(image, registry, repository, null, RegistryDenialReason.RegistryNotAllowed, started));
        }

        if (!index.IsLoaded(account, registry))
        {
            return ResolveAfterLoadAsync(image, account, registry, workload, started, cancellationToken);
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

        if (workload is null && hit.Credential is { } cached)
        {
            Resolved(CredentialTag, started);
            return new(new RegistryResolution(RegistryResolutionKind.Credential, image, registry, repository, entry, cached, RegistryDenialReason.None, hit));
        }

        if (!_providers.TryGetValue(entry.Type, out var provider))
        {
            return new(Denied(image, registry, repository, entry, RegistryDenialReason.NoProvider, started));
        }

        return MakeCredentialAsync(hit, provider, workload, image, registry, repository, started, cancellationToken);
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
        IndexEntry hit, RegistryCredentialProvider provider, RegistryWorkloadIdentity? workload, ImageReference image, string registry, string repository,
        long started, CancellationToken cancellationToken)
    {
        var entry = hit.Entry;
        RegistryCredential credential;
        try
        {
            var secret = hit.Secret ??= await SecretKeyGuard.UnprotectAsync(_protector, hit.Record, cancellationToken).ConfigureAwait(false);
            credential = workload is null
                ? await provider.GetCredentialAsync(entry, secret, cancellationToken).ConfigureAwait(false)
                : await provider.GetWorkloadCredentialAsync(entry, secret, workload, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (Failed(e, started))
        {
            throw; // not reached: the filter only records
        }

        if (workload is null && credential.ExpiresOn is null)
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

    public async ValueTask RefreshAsync(bool reload = false, CancellationToken cancellationToken = default) =>
        await _updater.UpdateNowAsync(reload, cancellationToken).ConfigureAwait(false);

    public void Dispose()
    {
        _optionsSubscription?.Dispose();
        _updater.Dispose();
    }
}
