namespace RegistryCredentials;

/// <summary>
/// A field of an add or update request is refused (too large, or not well-formed text); <see cref="Field"/> names it as
/// the request's property (<c>Password</c>, <c>Username</c>, …). The message never contains the value. Nothing was stored.
/// </summary>
public sealed class RegistryFieldException : ArgumentException
{
    /// <summary>Creates the exception with a default message.</summary>
    public RegistryFieldException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What happened.</param>
    public RegistryFieldException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">What happened.</param>
    /// <param name="innerException">The cause.</param>
    public RegistryFieldException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a field.</summary>
    /// <param name="field">The request property at fault, such as <c>Password</c>; also the <see cref="ArgumentException.ParamName"/>.</param>
    /// <param name="problem">What is wrong with it.</param>
    /// <param name="message">What happened, without the value.</param>
    public RegistryFieldException(string field, RegistryFieldProblem problem, string message)
        : base(message, field)
    {
        Problem = problem;
    }

    /// <summary>The request property at fault (<c>Password</c>, <c>Username</c>, <c>Name</c>, <c>Email</c>, <c>CaCertificates</c>), if known.</summary>
    public string? Field => ParamName;

    /// <summary>What is wrong with the field.</summary>
    public RegistryFieldProblem Problem { get; }
}
