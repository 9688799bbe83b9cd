namespace RegistryCredentials;

/// <summary>
/// The management API (anchorectl's <c>registry add|list|get|update|delete</c> plus activate, deactivate and validate).
/// Nothing it returns holds a password: secrets are write-only.
/// </summary>
public interface IRegistryManager
{
    /// <summary>Adds an entry, after checking the credential against the registry unless <see cref="RegistryAddRequest.Validate"/> is false.</summary>
    /// <param name="request">What to add.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The stored entry.</returns>
    /// <exception cref="RegistryScopeFormatException">The scope is not valid.</exception>
    /// <exception cref="ArgumentException">Another field is not valid.</exception>
    /// <exception cref="RegistryConflictException">The scope exists and <see cref="RegistryAddRequest.Replace"/> is false.</exception>
    /// <exception cref="RegistryValidationException">The registry rejected the credential or could not be checked.</exception>
    /// <exception cref="RegistryTypeNotSupportedException">No provider handles the type.</exception>
    /// <exception cref="RegistrySecretKeyException">The secret protector's key is not one the store records for its secrets; nothing was changed.</exception>
    /// <exception cref="RegistryCredentialsException">
    /// The provider refused the entry (<see cref="RegistryErrorReason.InvalidEntry"/> or <see cref="RegistryErrorReason.NotAllowed"/>,
    /// with <see cref="RegistryCredentialsException.Field"/>: see <see cref="RegistryCredentialProvider.CheckEntryAsync"/>), could
    /// not make the credential to check, or the store failed; <see cref="RegistryCredentialsException.Reason"/> says which. Nothing was stored.
    /// </exception>
    Task<RegistryEntry> AddAsync(RegistryAddRequest request, CancellationToken cancellationToken = default);

    /// <summary>Lists the entries of an account, ordered by scope.</summary>
    /// <param name="account">The account; null for the configured one.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The entries.</returns>
    Task<IReadOnlyList<RegistryEntry>> ListAsync(string? account = null, CancellationToken cancellationToken = default);

    /// <summary>Gets one entry.</summary>
    /// <param name="scope">The scope.</param>
    /// <param name="account">The account; null for the configured one.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The entry.</returns>
    /// <exception cref="RegistryNotFoundException">No such entry.</exception>
    Task<RegistryEntry> GetAsync(RegistryScope scope, string? account = null, CancellationToken cancellationToken = default);

    /// <summary>Updates an entry; the scope never changes and an omitted password keeps the stored one.</summary>
    /// <param name="request">What to change.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The stored entry.</returns>
    /// <exception cref="RegistryNotFoundException">No such entry.</exception>
    /// <exception cref="RegistryConcurrencyException">
    /// The entry changed since <see cref="RegistryUpdateRequest.ExpectedVersion"/>, or while this update ran.
    /// </exception>
    /// <exception cref="RegistryValidationException">The registry rejected the credential or could not be checked.</exception>
    /// <exception cref="RegistrySecretKeyException">
    /// A new password would be protected under a key the store does not record, or (without a new password) the stored one
    /// does not decrypt with the configured keys; nothing was changed.
    /// </exception>
    /// <exception cref="RegistryCredentialsException">
    /// The provider refused the changed entry (<see cref="RegistryErrorReason.InvalidEntry"/> or
    /// <see cref="RegistryErrorReason.NotAllowed"/>), could not make the credential to check, or the store failed;
    /// <see cref="RegistryCredentialsException.Reason"/> says which. Nothing was changed.
    /// </exception>
    Task<RegistryEntry> UpdateAsync(RegistryUpdateRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes an entry and its secret; cached credentials for it are dropped. With <paramref name="expectedVersion"/>, only
    /// if the entry is still at that version: the check and the delete are one atomic step in the store.
    /// </summary>
    /// <param name="scope">The scope.</param>
    /// <param name="account">The account; null for the configured one.</param>
    /// <param name="expectedVersion">The version the caller read (<see cref="RegistryEntry.Version"/>); null deletes whatever version is stored.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the entry is gone.</returns>
    /// <exception cref="RegistryNotFoundException">No such entry.</exception>
    /// <exception cref="RegistryConcurrencyException">The entry is not at <paramref name="expectedVersion"/>; it is left as it was.</exception>
    Task DeleteAsync(RegistryScope scope, string? account = null, long? expectedVersion = null, CancellationToken cancellationToken = default);

    /// <summary>Activates an entry; no password is needed.</summary>
    /// <param name="scope">The scope.</param>
    /// <param name="account">The account; null for the configured one.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The stored entry.</returns>
    /// <exception cref="RegistryNotFoundException">No such entry.</exception>
    Task<RegistryEntry> ActivateAsync(RegistryScope scope, string? account = null, CancellationToken cancellationToken = default);

    /// <summary>Deactivates an entry, keeping it and its secret; it then denies the pulls it matches unless configured to be skipped.</summary>
    /// <param name="scope">The scope.</param>
    /// <param name="account">The account; null for the configured one.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The stored entry.</returns>
    /// <exception cref="RegistryNotFoundException">No such entry.</exception>
    Task<RegistryEntry> DeactivateAsync(RegistryScope scope, string? account = null, CancellationToken cancellationToken = default);

    /// <summary>Checks a stored entry's credential against its registry, changing nothing.</summary>
    /// <param name="scope">The scope.</param>
    /// <param name="account">The account; null for the configured one.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>What the check found.</returns>
    /// <exception cref="RegistryNotFoundException">No such entry.</exception>
    /// <exception cref="RegistryCredentialsException">
    /// <see cref="RegistryErrorReason.Misconfigured"/>: no <see cref="IRegistryCredentialValidator"/> is registered.
    /// </exception>
    Task<RegistryValidationResult> ValidateAsync(RegistryScope scope, string? account = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Re-encrypts, in every account, each stored secret that is not under the secret protector's current key (after a
    /// key change with the old key kept in <see cref="SecretProtectionOptions.RetiredKeys"/>). Entries keep their fields;
    /// their version goes up. Safe to run again after an interruption. This is the only way a store takes a new key: the
    /// store first records the new key beside its own (only when the protector holds the store's key as a retired key),
    /// and forgets the old one once every secret is under the new key (<see cref="IRegistryStore.GetKeyIdsAsync"/>).
    /// </summary>
    /// <param name="cancellationToken">Cancels the operation between entries.</param>
    /// <returns>How many secrets were re-encrypted.</returns>
    /// <exception cref="RegistrySecretKeyException">
    /// The protector holds none of the store's keys (nothing is changed), or a secret is under a key that is not configured
    /// (that entry is left as it was).
    /// </exception>
    Task<int> RotateKeyAsync(CancellationToken cancellationToken = default);
}
