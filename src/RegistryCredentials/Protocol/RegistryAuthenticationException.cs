namespace RegistryCredentials;

/// <summary>
/// Authenticating to a registry failed: the registry or its token service refused the credential, could not be
/// reached, or answered against the protocol. <see cref="Outcome"/> says which; the message never holds a secret.
/// </summary>
public sealed class RegistryAuthenticationException : RegistryCredentialsException
{
    /// <summary>Creates the exception with a default message.</summary>
    public RegistryAuthenticationException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What happened.</param>
    public RegistryAuthenticationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">What happened.</param>
    /// <param name="innerException">The cause.</param>
    public RegistryAuthenticationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with an outcome.</summary>
    /// <param name="outcome">What kind of failure it is.</param>
    /// <param name="message">What happened, without secrets.</param>
    /// <param name="innerException">The cause, if any.</param>
    public RegistryAuthenticationException(RegistryValidationOutcome outcome, string message, Exception? innerException = null)
        : base(message, innerException!)
    {
        Outcome = outcome;
    }

    /// <summary>What kind of failure it is.</summary>
    public RegistryValidationOutcome Outcome { get; } = RegistryValidationOutcome.ProtocolError;

    /// <summary>The reason of the <see cref="Outcome"/> (<see cref="RegistryErrorCatalog.ReasonOf(RegistryValidationOutcome)"/>).</summary>
    public override RegistryErrorReason Reason => RegistryErrorCatalog.ReasonOf(Outcome);
}
