namespace RegistryCredentials.Google;

/// <summary>
/// A Google (<c>gcr</c>) entry's credential is unusable: <see cref="Error"/> says why. Thrown when the entry is added or
/// updated (before anything is stored) and when a credential is made for a pull. The message never holds the key.
/// </summary>
public sealed class GoogleCredentialException : RegistryCredentialsException
{
    /// <summary>Creates the exception with a default message.</summary>
    public GoogleCredentialException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What happened.</param>
    public GoogleCredentialException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">What happened.</param>
    /// <param name="innerException">The cause.</param>
    public GoogleCredentialException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with an error kind.</summary>
    /// <param name="error">What went wrong.</param>
    /// <param name="message">What happened, without secrets.</param>
    /// <param name="innerException">The cause, if any (never one whose message could hold the key).</param>
    public GoogleCredentialException(GoogleCredentialError error, string message, Exception? innerException = null)
        : base(message, innerException!)
    {
        Error = error;
    }

    /// <summary>What went wrong.</summary>
    public GoogleCredentialError Error { get; }
}
