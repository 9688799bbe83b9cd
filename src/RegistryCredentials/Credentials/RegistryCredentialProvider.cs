namespace RegistryCredentials;

/// <summary>
/// Turns an entry and its secret into a usable <see cref="RegistryCredential"/>: one provider per
/// <see cref="RegistryType"/>. <see cref="DockerV2CredentialProvider"/> is built in; the ECR, Google and
/// ACR providers come in their packages. Register more with <see cref="RegistryCredentialsBuilder.AddProvider{TProvider}"/>.
/// </summary>
public abstract class RegistryCredentialProvider
{
    /// <summary>The type this provider handles.</summary>
    public abstract RegistryType Type { get; }

    /// <summary>
    /// Makes the credential for a pull. Called by the resolver; a credential without
    /// <see cref="RegistryCredential.ExpiresOn"/> is cached until the entry changes, others are asked for again on
    /// every resolve (a provider caches its tokens itself).
    /// </summary>
    /// <param name="entry">The entry.</param>
    /// <param name="secret">Its secret, decrypted.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The credential.</returns>
    public abstract ValueTask<RegistryCredential> GetCredentialAsync(RegistryEntry entry, RegistrySecret secret, CancellationToken cancellationToken = default);

    /// <summary>
    /// Makes the credential for a pull on behalf of a workload with its own identity (a pod's service-account token, from
    /// the kubelet's service-account-token mode) instead of the entry's or this process's identity. The default refuses:
    /// only providers that can federate such a token override it (ECR, ACR).
    /// </summary>
    /// <param name="entry">The entry that matched the image.</param>
    /// <param name="secret">Its secret, decrypted.</param>
    /// <param name="workload">The workload's identity.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The credential.</returns>
    /// <exception cref="RegistryCredentialsException">
    /// The provider cannot use a workload identity (<see cref="RegistryErrorReason.NotAllowed"/>), or the token service refused it.
    /// </exception>
    public virtual ValueTask<RegistryCredential> GetWorkloadCredentialAsync(
        RegistryEntry entry, RegistrySecret secret, RegistryWorkloadIdentity workload, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        throw new RegistryCredentialsException(
            RegistryErrorReason.NotAllowed,
            $"The {Type} entry {entry.Scope} cannot pull with a workload's service-account token: only awsecr and acr entries federate it.",
            null);
    }

    /// <summary>
    /// Checks an entry before it is stored (on add and update), for settings the provider refuses whatever the
    /// registry says; it makes no network call. The default accepts everything.
    /// </summary>
    /// <remarks>
    /// An override refuses an entry by throwing a <see cref="RegistryCredentialsException"/> (its package's own subclass,
    /// with the detailed kind) whose <see cref="RegistryCredentialsException.Reason"/> is
    /// <see cref="RegistryErrorReason.InvalidEntry"/> or <see cref="RegistryErrorReason.NotAllowed"/> and whose
    /// <see cref="RegistryCredentialsException.Field"/> names the entry's property at fault (<c>Username</c>,
    /// <c>Password</c>, <c>Scope</c>, <c>InsecureHttp</c>), and never throws anything else for the entry's content: the
    /// HTTP API then answers 400 naming the field, and <c>regcred</c> exits with the usage code (1). The message never
    /// holds the secret.
    /// </remarks>
    /// <param name="entry">The entry about to be stored.</param>
    /// <param name="secret">Its secret.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the check passed.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="entry"/> or <paramref name="secret"/> is null.</exception>
    /// <exception cref="RegistryCredentialsException">
    /// The provider refuses the entry: <see cref="RegistryCredentialsException.Reason"/> is
    /// <see cref="RegistryErrorReason.InvalidEntry"/> (its settings cannot work with this type: a malformed user name or
    /// password, a host the type does not serve) or <see cref="RegistryErrorReason.NotAllowed"/> (a mode the application's
    /// options turn off), and <see cref="RegistryCredentialsException.Field"/> names the property.
    /// </exception>
    public virtual ValueTask CheckEntryAsync(
        RegistryEntry entry,
        RegistrySecret secret,
        CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

    /// <summary>
    /// Tells the provider that a registry refused a credential it made for <paramref name="entry"/> (HTTP 401, or 403 to
    /// an expiring credential), so that it drops any cached token and makes a fresh one next time. The default does nothing.
    /// </summary>
    /// <param name="entry">The entry whose credential was refused.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when caches are cleared.</returns>
    public virtual ValueTask InvalidateAsync(RegistryEntry entry, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;
}
