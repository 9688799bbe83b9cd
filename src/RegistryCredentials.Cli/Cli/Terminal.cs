using System.Text;

namespace RegistryCredentials.Cli.Cli;

/// <summary>
/// The process's standard streams (UTF-8, no BOM, whatever the locale: the helper and kubelet protocols are byte exact;
/// stdin is decoded strictly, so invalid UTF-8 is an error),
/// whether each is a terminal, and the environment. Tables go to <see cref="Out"/>; errors, warnings, status lines and the
/// spinner go to <see cref="Error"/>, status lines and the spinner only when it is a terminal. This file is shared with the
/// lookup executable (regcred-lookup); the Spectre.Console side (tables, the spinner) is regcred's only (Terminal.Consoles.cs).
/// </summary>
internal sealed partial class Terminal
{
    public Terminal(TextReader input, TextWriter output, TextWriter error, bool isOutputTerminal, bool isErrorTerminal, Func<string, string?> environment)
    {
        In = input;
        Out = output;
        Error = error;
        IsOutputTerminal = isOutputTerminal;
        IsErrorTerminal = isErrorTerminal;
        Environment = environment;
    }

    public TextReader In { get; }

    public TextWriter Out { get; }

    public TextWriter Error { get; }

    public bool IsOutputTerminal { get; }

    public bool IsErrorTerminal { get; }

    /// <summary>Reads an environment variable (null when unset).</summary>
    public Func<string, string?> Environment { get; }

    /// <summary>The process's streams and environment.</summary>
    /// <param name="standardInput">Standard input, when the caller wraps it (the lookup executable records what it reads).</param>
    /// <param name="standardOutput">Standard output, when the caller wraps it.</param>
    /// <param name="standardError">Standard error, when the caller wraps it.</param>
    public static Terminal CreateSystem(Stream? standardInput = null, Stream? standardOutput = null, Stream? standardError = null)
    {
        var utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);

        // Strict: bytes on stdin that are not UTF-8 are an error (see BoundedInput), never U+FFFD in a stored secret.
        var input = new StreamReader(standardInput ?? Console.OpenStandardInput(), BoundedInput.StrictUtf8, detectEncodingFromByteOrderMarks: false);
        var output = new StreamWriter(standardOutput ?? Console.OpenStandardOutput(), utf8) { AutoFlush = true, NewLine = "\n" };
        var error = new StreamWriter(standardError ?? Console.OpenStandardError(), utf8) { AutoFlush = true, NewLine = "\n" };
        return new Terminal(input, output, error, !Console.IsOutputRedirected, !Console.IsErrorRedirected, System.Environment.GetEnvironmentVariable);
    }

    /// <summary>A non-empty environment variable, or null.</summary>
    public string? Variable(string name)
    {
        var value = Environment(name);
        return string.IsNullOrEmpty(value) ? null : value;
    }

    /// <summary>Writes <c>regcred: message</c> on stderr, on one line.</summary>
    public void WriteError(string message) => Error.Write("regcred: " + OneLine(message) + "\n");

    /// <summary>Writes <c>regcred: message</c> on stderr, on one line, terminal or not: something a script's log must show.</summary>
    public void WriteNotice(string message) => Error.Write("regcred: " + OneLine(message) + "\n");

    /// <summary>Writes <c>regcred: warning: message</c> on stderr, on one line.</summary>
    public void WriteWarning(string message) => Error.Write("regcred: warning: " + OneLine(message) + "\n");

    /// <summary>A status line (anchorectl's <c>✔ Added registry</c>) on stderr, only on a terminal, so scripts see only errors there.</summary>
    public void WriteStatus(string message)
    {
        if (IsErrorTerminal)
        {
            Error.Write("\u2714 " + OneLine(message) + "\n");
        }
    }

    /// <summary>Collapses line breaks so that an error is one line.</summary>
    public static string OneLine(string message) =>
        string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
