namespace RegistryCredentials;

/// <summary>Thrown by <see cref="RegistryScope.Parse(string)"/> when a string is not a valid registry scope.</summary>
public sealed class RegistryScopeFormatException : FormatException
{
    /// <summary>Creates an exception for an invalid scope.</summary>
    public RegistryScopeFormatException()
        : this("The registry scope is not valid.")
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    /// <param name="message">What is wrong.</param>
    public RegistryScopeFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and an inner exception.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="innerException">The cause.</param>
    public RegistryScopeFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an exception for <paramref name="scope"/> with the reason it was refused.</summary>
    /// <param name="scope">The text that failed to parse.</param>
    /// <param name="reason">What is wrong with it.</param>
    /// <param name="paramName">The argument or option that held the scope, if any.</param>
    public RegistryScopeFormatException(string scope, string reason, string? paramName)
        : base($"Invalid registry scope '{scope}': {reason}.")
    {
        Scope = scope;
        Reason = reason;
        ParamName = paramName;
    }

    /// <summary>The text that failed to parse, if known.</summary>
    public string? Scope { get; }

    /// <summary>What is wrong, without the surrounding sentence.</summary>
    public string? Reason { get; }

    /// <summary>The name of the argument or option that held the scope, if known.</summary>
    public string? ParamName { get; }
}
