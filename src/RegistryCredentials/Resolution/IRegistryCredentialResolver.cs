namespace RegistryCredentials;

/// <summary>
/// The hot path: given an image reference, the credential to pull it with, anonymous, or denied with a reason.
/// Thread-safe; a resolve on a pre-parsed reference allocates nothing once the credential is cached.
/// </summary>
public interface IRegistryCredentialResolver
{
    /// <summary>Resolves a reference.</summary>
    /// <param name="image">The parsed reference.</param>
    /// <param name="account">The account whose entries apply; null for <see cref="RegistryCredentialsOptions.Account"/>.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The resolution.</returns>
    ValueTask<RegistryResolution> ResolveAsync(ImageReference image, string? account = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Reports that the registry refused the credential of a resolution (HTTP 401, or 403 to a token or a provider's
    /// expiring credential): the resolver drops what it cached for the entry and the entry's provider drops its tokens,
    /// so the next resolve makes a fresh credential. Report only refusals of the registry's own origin, never a 401/403
    /// from storage a redirect led to.
    /// </summary>
    /// <param name="resolution">A resolution with <see cref="RegistryResolution.HasCredential"/>.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when caches are cleared.</returns>
    ValueTask ReportRejectedAsync(RegistryResolution resolution, CancellationToken cancellationToken = default);

    /// <summary>
    /// Finds the credential for pulling <paramref name="image"/> on behalf of a workload with its own identity: the same
    /// matching, policy and denials as <see cref="ResolveAsync"/>, and the matched entry's provider makes the credential
    /// with <paramref name="workload"/> (<see cref="RegistryCredentialProvider.GetWorkloadCredentialAsync"/>) instead of
    /// the entry's identity. Nothing made this way is cached beside the entry.
    /// </summary>
    /// <param name="image">The image to pull.</param>
    /// <param name="workload">The workload's identity.</param>
    /// <param name="account">The account whose entries apply; null for the configured account.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The resolution.</returns>
    /// <exception cref="NotSupportedException">This resolver does not resolve for workloads (the default).</exception>
    ValueTask<RegistryResolution> ResolveForWorkloadAsync(
        ImageReference image, RegistryWorkloadIdentity workload, string? account = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException($"{GetType().Name} does not resolve credentials for a workload identity.");

    /// <summary>
    /// Brings the resolver's index up to date with the store now and waits for it: applies the changes of the store's change
    /// feed (<see cref="IRegistryChangeFeed"/>), or, with <paramref name="reload"/> or for a store without a feed, reads every
    /// entry again. Resolution never needs it (the index follows the store in the background); it is for an operator's
    /// "reload now" and for tests. An implementation without an index does nothing (the default).
    /// </summary>
    /// <param name="reload">True to read every entry again instead of applying the changes.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A task that completes when the index is up to date.</returns>
    ValueTask RefreshAsync(bool reload = false, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;
}
