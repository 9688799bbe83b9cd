namespace RegistryCredentials;

/// <summary>
/// Authenticated encryption of secrets at rest. The entry's identity (account and scope) is bound to the
/// ciphertext, so a ciphertext copied onto another entry does not decrypt. The key is never stored beside the data.
/// </summary>
public interface ISecretProtector
{
    /// <summary>Encrypts a secret for one entry.</summary>
    /// <param name="secret">The secret.</param>
    /// <param name="account">The entry's account.</param>
    /// <param name="scope">The entry's scope.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The protected bytes a store keeps.</returns>
    ValueTask<byte[]> ProtectAsync(RegistrySecret secret, string account, RegistryScope scope, CancellationToken cancellationToken = default);

    /// <summary>Decrypts a secret protected for the same entry.</summary>
    /// <param name="protectedSecret">The bytes from <see cref="ProtectAsync"/>.</param>
    /// <param name="account">The entry's account.</param>
    /// <param name="scope">The entry's scope.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The secret.</returns>
    /// <exception cref="RegistrySecretKeyException">The bytes were not protected for this entry with a configured key, or were altered.</exception>
    ValueTask<RegistrySecret> UnprotectAsync(
        ReadOnlyMemory<byte> protectedSecret,
        string account,
        RegistryScope scope,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// Whether a protected secret is under the current key; <see cref="IRegistryManager.RotateKeyAsync"/> re-encrypts
    /// those that are not. The default says yes.
    /// </summary>
    /// <param name="protectedSecret">Bytes from <see cref="ProtectAsync"/>.</param>
    /// <returns>True when no re-encryption is needed.</returns>
    bool IsCurrent(ReadOnlyMemory<byte> protectedSecret) => true;

    /// <summary>
    /// The id (fingerprint) of the key new secrets are protected with; never the key itself. A store records the ids of the
    /// keys its secrets are under and refuses writes under any other key. The default, null, says this protector does not
    /// name its keys, and then no key check is made.
    /// </summary>
    string? CurrentKeyId => null;

    /// <summary>The ids of every key this protector decrypts with: <see cref="CurrentKeyId"/> first, then any retired keys.</summary>
    IReadOnlyList<string> KeyIds => CurrentKeyId is { } current ? [current] : [];

    /// <summary>The id of the key a protected secret was protected with, read from its bytes without decrypting; null when unknown.</summary>
    /// <param name="protectedSecret">Bytes from <see cref="ProtectAsync"/>.</param>
    /// <returns>The key id, or null.</returns>
    string? KeyIdOf(ReadOnlyMemory<byte> protectedSecret) => null;
}
