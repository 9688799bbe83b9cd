namespace RegistryCredentials;

/// <summary>The base of the errors this library throws for registry entries: catch it to handle all of them.</summary>
public class RegistryCredentialsException : Exception
{
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
}
