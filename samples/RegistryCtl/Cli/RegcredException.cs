namespace RegistryCtl.Cli;

/// <summary>An error the tool reports in one line with a chosen exit code (see <see cref="ExitCodes"/>).</summary>
public sealed class RegcredException : Exception
{
    public RegcredException()
        : this("regcred failed.")
    {
    }

    public RegcredException(string message)
        : this(ExitCodes.Usage, message)
    {
    }

    public RegcredException(string message, Exception innerException)
        : base(message, innerException)
    {
        ExitCode = ExitCodes.Usage;
    }

    public RegcredException(int exitCode, string message)
        : base(message)
    {
        ExitCode = exitCode;
    }

    /// <summary>The process exit code.</summary>
    public int ExitCode { get; }
}
