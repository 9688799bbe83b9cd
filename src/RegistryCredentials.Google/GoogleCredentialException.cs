namespace RegistryCredentials.Google;

/// <summary>
/// A Google (<c>gcr</c>) entry's credential is unusable: <see cref="Error"/> says why. Thrown when the entry is added or
/// updated (before anything is stored) and when a credential is made for a pull. The message never holds the key.
/// </summary>
public sealed class GoogleCredentialException : RegistryCredentialsException
{
    private readonly RegistryErrorReason? _reason;

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
        Field = FieldOf(error);
    }

    /// <summary>Creates the exception with an error kind and the reason the kind alone does not tell (for a failed token request).</summary>
    /// <param name="error">What went wrong.</param>
    /// <param name="reason">The failure in the one failure model (<see cref="Reason"/>).</param>
    /// <param name="message">What happened, without secrets.</param>
    /// <param name="innerException">The cause, if any (never one whose message could hold the key).</param>
    internal GoogleCredentialException(GoogleCredentialError error, RegistryErrorReason reason, string message, Exception? innerException)
        : base(reason, message, innerException)
    {
        Error = error;
        Field = FieldOf(error);
        _reason = reason;
    }

    /// <summary>What went wrong.</summary>
    public GoogleCredentialError Error { get; }

    /// <summary>
    /// The failure in the one failure model: <see cref="RegistryErrorReason.InvalidEntry"/> for an unsupported user name or
    /// an unusable key and <see cref="RegistryErrorReason.NotAllowed"/> for Application Default Credentials while they are
    /// off (with <see cref="RegistryCredentialsException.Field"/> <c>Username</c> or <c>Password</c>);
    /// <see cref="RegistryErrorReason.Unauthorized"/> when Application Default Credentials are missing; for a failed token
    /// request <see cref="RegistryErrorReason.Unauthorized"/>, <see cref="RegistryErrorReason.Unreachable"/>,
    /// <see cref="RegistryErrorReason.TlsFailure"/>, <see cref="RegistryErrorReason.Timeout"/>,
    /// <see cref="RegistryErrorReason.Throttled"/> or <see cref="RegistryErrorReason.ProtocolError"/>.
    /// </summary>
    public override RegistryErrorReason Reason => _reason ?? Error switch
    {
        GoogleCredentialError.UnsupportedUsername or GoogleCredentialError.InvalidKey => RegistryErrorReason.InvalidEntry,
        GoogleCredentialError.ApplicationDefaultNotAllowed => RegistryErrorReason.NotAllowed,
        GoogleCredentialError.ApplicationDefaultUnavailable => RegistryErrorReason.Unauthorized,
        GoogleCredentialError.TokenRequestFailed => RegistryErrorReason.ProtocolError,
        _ => RegistryErrorReason.Unspecified,
    };

    private static string? FieldOf(GoogleCredentialError error) => error switch
    {
        GoogleCredentialError.UnsupportedUsername or GoogleCredentialError.ApplicationDefaultNotAllowed => nameof(RegistryAddRequest.Username),
        GoogleCredentialError.InvalidKey => nameof(RegistryAddRequest.Password),
        _ => null,
    };
}
