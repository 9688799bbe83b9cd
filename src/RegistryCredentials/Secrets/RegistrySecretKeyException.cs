namespace RegistryCredentials;

/// <summary>
/// A secret could not be protected or unprotected: the key is missing or malformed, a stored secret was written under a
/// key that is not configured (wrong key) or was altered, or a write would protect a secret under a key the store does not
/// know (<see cref="IRegistryStore.GetKeyIdsAsync"/>). Nothing stored is changed.
/// </summary>
public sealed class RegistrySecretKeyException : RegistryCredentialsException
{
    /// <summary>Creates the exception with a default message.</summary>
    public RegistrySecretKeyException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What happened.</param>
    public RegistrySecretKeyException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">What happened.</param>
    /// <param name="innerException">The cause.</param>
    public RegistrySecretKeyException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception naming every key involved.</summary>
    /// <param name="message">What happened.</param>
    /// <param name="keyId">The id of the key the stored secret (or the store) is under, if known.</param>
    /// <param name="protectorKeyId">The id of the key this process protects new secrets with, if known.</param>
    /// <param name="storeKeyIds">The ids of the keys the store records for its secrets; null or empty when not looked up.</param>
    /// <param name="innerException">The cause, if any.</param>
    public RegistrySecretKeyException(
        string message,
        string? keyId,
        string? protectorKeyId = null,
        IReadOnlyList<string>? storeKeyIds = null,
        Exception? innerException = null)
        : base(message, innerException!)
    {
        KeyId = keyId;
        ProtectorKeyId = protectorKeyId;
        StoreKeyIds = storeKeyIds ?? [];
    }

    /// <summary>
    /// The id of the key involved (for <see cref="AesGcmSecretProtector"/> its first 8 SHA-256 bytes in hex), if known: the
    /// key a stored secret is under, or, for a refused write, the store's key when it records exactly one.
    /// </summary>
    public string? KeyId { get; }

    /// <summary>The id of the key this process protects new secrets with (<see cref="ISecretProtector.CurrentKeyId"/>), if known.</summary>
    public string? ProtectorKeyId { get; }

    /// <summary>The ids of the keys the store records for its secrets (<see cref="IRegistryStore.GetKeyIdsAsync"/>); empty when not looked up.</summary>
    public IReadOnlyList<string> StoreKeyIds { get; } = [];

    /// <summary>Always <see cref="RegistryErrorReason.SecretKey"/>.</summary>
    public override RegistryErrorReason Reason => RegistryErrorReason.SecretKey;
}
