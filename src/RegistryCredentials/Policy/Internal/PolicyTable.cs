namespace RegistryCredentials.Internal;

/// <summary>
/// The stored policies of a resolver snapshot, parsed: per account, and the global one. Immutable: a change makes a new
/// table (<see cref="With"/>), which the index swaps in whole.
/// </summary>
internal sealed class PolicyTable
{
    public static readonly PolicyTable Empty = new(new Dictionary<string, Stored>(StringComparer.Ordinal));

    // Every stored policy by account (the global one under "*"), with the version it was stored at.
    private readonly Dictionary<string, Stored> _stored;
    private readonly PolicyRules? _global;

    private PolicyTable(Dictionary<string, Stored> stored)
    {
        _stored = stored;
        _global = stored.TryGetValue(RegistryPolicy.GlobalAccount, out var global) ? global.Rules : null;
    }

    public static PolicyTable Create(IReadOnlyList<RegistryPolicy> policies)
    {
        if (policies.Count == 0)
        {
            return Empty;
        }

        var stored = new Dictionary<string, Stored>(StringComparer.Ordinal);
        foreach (var policy in policies)
        {
            stored[policy.Account] = new Stored(PolicyRules.FromStored(policy), policy.Version);
        }

        return new PolicyTable(stored);
    }

    /// <summary>
    /// The table with the account's policy in the state <paramref name="policy"/> (null: none stored). With
    /// <paramref name="onlyIfNewer"/> (the manager's own write, which a feed read may already have overtaken) a policy no newer
    /// than the one held changes nothing; a change from the feed, which comes in revision order, always applies.
    /// </summary>
    public PolicyTable With(string account, RegistryPolicy? policy, bool onlyIfNewer)
    {
        var held = _stored.GetValueOrDefault(account);
        if (policy is null)
        {
            if (held is null)
            {
                return this;
            }

            var without = new Dictionary<string, Stored>(_stored, StringComparer.Ordinal);
            without.Remove(account);
            return new PolicyTable(without);
        }

        if (onlyIfNewer && held is not null && held.Version >= policy.Version)
        {
            return this;
        }

        return new PolicyTable(new Dictionary<string, Stored>(_stored, StringComparer.Ordinal)
        {
            [account] = new Stored(PolicyRules.FromStored(policy), policy.Version),
        });
    }

    /// <summary>The stored policy in force for the account (its own, else the global one), or null: configuration applies.</summary>
    public PolicyRules? For(string account) => _stored.TryGetValue(account, out var own) ? own.Rules : _global;

    private sealed record Stored(PolicyRules Rules, long Version);
}
