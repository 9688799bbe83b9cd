namespace RegistryCredentials;

/// <summary>The typed result of <see cref="IRegistryCredentialValidator.ValidateAsync"/>.</summary>
public sealed class RegistryValidationResult
{
    /// <summary>Creates a result.</summary>
    /// <param name="outcome">What was found.</param>
    /// <param name="message">A sentence for people; must not contain a secret.</param>
    public RegistryValidationResult(RegistryValidationOutcome outcome, string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        Outcome = outcome;
        Message = message;
    }

    /// <summary>A valid result with a standard message.</summary>
    public static RegistryValidationResult Valid { get; } = new(RegistryValidationOutcome.Valid, "The registry accepted the credential.");

    /// <summary>What was found.</summary>
    public RegistryValidationOutcome Outcome { get; }

    /// <summary>A sentence for people, without secrets.</summary>
    public string Message { get; }

    /// <summary>True for <see cref="RegistryValidationOutcome.Valid"/>.</summary>
    public bool IsValid => Outcome == RegistryValidationOutcome.Valid;

    /// <summary>Returns the outcome and message.</summary>
    /// <returns>For example <c>Unauthorized: the registry answered 401</c>.</returns>
    public override string ToString() => Outcome + ": " + Message;
}
