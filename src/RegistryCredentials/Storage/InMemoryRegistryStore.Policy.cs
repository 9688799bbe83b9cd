namespace RegistryCredentials;

/// <summary>
/// The policies (<see cref="IRegistryPolicyStore"/>), kept beside the entries, numbered in the same feed and signalled like them.
/// </summary>
public sealed partial class InMemoryRegistryStore : IRegistryPolicyStore
{
    private readonly SortedDictionary<string, RegistryPolicy> _policies = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public ValueTask<RegistryPolicy?> GetPolicyAsync(string account, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(account);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return ValueTask.FromResult(_policies.GetValueOrDefault(account));
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<RegistryPolicy>> ListPoliciesAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return ValueTask.FromResult<IReadOnlyList<RegistryPolicy>>([.. _policies.Values]);
        }
    }

    /// <inheritdoc />
    public ValueTask<RegistryPolicy?> TrySetPolicyAsync(RegistryPolicy policy, long expectedVersion, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(policy.Account);
        cancellationToken.ThrowIfCancellationRequested();
        RegistryPolicy stored;
        long revision;
        lock (_gate)
        {
            var current = _policies.GetValueOrDefault(policy.Account)?.Version ?? 0;
            if (current != expectedVersion)
            {
                return ValueTask.FromResult<RegistryPolicy?>(null);
            }

            stored = new RegistryPolicy
            {
                Account = policy.Account,
                DefaultRegistry = policy.DefaultRegistry,
                AllowedRegistries = [.. policy.AllowedRegistries],
                UpdatedOn = policy.UpdatedOn,
                Version = expectedVersion + 1,
            };
            _policies[policy.Account] = stored;
            revision = Logged(policy.Account, scope: null);
        }

        _changes.Fire(revision);
        return ValueTask.FromResult<RegistryPolicy?>(stored);
    }
}
