namespace RegistryCredentials;

/// <summary>An entry names a registry type that no registered <see cref="RegistryCredentialProvider"/> handles.</summary>
public sealed class RegistryTypeNotSupportedException : RegistryCredentialsException
{
    /// <summary>Creates the exception with a default message.</summary>
    public RegistryTypeNotSupportedException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What happened.</param>
    public RegistryTypeNotSupportedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">What happened.</param>
    /// <param name="innerException">The cause.</param>
    public RegistryTypeNotSupportedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a type without a provider.</summary>
    /// <param name="type">The type.</param>
    public RegistryTypeNotSupportedException(RegistryType type)
        : base(
            $"No credential provider is registered for registry type '{type}'. Register one (for example "
            + $"AddAwsEcr(), AddGoogle() or AddAzure() from their packages) or give the entry another type.")
    {
        Type = type;
    }

    /// <summary>The type, if known.</summary>
    public RegistryType? Type { get; }

    /// <summary>Always <see cref="RegistryErrorReason.TypeNotSupported"/>.</summary>
    public override RegistryErrorReason Reason => RegistryErrorReason.TypeNotSupported;
}
