using RegistryCredentials.PostgreSql.Internal;

namespace RegistryCredentials.PostgreSql;

/// <summary>
/// The policies (<see cref="IRegistryPolicyStore"/>), kept in the store's schema beside the entries (schema version 3 on);
/// a change takes the next revision of the change feed (schema version 6 on) and notifies the other nodes like an entry change.
/// </summary>
public sealed partial class PostgreSqlRegistryStore : IRegistryPolicyStore
{
    private PolicyOperations? _policies;

    private PolicyOperations Policies => _policies ??= new PolicyOperations(_lifecycle.DataSource, _settings, _lifecycle.NotifyPayload);

    /// <inheritdoc />
    public bool IncludesPolicyChanges => true;

    /// <inheritdoc />
    public async ValueTask<RegistryPolicy?> GetPolicyAsync(string account, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(account);
        using var activity = Telemetry.Start("get_policy", account);
        return await _lifecycle.RunAsync("read a policy", ct => Policies.GetAsync(account, ct), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<RegistryPolicy>> ListPoliciesAsync(CancellationToken cancellationToken = default)
    {
        using var activity = Telemetry.Start("list_policies", null);
        return await _lifecycle.RunAsync("list policies", Policies.ListAsync, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<RegistryPolicy?> TrySetPolicyAsync(RegistryPolicy policy, long expectedVersion, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(policy.Account);
        ArgumentOutOfRangeException.ThrowIfNegative(expectedVersion);
        using var activity = Telemetry.Start("set_policy", policy.Account);
        return await _lifecycle.RunChangeAsync("write a policy", ct => Policies.TrySetAsync(policy, expectedVersion, ct), cancellationToken)
            .ConfigureAwait(false);
    }
}
