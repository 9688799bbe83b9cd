using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace RegistryCredentials.Internal;

/// <summary>
/// The resolver: keeps an immutable index snapshot, rebuilt when the store's change token fires, and answers
/// from it without locks. Non-expiring credentials are cached on the snapshot's entries.
/// </summary>
internal sealed class RegistryCredentialResolver : IRegistryCredentialResolver, IDisposable
{
    private static readonly KeyValuePair<string, object?> CredentialTag = new("result", "credential");
    private static readonly KeyValuePair<string, object?> AnonymousTag = new("result", "anonymous");
    private static readonly KeyValuePair<string, object?> DeniedTag = new("result", "denied");

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
        var index = _index;
        if (index is null || index.ChangeToken.HasChanged)
        {
            return ResolveAfterRebuildAsync(image, account, cancellationToken);
        }

        return Resolve(index, image, account, cancellationToken);
    }

    private async ValueTask<RegistryResolution> ResolveAfterRebuildAsync(ImageReference image, string account, CancellationToken cancellationToken)
    {
        var index = await GetFreshIndexAsync(cancellationToken).ConfigureAwait(false);
        return await Resolve(index, image, account, cancellationToken).ConfigureAwait(false);
    }

    private ValueTask<RegistryResolution> Resolve(ResolverIndex index, ImageReference image, string account, CancellationToken cancellationToken)
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
            return new(Denied(image, registry, repository, null, RegistryDenialReason.RegistryNotAllowed));
        }

        var hit = index.Find(account, registry, host, port, repository);
        if (hit is null)
        {
            Telemetry.Resolutions.Add(1, AnonymousTag);
            return new(new RegistryResolution(RegistryResolutionKind.Anonymous, image, registry, repository, null, null, RegistryDenialReason.None));
        }

        var entry = hit.Entry;
        if (!entry.IsActive)
        {
            return new(Denied(image, registry, repository, entry, RegistryDenialReason.EntryInactive));
        }

        if (hit.Credential is { } cached)
        {
            Telemetry.Resolutions.Add(1, CredentialTag);
            return new(new RegistryResolution(RegistryResolutionKind.Credential, image, registry, repository, entry, cached, RegistryDenialReason.None, hit));
        }

        if (!_providers.TryGetValue(entry.Type, out var provider))
        {
            return new(Denied(image, registry, repository, entry, RegistryDenialReason.NoProvider));
        }

        return MakeCredentialAsync(hit, provider, image, registry, repository, cancellationToken);
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
        IndexEntry hit, RegistryCredentialProvider provider, ImageReference image, string registry, string repository, CancellationToken cancellationToken)
    {
        var entry = hit.Entry;
        var secret = hit.Secret ??= await SecretKeyGuard.UnprotectAsync(_protector, hit.Record, cancellationToken).ConfigureAwait(false);
        var credential = await provider.GetCredentialAsync(entry, secret, cancellationToken).ConfigureAwait(false);
        if (credential.ExpiresOn is null)
        {
            hit.Credential = credential;
        }

        Telemetry.Resolutions.Add(1, CredentialTag);
        return new RegistryResolution(RegistryResolutionKind.Credential, image, registry, repository, entry, credential, RegistryDenialReason.None, hit);
    }

    private RegistryResolution Denied(ImageReference image, string registry, string repository, RegistryEntry? entry, RegistryDenialReason reason)
    {
        Telemetry.Resolutions.Add(1, DeniedTag);
        var resolution = new RegistryResolution(RegistryResolutionKind.Denied, image, registry, repository, entry, null, reason);
        if (_logger.IsEnabled(LogLevel.Debug))
        {
            Log.ResolutionDenied(_logger, image.ToString(), reason);
        }

        return resolution;
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
