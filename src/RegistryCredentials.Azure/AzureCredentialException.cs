namespace RegistryCredentials.Azure;

/// <summary>
/// Getting an Azure Container Registry credential failed: Entra ID refused or could not issue a token, the registry's
/// <c>/oauth2/exchange</c> endpoint refused it or answered against the protocol (for example a refresh token that is not
/// a JWT with an <c>exp</c>), the endpoint could not be reached, or the entry's mode is not allowed.
/// <see cref="RegistryProviderException{TKind}.Kind"/> names the kind of failure; the message never holds a secret or a token.
/// </summary>
public sealed class AzureCredentialException : RegistryProviderException<RegistryValidationOutcome>
{
    /// <summary>Creates the exception with a default message.</summary>
    public AzureCredentialException()
        : base(RegistryValidationOutcome.ProtocolError, null, null)
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What happened.</param>
    public AzureCredentialException(string message)
        : base(RegistryValidationOutcome.ProtocolError, message, null)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">What happened.</param>
    /// <param name="innerException">The cause.</param>
    public AzureCredentialException(string message, Exception innerException)
        : base(RegistryValidationOutcome.ProtocolError, message, innerException)
    {
    }

    /// <summary>Creates the exception with a kind of failure.</summary>
    /// <param name="kind">
    /// What kind of failure it is: <see cref="RegistryValidationOutcome.Unauthorized"/> when Entra ID or the exchange
    /// refused, <see cref="RegistryValidationOutcome.Unreachable"/>, <see cref="RegistryValidationOutcome.TlsFailure"/> or
    /// <see cref="RegistryValidationOutcome.Timeout"/> for the connection, <see cref="RegistryValidationOutcome.ProtocolError"/>
    /// for an answer against the protocol or a mode that is not allowed.
    /// </param>
    /// <param name="message">What happened, without secrets.</param>
    /// <param name="innerException">The cause, if any.</param>
    public AzureCredentialException(RegistryValidationOutcome kind, string message, Exception? innerException = null)
        : base(kind, message, innerException)
    {
    }

    /// <summary>Creates the exception with a reason that is not the kind's own (such as a refused entry).</summary>
    /// <param name="kind">What kind of failure it is, as a validation outcome.</param>
    /// <param name="reason">The failure in the one failure model (<see cref="RegistryProviderException{TKind}.Reason"/>).</param>
    /// <param name="message">What happened, without secrets.</param>
    /// <param name="innerException">The cause, if any.</param>
    internal AzureCredentialException(RegistryValidationOutcome kind, RegistryErrorReason reason, string message, Exception? innerException)
        : base(kind, message, innerException, reason)
    {
    }

    /// <summary>
    /// The failure in the one failure model when the throw site gave none: the reason of the kind
    /// (<see cref="RegistryErrorCatalog.ReasonOf(RegistryValidationOutcome)"/>). Given where it was thrown:
    /// <see cref="RegistryErrorReason.InvalidEntry"/> or <see cref="RegistryErrorReason.NotAllowed"/> for a refused entry
    /// (with <see cref="RegistryCredentialsException.Field"/>), <see cref="RegistryErrorReason.Unauthorized"/> when no
    /// identity of the entry's kind is available here, <see cref="RegistryErrorReason.Throttled"/> for HTTP 429 from Entra ID.
    /// </summary>
    /// <param name="kind">The kind of failure.</param>
    /// <returns>The reason.</returns>
    protected override RegistryErrorReason ReasonOf(RegistryValidationOutcome kind) => RegistryErrorCatalog.ReasonOf(kind);
}
