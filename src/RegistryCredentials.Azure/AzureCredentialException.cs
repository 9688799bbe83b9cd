namespace RegistryCredentials.Azure;

/// <summary>
/// Getting an Azure Container Registry credential failed: Entra ID refused or could not issue a token, the registry's
/// <c>/oauth2/exchange</c> endpoint refused it or answered against the protocol (for example a refresh token that is not
/// a JWT with an <c>exp</c>), the endpoint could not be reached, or the entry's mode is not allowed. <see cref="Outcome"/>
/// names the kind of failure; the message never holds a secret or a token.
/// </summary>
public sealed class AzureCredentialException : RegistryCredentialsException
{
    private readonly RegistryErrorReason? _reason;

    /// <summary>Creates the exception with a default message.</summary>
    public AzureCredentialException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What happened.</param>
    public AzureCredentialException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">What happened.</param>
    /// <param name="innerException">The cause.</param>
    public AzureCredentialException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with an outcome.</summary>
    /// <param name="outcome">What kind of failure it is.</param>
    /// <param name="message">What happened, without secrets.</param>
    /// <param name="innerException">The cause, if any.</param>
    public AzureCredentialException(RegistryValidationOutcome outcome, string message, Exception? innerException = null)
        : base(message, innerException!)
    {
        Outcome = outcome;
    }

    /// <summary>Creates the exception with a reason that is not the outcome's own (such as a refused entry).</summary>
    /// <param name="reason">The failure in the one failure model (<see cref="Reason"/>).</param>
    /// <param name="outcome">What kind of failure it is, as a validation outcome.</param>
    /// <param name="message">What happened, without secrets.</param>
    /// <param name="innerException">The cause, if any.</param>
    internal AzureCredentialException(RegistryErrorReason reason, RegistryValidationOutcome outcome, string message, Exception? innerException)
        : base(reason, message, innerException)
    {
        _reason = reason;
        Outcome = outcome;
    }

    /// <summary>
    /// What kind of failure it is: <see cref="RegistryValidationOutcome.Unauthorized"/> when Entra ID or the exchange
    /// refused, <see cref="RegistryValidationOutcome.Unreachable"/>, <see cref="RegistryValidationOutcome.TlsFailure"/> or
    /// <see cref="RegistryValidationOutcome.Timeout"/> for the connection, <see cref="RegistryValidationOutcome.ProtocolError"/>
    /// for an answer against the protocol or a mode that is not allowed.
    /// </summary>
    public RegistryValidationOutcome Outcome { get; } = RegistryValidationOutcome.ProtocolError;

    /// <summary>
    /// The failure in the one failure model: <see cref="RegistryErrorReason.InvalidEntry"/> or
    /// <see cref="RegistryErrorReason.NotAllowed"/> for a refused entry (with <see cref="RegistryCredentialsException.Field"/>),
    /// <see cref="RegistryErrorReason.Unauthorized"/> when no identity of the entry's kind is available here,
    /// <see cref="RegistryErrorReason.Throttled"/> for HTTP 429 from Entra ID, otherwise the reason of the
    /// <see cref="Outcome"/> (<see cref="RegistryErrorCatalog.ReasonOf(RegistryValidationOutcome)"/>).
    /// </summary>
    public override RegistryErrorReason Reason => _reason ?? RegistryErrorCatalog.ReasonOf(Outcome);
}
