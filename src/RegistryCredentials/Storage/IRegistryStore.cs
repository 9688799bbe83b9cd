using Microsoft.Extensions.Primitives;

namespace RegistryCredentials;

/// <summary>
/// Where registry entries and their protected secrets live. Implement it to keep them anywhere; the
/// <c>RegistryCredentials.Testing</c> conformance suite proves an implementation behaves.
/// </summary>
/// <remarks>
/// Contract: scopes are unique per account; <see cref="AddAsync"/> assigns version 1 and
/// <see cref="UpdateAsync"/> the expected version plus one; every successful change fires the token from
/// <see cref="Watch"/>; all members are thread-safe. A store never decrypts secrets.
/// <para>
/// A store also keeps the ids (fingerprints, never the keys) of the secret keys its secrets are protected with
/// (<see cref="GetKeyIdsAsync"/>, <see cref="ReplaceKeyIdsAsync"/>), where every process that shares its data sees them.
/// The manager reads them before every write of a secret and refuses a key the store does not know; only key rotation
/// (<see cref="IRegistryManager.RotateKeyAsync"/>) brings in a new key. The store only keeps the list and swaps it atomically.
/// </para>
/// <para>
/// A store may also implement <see cref="IRegistryChangeFeed"/> (revision-numbered changes), so that the resolver applies a
/// change by touching only that entry; without it the resolver reads every entry again, in the background, after each change.
/// </para>
/// </remarks>
public interface IRegistryStore
{
    /// <summary>Gets one record.</summary>
    /// <param name="account">The account.</param>
    /// <param name="scope">The scope.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The record, or null when none exists.</returns>
    ValueTask<RegistryRecord?> GetAsync(string account, RegistryScope scope, CancellationToken cancellationToken = default);

    /// <summary>Lists records, ordered by account and then by scope text (ordinal).</summary>
    /// <param name="account">One account, or null for every account.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The records.</returns>
    ValueTask<IReadOnlyList<RegistryRecord>> ListAsync(string? account, CancellationToken cancellationToken = default);

    /// <summary>Adds a record whose scope is new in its account.</summary>
    /// <param name="record">The record; its entry's version is ignored.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The stored record, at version 1.</returns>
    /// <exception cref="RegistryConflictException">The account already has an entry with the scope.</exception>
    ValueTask<RegistryRecord> AddAsync(RegistryRecord record, CancellationToken cancellationToken = default);

    /// <summary>Replaces a record if it is still at <paramref name="expectedVersion"/>.</summary>
    /// <param name="record">The new record, with the same account and scope.</param>
    /// <param name="expectedVersion">The version the caller read.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The stored record, at <paramref name="expectedVersion"/> + 1.</returns>
    /// <exception cref="RegistryNotFoundException">No entry with the scope exists.</exception>
    /// <exception cref="RegistryConcurrencyException">The stored version is not <paramref name="expectedVersion"/>.</exception>
    ValueTask<RegistryRecord> UpdateAsync(RegistryRecord record, long expectedVersion, CancellationToken cancellationToken = default);

    /// <summary>Deletes a record and its secret.</summary>
    /// <param name="account">The account.</param>
    /// <param name="scope">The scope.</param>
    /// <param name="expectedVersion">When given, delete only if the stored version is this one.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>True when a record was deleted, false when none existed.</returns>
    /// <exception cref="RegistryConcurrencyException">The stored version is not <paramref name="expectedVersion"/>.</exception>
    ValueTask<bool> DeleteAsync(string account, RegistryScope scope, long? expectedVersion = null, CancellationToken cancellationToken = default);

    /// <summary>Gets the ids of the secret keys this store's secrets are protected with, as last set by <see cref="ReplaceKeyIdsAsync"/>.</summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The key ids in ordinal order, each once; empty for a store that has recorded none.</returns>
    ValueTask<IReadOnlyList<string>> GetKeyIdsAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Replaces the recorded key ids with <paramref name="keyIds"/> if they are still <paramref name="expected"/> (compared as
    /// sets), as one atomic step against every other writer of the same data. Key ids are not entries: the change need not
    /// fire <see cref="Watch"/>.
    /// </summary>
    /// <param name="expected">The ids the caller read (empty for a store that recorded none).</param>
    /// <param name="keyIds">The new ids; not empty.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>True when replaced; false, with nothing changed, when the recorded ids were not <paramref name="expected"/>.</returns>
    ValueTask<bool> ReplaceKeyIdsAsync(IReadOnlyCollection<string> expected, IReadOnlyCollection<string> keyIds, CancellationToken cancellationToken = default);

    /// <summary>
    /// Returns a token that fires after the next change. Take the token before reading, so that a change
    /// made while reading is not missed. A store shared between processes fires it, within its configured
    /// interval, for changes made by other processes too. A <see cref="RegistryChangeSignal"/> hands such tokens out
    /// (the built-in stores use one, and follow its rule when disposed: nothing fires, and this does not throw).
    /// </summary>
    /// <returns>The change token.</returns>
    IChangeToken Watch();
}
