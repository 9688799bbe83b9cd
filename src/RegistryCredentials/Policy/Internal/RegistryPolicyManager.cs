using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace RegistryCredentials.Internal;

/// <summary>
/// Reads and changes policies in the store: checks the update first (nothing is stored when a field is refused), then
/// merges it into the policy in force and writes it with the version it read, reading again when another writer won.
/// </summary>
internal sealed class RegistryPolicyManager(
    IRegistryStore store,
    IOptionsMonitor<RegistryCredentialsOptions> options,
    TimeProvider time,
    ILogger<RegistryPolicyManager> logger,
    ResolverIndexUpdater? updater = null) : IRegistryPolicyManager
{
    private const int MaxAttempts = 16;

    public async Task<RegistryPolicy> GetPolicyAsync(string? account = null, CancellationToken cancellationToken = default)
    {
        var name = Account(account);
        if (store is not IRegistryPolicyStore policies)
        {
            return FromOptions(name);
        }

        return await InForceAsync(policies, name, cancellationToken).ConfigureAwait(false);
    }

    public async Task<RegistryPolicy> UpdatePolicyAsync(RegistryPolicyUpdate update, string? account = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(update);
        var name = Account(account);

        // Checked before anything is read or written: a refused field stores nothing.
        var defaultRegistry = update.DefaultRegistry is { } text ? PolicyText.DefaultRegistry(text) : null;
        var allowed = update.AllowedRegistries is { } items ? PolicyText.AllowedRegistries(items) : null;
        if (store is not IRegistryPolicyStore policies)
        {
            throw new RegistryCredentialsException(
                RegistryErrorReason.Misconfigured,
                $"The store {store.GetType().Name} keeps no policy (it does not implement {nameof(IRegistryPolicyStore)}): "
                + "the default registry and the allow-list come from the options only.",
                null);
        }

        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var stored = await policies.GetPolicyAsync(name, cancellationToken).ConfigureAwait(false);
            var current = stored ?? await InForceAsync(policies, name, cancellationToken).ConfigureAwait(false);
            var merged = new RegistryPolicy
            {
                Account = name,
                DefaultRegistry = update.DefaultRegistry is null ? current.DefaultRegistry : defaultRegistry,
                AllowedRegistries = allowed ?? current.AllowedRegistries,
                UpdatedOn = time.GetUtcNow(),
            };
            if (stored is not null && SameFields(stored, merged))
            {
                return stored; // nothing to change: no write, no change signal
            }

            if (await policies.TrySetPolicyAsync(merged, stored?.Version ?? 0, cancellationToken).ConfigureAwait(false) is { } written)
            {
                PolicyLog.PolicyChanged(logger, name, written.Version, written.DefaultRegistry, written.AllowedRegistries.Count);
                if (updater is not null)
                {
                    // Read-your-writes: this process's resolver uses the policy before the call returns.
                    await updater.ApplyOwnPolicyAsync(written, cancellationToken).ConfigureAwait(false);
                }

                return written;
            }
        }

        throw new RegistryCredentialsException(
            RegistryErrorReason.Concurrency, $"The policy of account '{name}' kept changing under this update ({MaxAttempts} attempts); try again.", null);
    }

    private async Task<RegistryPolicy> InForceAsync(IRegistryPolicyStore policies, string account, CancellationToken cancellationToken)
    {
        if (await policies.GetPolicyAsync(account, cancellationToken).ConfigureAwait(false) is { } own)
        {
            return own;
        }

        if (account != RegistryPolicy.GlobalAccount
            && await policies.GetPolicyAsync(RegistryPolicy.GlobalAccount, cancellationToken).ConfigureAwait(false) is { } global)
        {
            return global;
        }

        return FromOptions(account);
    }

    private RegistryPolicy FromOptions(string account)
    {
        var current = options.CurrentValue;
        return new RegistryPolicy
        {
            Account = account,
            DefaultRegistry = string.IsNullOrWhiteSpace(current.DefaultRegistry) ? null : PolicyText.DefaultRegistry(current.DefaultRegistry),
            AllowedRegistries = PolicyText.AllowedRegistries([.. current.AllowedRegistries]),
            UpdatedOn = DateTimeOffset.MinValue,
        };
    }

    private static bool SameFields(RegistryPolicy a, RegistryPolicy b) =>
        string.Equals(a.DefaultRegistry, b.DefaultRegistry, StringComparison.Ordinal)
        && a.AllowedRegistries.SequenceEqual(b.AllowedRegistries, StringComparer.Ordinal);

    private string Account(string? account) =>
        account == RegistryPolicy.GlobalAccount ? account : RegistryAccounts.Normalize(account ?? options.CurrentValue.Account);
}
