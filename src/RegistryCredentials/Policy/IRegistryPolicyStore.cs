namespace RegistryCredentials;

/// <summary>
/// The optional part of the store SPI that keeps policies (<see cref="RegistryPolicy"/>), one per account plus the global
/// one (<see cref="RegistryPolicy.GlobalAccount"/>). The in-memory, SQLite and PostgreSQL stores implement it; a custom
/// <see cref="IRegistryStore"/> opts in by implementing it too, and the policy part of the
/// <c>RegistryCredentials.Testing</c> conformance suite then runs against it.
/// </summary>
/// <remarks>
/// Contract: every successful <see cref="TrySetPolicyAsync"/> fires the store's change token (<see cref="IRegistryStore.Watch"/>),
/// and a store shared between processes signals other processes' policy changes as it signals their entry changes, so
/// resolvers pick a policy up exactly as fast as an entry. A store that also has a change feed should number each policy
/// write in it (<see cref="IRegistryChangeFeed.IncludesPolicyChanges"/>); otherwise resolvers read <see cref="ListPoliciesAsync"/>
/// again after each change. A store keeps the fields as given (the manager checks and
/// canonicalises them). All members are thread-safe.
/// <para>
/// <b>Default.</b> A store that does not implement this interface keeps no policy: the resolver uses the values of
/// <see cref="RegistryCredentialsOptions"/>, and <see cref="IRegistryPolicyManager.UpdatePolicyAsync"/> fails with
/// <see cref="RegistryErrorReason.Misconfigured"/>, storing nothing.
/// </para>
/// </remarks>
public interface IRegistryPolicyStore
{
    /// <summary>Gets the policy stored for an account.</summary>
    /// <param name="account">The account, or <see cref="RegistryPolicy.GlobalAccount"/>.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The stored policy, or null when none is stored.</returns>
    ValueTask<RegistryPolicy?> GetPolicyAsync(string account, CancellationToken cancellationToken = default);

    /// <summary>Lists every stored policy, ordered by account (ordinal; the global one, <c>*</c>, first).</summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The policies.</returns>
    ValueTask<IReadOnlyList<RegistryPolicy>> ListPoliciesAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores <paramref name="policy"/> for its account if the stored version is still <paramref name="expectedVersion"/>
    /// (0: none is stored), as one atomic step against every other writer of the same data.
    /// </summary>
    /// <param name="policy">The whole policy; its <see cref="RegistryPolicy.Version"/> is ignored.</param>
    /// <param name="expectedVersion">The version the caller read, or 0 when it found none.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The stored policy at <paramref name="expectedVersion"/> + 1; null, with nothing changed, when the stored version was another.</returns>
    ValueTask<RegistryPolicy?> TrySetPolicyAsync(RegistryPolicy policy, long expectedVersion, CancellationToken cancellationToken = default);
}
