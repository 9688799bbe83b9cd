namespace RegistryCredentials;

/// <summary>
/// A secret could not be protected or unprotected: the key is missing or malformed, or a stored secret was written under a
/// key that is not configured (wrong key), or was altered. Nothing stored is changed.
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

    /// <summary>Creates the exception naming the key a secret needs.</summary>
    /// <param name="message">What happened.</param>
    /// <param name="keyId">The id of the key involved.</param>
    /// <param name="innerException">The cause, if any.</param>
    public RegistrySecretKeyException(string message, string? keyId, Exception? innerException = null)
        : base(message, innerException!)
    {
        KeyId = keyId;
    }

    /// <summary>The id of the key involved (its first 8 SHA-256 bytes in hex), if known.</summary>
    public string? KeyId { get; }
}
