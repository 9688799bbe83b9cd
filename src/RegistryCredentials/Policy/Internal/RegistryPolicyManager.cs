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
        if (update.ExpectedVersion is < 0)
        {
            throw new RegistryFieldException(
                nameof(RegistryPolicyUpdate.ExpectedVersion), RegistryFieldProblem.Invalid, "The expected version of a policy is 0 (none stored) or more.");
        }

        if (store is not IRegistryPolicyStore policies)
        {
            throw new RegistryCredentialsException(
                RegistryErrorReason.Misconfigured,
                $"The store {store.GetType().Name} keeps no policy (it does not implement {nameof(IRegistryPolicyStore)}): "
                + "the default registry and the allow-list come from the options only.",
                null);
        }

        // With an expected version, one attempt: a policy at another version is the caller's conflict, not retried.
        var attempts = update.ExpectedVersion is null ? MaxAttempts : 1;
        for (var attempt = 0; attempt < attempts; attempt++)
        {
            var stored = await policies.GetPolicyAsync(name, cancellationToken).ConfigureAwait(false);
            if (update.ExpectedVersion is { } expected && (stored?.Version ?? 0) != expected)
            {
                throw Changed(name, expected, stored?.Version ?? 0);
            }

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

        if (update.ExpectedVersion is { } lost)
        {
            // Another writer changed it between the read and the write: the store refused the stale version.
            var now = await policies.GetPolicyAsync(name, cancellationToken).ConfigureAwait(false);
            throw Changed(name, lost, now?.Version ?? 0);
        }

        throw new RegistryCredentialsException(
            RegistryErrorReason.Concurrency, $"The policy of account '{name}' kept changing under this update ({MaxAttempts} attempts); try again.", null);
    }

    private static RegistryCredentialsException Changed(string account, long expected, long actual) =>
        new(
            RegistryErrorReason.Concurrency,
            $"The policy of account '{account}' is at version {actual}, not {expected}: somebody else changed it. Nothing was "
            + "changed; read it again and retry.",
            null);

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
