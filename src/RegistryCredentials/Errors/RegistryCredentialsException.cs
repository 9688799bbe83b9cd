namespace RegistryCredentials;

/// <summary>
/// The base of every error the packages throw (besides <see cref="ArgumentException"/> and <see cref="FormatException"/>
/// for bad arguments): catch it to handle all of them. <see cref="Reason"/> says why, in the one failure model
/// (<see cref="RegistryErrorCatalog"/> maps it to HTTP and to exit codes), and <see cref="IsTransient"/> whether retrying
/// may help; derived types add the details of their package.
/// </summary>
public class RegistryCredentialsException : Exception
{
    private readonly RegistryErrorReason _reason;

    /// <summary>Creates the exception with a default message.</summary>
    public RegistryCredentialsException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What happened.</param>
    public RegistryCredentialsException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">What happened.</param>
    /// <param name="innerException">The cause.</param>
    public RegistryCredentialsException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with a reason.</summary>
    /// <param name="reason">Why the operation failed.</param>
    /// <param name="message">What happened, without secrets.</param>
    /// <param name="innerException">The cause, if any.</param>
    public RegistryCredentialsException(RegistryErrorReason reason, string message, Exception? innerException)
        : base(message, innerException)
    {
        _reason = reason;
    }

    /// <summary>
    /// Why the operation failed. Derived types whose own kind decides it (such as <see cref="RegistryNotFoundException"/>
    /// or a provider's error kind) override it.
    /// </summary>
    public virtual RegistryErrorReason Reason => _reason;

    /// <summary>
    /// True when the failure is temporary and retrying the same call may succeed (a registry or store that could not be
    /// reached, a timeout, throttling). The default is the <see cref="RegistryErrorMapping.IsTransient"/> of the reason;
    /// derived types that know better override it.
    /// </summary>
    public virtual bool IsTransient => RegistryErrorCatalog.For(Reason).IsTransient;

    /// <summary>
    /// The property of the add or update request at fault (<see cref="RegistryAddRequest.Username"/>,
    /// <see cref="RegistryAddRequest.Password"/>, <see cref="RegistryAddRequest.Scope"/>, …, by name), when the failure
    /// is about one field, such as a provider refusing an entry (<see cref="RegistryErrorReason.InvalidEntry"/>,
    /// <see cref="RegistryErrorReason.NotAllowed"/>); null otherwise.
    /// </summary>
    public string? Field { get; init; }
}
