namespace RegistryCredentials.Google;

/// <summary>
/// A Google (<c>gcr</c>) entry's credential is unusable: <see cref="RegistryProviderException{TKind}.Kind"/> says why.
/// Thrown when the entry is added or updated (before anything is stored) and when a credential is made for a pull. The
/// message never holds the key.
/// </summary>
public sealed class GoogleCredentialException : RegistryProviderException<GoogleCredentialError>
{
    /// <summary>Creates the exception with a default message.</summary>
    public GoogleCredentialException()
        : base(GoogleCredentialError.Unspecified, null, null)
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What happened.</param>
    public GoogleCredentialException(string message)
        : base(GoogleCredentialError.Unspecified, message, null)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">What happened.</param>
    /// <param name="innerException">The cause.</param>
    public GoogleCredentialException(string message, Exception innerException)
        : base(GoogleCredentialError.Unspecified, message, innerException)
    {
    }

    /// <summary>Creates the exception with an error kind.</summary>
    /// <param name="kind">What went wrong.</param>
    /// <param name="message">What happened, without secrets.</param>
    /// <param name="innerException">The cause, if any (never one whose message could hold the key).</param>
    public GoogleCredentialException(GoogleCredentialError kind, string message, Exception? innerException = null)
        : base(kind, message, innerException)
    {
        Field = FieldOf(kind);
    }

    /// <summary>Creates the exception with an error kind and the reason the kind alone does not tell (for a failed token request).</summary>
    /// <param name="kind">What went wrong.</param>
    /// <param name="reason">The failure in the one failure model (<see cref="RegistryProviderException{TKind}.Reason"/>).</param>
    /// <param name="message">What happened, without secrets.</param>
    /// <param name="innerException">The cause, if any (never one whose message could hold the key).</param>
    internal GoogleCredentialException(GoogleCredentialError kind, RegistryErrorReason reason, string message, Exception? innerException)
        : base(kind, message, innerException, reason)
    {
        Field = FieldOf(kind);
    }

    /// <summary>
    /// The failure in the one failure model: <see cref="RegistryErrorReason.InvalidEntry"/> for an unsupported user name or
    /// an unusable key and <see cref="RegistryErrorReason.NotAllowed"/> for Application Default Credentials while they are
    /// off (with <see cref="RegistryCredentialsException.Field"/> <c>Username</c> or <c>Password</c>);
    /// <see cref="RegistryErrorReason.Unauthorized"/> when Application Default Credentials are missing; for a failed token
    /// request <see cref="RegistryErrorReason.Unauthorized"/>, <see cref="RegistryErrorReason.Unreachable"/>,
    /// <see cref="RegistryErrorReason.TlsFailure"/>, <see cref="RegistryErrorReason.Timeout"/>,
    /// <see cref="RegistryErrorReason.Throttled"/> or <see cref="RegistryErrorReason.ProtocolError"/> (given where it was thrown).
    /// </summary>
    /// <param name="kind">What went wrong.</param>
    /// <returns>The reason.</returns>
    protected override RegistryErrorReason ReasonOf(GoogleCredentialError kind) => kind switch
    {
        GoogleCredentialError.UnsupportedUsername or GoogleCredentialError.InvalidKey => RegistryErrorReason.InvalidEntry,
        GoogleCredentialError.ApplicationDefaultNotAllowed => RegistryErrorReason.NotAllowed,
        GoogleCredentialError.ApplicationDefaultUnavailable => RegistryErrorReason.Unauthorized,
        GoogleCredentialError.TokenRequestFailed => RegistryErrorReason.ProtocolError,
        _ => RegistryErrorReason.Unspecified,
    };

    private static string? FieldOf(GoogleCredentialError kind) => kind switch
    {
        GoogleCredentialError.UnsupportedUsername or GoogleCredentialError.ApplicationDefaultNotAllowed => nameof(RegistryAddRequest.Username),
        GoogleCredentialError.InvalidKey => nameof(RegistryAddRequest.Password),
        _ => null,
    };
}
