namespace RegistryCredentials;

/// <summary>
/// The policy of one account, kept in the store beside its entries: the default registry (Rancher's
/// <c>registry.default</c>) and the allow-list (<c>registry.whitelist</c>). Read and written through
/// <see cref="IRegistryPolicyManager"/>; stores keep it through <see cref="IRegistryPolicyStore"/>.
/// </summary>
/// <remarks>
/// The policy in force for an account is its own stored policy, else the global one (account <see cref="GlobalAccount"/>),
/// else the values of <see cref="RegistryCredentialsOptions"/> (configuration gives the starting values). A stored policy
/// is a whole document: a policy stored for an account replaces the global one for it, field by field nothing is inherited.
/// </remarks>
public sealed class RegistryPolicy
{
    /// <summary>The account name under which the global policy is kept: <c>*</c>, which no account can be named.</summary>
    public const string GlobalAccount = "*";

    /// <summary>The account the policy belongs to, or <see cref="GlobalAccount"/>.</summary>
    public required string Account { get; init; }

    /// <summary>The default registry (<c>host[:port]</c>, canonical), or null for Docker Hub.</summary>
    public string? DefaultRegistry { get; init; }

    /// <summary>The allow-list (canonical scopes); empty allows every registry.</summary>
    public IReadOnlyList<string> AllowedRegistries { get; init; } = [];

    /// <summary>The stored version: 1 when first stored, one more per change; 0 for a policy that comes from configuration.</summary>
    public long Version { get; init; }

    /// <summary>When it was last changed; <see cref="DateTimeOffset.MinValue"/> for a policy that comes from configuration.</summary>
    public DateTimeOffset UpdatedOn { get; init; }

    /// <summary>True when the policy is stored; false when it comes from configuration (<see cref="Version"/> 0).</summary>
    public bool IsStored => Version > 0;
}
