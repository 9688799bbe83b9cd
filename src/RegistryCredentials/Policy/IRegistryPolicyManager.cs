namespace RegistryCredentials;

/// <summary>
/// Reads and changes the policy (default registry, allow-list) kept in the store: the one source the library, <c>regcred</c>,
/// the HTTP API and the management page share. Registered by <c>AddRegistryCredentials</c>.
/// </summary>
public interface IRegistryPolicyManager
{
    /// <summary>
    /// Gets the policy in force for an account: its own stored policy, else the global one, else the configured options
    /// (then <see cref="RegistryPolicy.Version"/> is 0).
    /// </summary>
    /// <param name="account">The account; null for the configured one; <see cref="RegistryPolicy.GlobalAccount"/> for the global policy.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The policy; its <see cref="RegistryPolicy.Account"/> says whose it is.</returns>
    /// <exception cref="ArgumentException">The account name is not valid.</exception>
    Task<RegistryPolicy> GetPolicyAsync(string? account = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Changes the fields <paramref name="update"/> sets and keeps the others, starting from the policy in force when the
    /// account has none stored yet. The resolver of this process applies it before this returns (read-your-writes); other
    /// processes sharing the store within its change interval.
    /// </summary>
    /// <param name="update">The fields to change.</param>
    /// <param name="account">The account; null for the configured one; <see cref="RegistryPolicy.GlobalAccount"/> for the global policy.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The stored policy.</returns>
    /// <exception cref="RegistryFieldException">A field is not valid (nothing is stored).</exception>
    /// <exception cref="ArgumentException">The account name is not valid.</exception>
    /// <exception cref="RegistryCredentialsException">The store keeps no policy (<see cref="RegistryErrorReason.Misconfigured"/>).</exception>
    Task<RegistryPolicy> UpdatePolicyAsync(RegistryPolicyUpdate update, string? account = null, CancellationToken cancellationToken = default);
}
