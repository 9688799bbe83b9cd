namespace RegistryCredentials.Tests;

/// <summary>
/// A <see cref="GatedFeedStore"/> that keeps policies too (the in-memory store's), with policy-table reads gated and counted.
/// <paramref name="policiesInFeed"/> false makes its feed leave policy changes out, as a custom store written before they
/// were part of the feed does (the resolver's fallback).
/// </summary>
internal sealed class GatedPolicyFeedStore(InMemoryRegistryStore inner, bool policiesInFeed = true) : GatedFeedStore(inner), IRegistryPolicyStore
{
    private int _policyLists;

    public int PolicyLists => Volatile.Read(ref _policyLists);

    public override bool IncludesPolicyChanges => policiesInFeed;

    public ValueTask<RegistryPolicy?> GetPolicyAsync(string account, CancellationToken cancellationToken = default) =>
        Inner.GetPolicyAsync(account, cancellationToken);

    public async ValueTask<IReadOnlyList<RegistryPolicy>> ListPoliciesAsync(CancellationToken cancellationToken = default)
    {
        await PassGateAsync().ConfigureAwait(false);
        Interlocked.Increment(ref _policyLists);
        return await Inner.ListPoliciesAsync(cancellationToken).ConfigureAwait(false);
    }

    public ValueTask<RegistryPolicy?> TrySetPolicyAsync(RegistryPolicy policy, long expectedVersion, CancellationToken cancellationToken = default) =>
        Inner.TrySetPolicyAsync(policy, expectedVersion, cancellationToken);
}
