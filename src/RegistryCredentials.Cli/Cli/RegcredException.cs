
namespace RegistryCredentials.Cli.Cli;

/// <summary>
/// An error of the tool itself, reported in one line; <see cref="Reason"/> places it in the one failure model, whose table
/// (<see cref="RegistryErrorCatalog"/>) gives the exit code.
/// </summary>
public sealed class RegcredException : Exception
{
    public RegcredException()
        : this("regcred failed.")
    {
    }

    public RegcredException(string message)
        : this(RegistryErrorReason.InvalidArgument, message)
    {
    }

    public RegcredException(string message, Exception innerException)
        : base(message, innerException)
    {
        Reason = RegistryErrorReason.InvalidArgument;
    }

    public RegcredException(RegistryErrorReason reason, string message)
        : base(message)
    {
        Reason = reason;
    }

    /// <summary>Why the tool failed (bad usage by default).</summary>
    public RegistryErrorReason Reason { get; }

    /// <summary>The process exit code.</summary>
    public int ExitCode => RegistryErrorCatalog.For(Reason).ExitCode;
}
