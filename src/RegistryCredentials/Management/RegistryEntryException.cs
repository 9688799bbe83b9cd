namespace RegistryCredentials;

/// <summary>An error about one registry entry, naming its account and scope.</summary>
public class RegistryEntryException : RegistryCredentialsException
{
    /// <summary>Creates the exception with a default message.</summary>
    public RegistryEntryException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What happened.</param>
    public RegistryEntryException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">What happened.</param>
    /// <param name="innerException">The cause.</param>
    public RegistryEntryException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for an entry.</summary>
    /// <param name="account">The entry's account.</param>
    /// <param name="scope">The entry's scope.</param>
    /// <param name="message">What happened.</param>
    public RegistryEntryException(string account, RegistryScope scope, string message)
        : base(message)
    {
        Account = account;
        Scope = scope;
    }

    /// <summary>The account of the entry, if known.</summary>
    public string? Account { get; }

    /// <summary>The scope of the entry, if known.</summary>
    public RegistryScope? Scope { get; }
}
