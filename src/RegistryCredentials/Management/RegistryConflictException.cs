namespace RegistryCredentials;

/// <summary>An entry with the scope already exists in the account (add without replace), or it changed since it was read.</summary>
public class RegistryConflictException : RegistryEntryException
{
    /// <summary>Creates the exception with a default message.</summary>
    public RegistryConflictException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What happened.</param>
    public RegistryConflictException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">What happened.</param>
    /// <param name="innerException">The cause.</param>
    public RegistryConflictException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for an entry, with the standard message (the entry already exists).</summary>
    /// <param name="account">The entry's account.</param>
    /// <param name="scope">The entry's scope.</param>
    public RegistryConflictException(string account, RegistryScope scope)
        : base(account, scope, $"Registry entry {scope} already exists in account '{account}'.")
    {
    }

    /// <summary>Creates the exception for an entry.</summary>
    /// <param name="account">The entry's account.</param>
    /// <param name="scope">The entry's scope.</param>
    /// <param name="message">What happened.</param>
    public RegistryConflictException(string account, RegistryScope scope, string message)
        : base(account, scope, message)
    {
    }

    /// <summary>
    /// <see cref="RegistryErrorReason.Conflict"/> (<see cref="RegistryErrorReason.Concurrency"/> for a
    /// <see cref="RegistryConcurrencyException"/>).
    /// </summary>
    public override RegistryErrorReason Reason => RegistryErrorReason.Conflict;
}
