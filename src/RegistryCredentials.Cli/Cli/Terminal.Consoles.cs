using Spectre.Console;

namespace RegistryCredentials.Cli.Cli;

/// <summary>regcred's Spectre.Console side of the terminal (tables, the spinner): not part of the lookup executable.</summary>
internal sealed partial class Terminal
{
    private IAnsiConsole? _outputConsole;
    private IAnsiConsole? _errorConsole;

    /// <summary>Spectre.Console on <see cref="Out"/>: ANSI only on a terminal, never wrapped when redirected.</summary>
    public IAnsiConsole OutputConsole => _outputConsole ??= CreateConsole(Out, IsOutputTerminal);

    /// <summary>Spectre.Console on <see cref="Error"/>, for the spinner.</summary>
    public IAnsiConsole ErrorConsole => _errorConsole ??= CreateConsole(Error, IsErrorTerminal);

    private static IAnsiConsole CreateConsole(TextWriter writer, bool isTerminal)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = isTerminal ? AnsiSupport.Yes : AnsiSupport.No,
            ColorSystem = isTerminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = isTerminal ? InteractionSupport.Yes : InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
        });
        console.Profile.Width = isTerminal ? TerminalWidth() : 4096;
        console.Profile.Capabilities.Unicode = true; // the writers are UTF-8
        return console;
    }

    private static int TerminalWidth()
    {
        try
        {
            return Console.WindowWidth > 0 ? Console.WindowWidth : 120;
        }
        catch (IOException)
        {
            return 120;
        }
    }
}
