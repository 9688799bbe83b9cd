namespace RegistryCredentials;

/// <summary>
/// One account's policy changed in a store's change feed (<see cref="IRegistryChangeFeed"/>): the policy as it now is, or
/// its removal. Policy changes take revisions from the same counter as entry changes (<see cref="RegistryChange"/>).
/// </summary>
public sealed class RegistryPolicyChange
{
    /// <summary>Creates a policy change.</summary>
    /// <param name="revision">The revision of the policy's last change; above 0.</param>
    /// <param name="account">The account, or <see cref="RegistryPolicy.GlobalAccount"/>.</param>
    /// <param name="policy">The policy as it is now, of the same account; null when no policy is stored for the account any more.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="revision"/> is not above 0.</exception>
    /// <exception cref="ArgumentException"><paramref name="policy"/> is of another account.</exception>
    public RegistryPolicyChange(long revision, string account, RegistryPolicy? policy)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(revision);
        ArgumentNullException.ThrowIfNull(account);
        if (policy is not null && !string.Equals(policy.Account, account, StringComparison.Ordinal))
        {
            throw new ArgumentException("A policy change's policy has the change's account.", nameof(policy));
        }

        Revision = revision;
        Account = account;
        Policy = policy;
    }

    /// <summary>The revision of the policy's last change.</summary>
    public long Revision { get; }

    /// <summary>The account, or <see cref="RegistryPolicy.GlobalAccount"/>.</summary>
    public string Account { get; }

    /// <summary>
    /// The policy as it is now; null when none is stored for the account any more (then the global policy, or for the global
    /// account the options, apply).
    /// </summary>
    public RegistryPolicy? Policy { get; }

    /// <summary>True when no policy is stored for the account any more.</summary>
    public bool IsRemoval => Policy is null;

    /// <summary>Describes the change.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => $"{Revision}: policy {Account} {(Policy is null ? "removed" : "v" + Policy.Version)}";
}
