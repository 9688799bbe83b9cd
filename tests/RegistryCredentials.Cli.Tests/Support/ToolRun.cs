using System.Text;

namespace RegistryCredentials.Cli.Tests.Support;

/// <summary>What one run of a process produced.</summary>
public sealed class ToolRun
{
    public ToolRun(string[] arguments, int exitCode, byte[] stdout, byte[] stderr)
    {
        Arguments = arguments;
        ExitCode = exitCode;
        StdoutBytes = stdout;
        StderrBytes = stderr;
    }

    public string[] Arguments { get; }

    public int ExitCode { get; }

    public byte[] StdoutBytes { get; }

    public byte[] StderrBytes { get; }

    public string Stdout => Encoding.UTF8.GetString(StdoutBytes);

    public string Stderr => Encoding.UTF8.GetString(StderrBytes);

    /// <summary>For assertion messages.</summary>
    public override string ToString() =>
        $"`{string.Join(' ', Arguments)}` exited {ExitCode}\n--- stdout ---\n{Stdout}\n--- stderr ---\n{Stderr}";
}
