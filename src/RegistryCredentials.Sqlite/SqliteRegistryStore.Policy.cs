using RegistryCredentials.Sqlite.Internal;

namespace RegistryCredentials.Sqlite;

/// <summary>
/// The policies (<see cref="IRegistryPolicyStore"/>), kept in the database beside the entries (schema version 3 on); each
/// write numbered in the change feed like an entry's (schema version 6 on).
/// </summary>
public sealed partial class SqliteRegistryStore : IRegistryPolicyStore
{
    /// <inheritdoc />
    public bool IncludesPolicyChanges => true;

    /// <inheritdoc />
    public ValueTask<RegistryPolicy?> GetPolicyAsync(string account, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(account);
        return _lifecycle.ReadAsync("SqliteRegistryStore.GetPolicy", account, PolicyOperations.Get, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<RegistryPolicy>> ListPoliciesAsync(CancellationToken cancellationToken = default) =>
        _lifecycle.ReadAsync("SqliteRegistryStore.ListPolicies", 0, PolicyOperations.List, cancellationToken);

    /// <inheritdoc />
    public ValueTask<RegistryPolicy?> TrySetPolicyAsync(RegistryPolicy policy, long expectedVersion, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(policy.Account);
        ArgumentOutOfRangeException.ThrowIfNegative(expectedVersion);
        return _lifecycle.WriteAsync("SqliteRegistryStore.TrySetPolicy", (policy, expectedVersion), PolicyOperations.TrySet, cancellationToken);
    }
}
