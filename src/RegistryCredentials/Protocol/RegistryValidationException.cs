namespace RegistryCredentials;

/// <summary>An add or update was refused because the registry rejected the credential or could not be checked; nothing was stored.</summary>
public sealed class RegistryValidationException : RegistryEntryException
{
    /// <summary>Creates the exception with a default message.</summary>
    public RegistryValidationException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What happened.</param>
    public RegistryValidationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">What happened.</param>
    /// <param name="innerException">The cause.</param>
    public RegistryValidationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a failed validation.</summary>
    /// <param name="account">The entry's account.</param>
    /// <param name="scope">The entry's scope.</param>
    /// <param name="result">What the validator found.</param>
    public RegistryValidationException(string account, RegistryScope scope, RegistryValidationResult result)
        : base(
            account,
            scope,
            $"The credential for {scope} was not stored: {result?.Message} ({result?.Outcome}). Fix it, or skip the check with Validate = false.")
    {
        ArgumentNullException.ThrowIfNull(result);
        Result = result;
    }

    /// <summary>What the validator found, if known.</summary>
    public RegistryValidationResult? Result { get; }

    /// <summary>The outcome, or null when unknown.</summary>
    public RegistryValidationOutcome? Outcome => Result?.Outcome;

    /// <summary>
    /// The reason of the <see cref="Outcome"/> (<see cref="RegistryErrorCatalog.ReasonOf(RegistryValidationOutcome)"/>):
    /// <see cref="RegistryErrorReason.Unauthorized"/>, <see cref="RegistryErrorReason.Unreachable"/>,
    /// <see cref="RegistryErrorReason.TlsFailure"/>, …; <see cref="RegistryErrorReason.Unauthorized"/> when the outcome is unknown.
    /// </summary>
    public override RegistryErrorReason Reason => Outcome switch
    {
        null or RegistryValidationOutcome.Valid => RegistryErrorReason.Unauthorized,
        { } outcome => RegistryErrorCatalog.ReasonOf(outcome),
    };
}
