namespace RegistryCredentials.Internal;

/// <summary>The stored policies of a resolver snapshot, parsed: per account, and the global one.</summary>
internal sealed class PolicyTable
{
    public static readonly PolicyTable Empty = new(new Dictionary<string, PolicyRules>(StringComparer.Ordinal), null);

    private readonly Dictionary<string, PolicyRules> _accounts;
    private readonly PolicyRules? _global;

    private PolicyTable(Dictionary<string, PolicyRules> accounts, PolicyRules? global)
    {
        _accounts = accounts;
        _global = global;
    }

    public static PolicyTable Create(IReadOnlyList<RegistryPolicy> policies)
    {
        if (policies.Count == 0)
        {
            return Empty;
        }

        var accounts = new Dictionary<string, PolicyRules>(StringComparer.Ordinal);
        PolicyRules? global = null;
        foreach (var policy in policies)
        {
            var rules = PolicyRules.FromStored(policy);
            if (string.Equals(policy.Account, RegistryPolicy.GlobalAccount, StringComparison.Ordinal))
            {
                global = rules;
            }
            else
            {
                accounts[policy.Account] = rules;
            }
        }

        return new PolicyTable(accounts, global);
    }

    /// <summary>The stored policy in force for the account (its own, else the global one), or null: configuration applies.</summary>
    public PolicyRules? For(string account) => _accounts.TryGetValue(account, out var rules) ? rules : _global;
}
