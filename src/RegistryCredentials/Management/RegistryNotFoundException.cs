namespace RegistryCredentials;

/// <summary>No entry with the scope exists in the account.</summary>
public sealed class RegistryNotFoundException : RegistryEntryException
{
    /// <summary>Creates the exception with a default message.</summary>
    public RegistryNotFoundException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What happened.</param>
    public RegistryNotFoundException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">What happened.</param>
    /// <param name="innerException">The cause.</param>
    public RegistryNotFoundException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for an entry, with the standard message (the entry does not exist).</summary>
    /// <param name="account">The entry's account.</param>
    /// <param name="scope">The entry's scope.</param>
    public RegistryNotFoundException(string account, RegistryScope scope)
        : base(account, scope, $"Registry entry {scope} does not exist in account '{account}'.")
    {
    }

    /// <summary>Creates the exception for an entry.</summary>
    /// <param name="account">The entry's account.</param>
    /// <param name="scope">The entry's scope.</param>
    /// <param name="message">What happened.</param>
    public RegistryNotFoundException(string account, RegistryScope scope, string message)
        : base(account, scope, message)
    {
    }

    /// <summary>Always <see cref="RegistryErrorReason.NotFound"/>.</summary>
    public override RegistryErrorReason Reason => RegistryErrorReason.NotFound;
}
