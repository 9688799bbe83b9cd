namespace RegistryCredentials.Consumer.Tests;

/// <summary>What a finished child process left: its exit code and everything it wrote.</summary>
/// <param name="ExitCode">The exit code.</param>
/// <param name="Output">Standard output and standard error, interleaved as they arrived.</param>
internal sealed record ProcessResult(int ExitCode, string Output)
{
    /// <summary>The command line, for failure messages.</summary>
    public required string Command { get; init; }

    /// <summary>A failure message: the command, its exit code and the last of its output.</summary>
    public string Describe() => $"`{Command}` exited with {ExitCode}:\n{Tail(Output, 6000)}";

    private static string Tail(string text, int length) => text.Length <= length ? text : "…" + text[^length..];
}
