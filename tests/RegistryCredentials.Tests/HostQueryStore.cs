namespace RegistryCredentials.Tests;

/// <summary>
/// A <see cref="GatedFeedStore"/> with the in-memory store's policies and host query (<see cref="IRegistryHostQuery"/>),
/// the host queries counted by registry: shows which reads a resolver that loads its index on demand makes.
/// </summary>
internal sealed class HostQueryStore(InMemoryRegistryStore inner) : GatedFeedStore(inner), IRegistryPolicyStore, IRegistryHostQuery
{
    private readonly List<string> _queries = [];

    /// <summary>The registries asked, in order.</summary>
    public IReadOnlyList<string> Queries
    {
        get
        {
            lock (_queries)
            {
                return [.. _queries];
            }
        }
    }

    public override bool IncludesPolicyChanges => true;

    /// <summary>The next host query throws, as a store that cannot be read does.</summary>
    public bool FailNext { get; set; }

    public async ValueTask<IReadOnlyList<RegistryRecord>> ListForRegistryAsync(
        string? account, string registry, CancellationToken cancellationToken = default)
    {
        await PassGateAsync().ConfigureAwait(false);
        if (FailNext)
        {
            FailNext = false;
            throw new InvalidOperationException("The store cannot be read.");
        }

        lock (_queries)
        {
            _queries.Add(registry);
        }

        return await Inner.ListForRegistryAsync(account, registry, cancellationToken).ConfigureAwait(false);
    }

    public ValueTask<RegistryPolicy?> GetPolicyAsync(string account, CancellationToken cancellationToken = default) =>
        Inner.GetPolicyAsync(account, cancellationToken);

    public ValueTask<IReadOnlyList<RegistryPolicy>> ListPoliciesAsync(CancellationToken cancellationToken = default) =>
        Inner.ListPoliciesAsync(cancellationToken);

    public ValueTask<RegistryPolicy?> TrySetPolicyAsync(RegistryPolicy policy, long expectedVersion, CancellationToken cancellationToken = default) =>
        Inner.TrySetPolicyAsync(policy, expectedVersion, cancellationToken);
}
