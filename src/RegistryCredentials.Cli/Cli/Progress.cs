using Spectre.Console;

namespace RegistryCredentials.Cli.Cli;

/// <summary>Runs slow work (validation, token fetches) under a spinner on stderr, only when stderr is a terminal.</summary>
internal static class Progress
{
    public static async Task<T> RunAsync<T>(Terminal terminal, string message, Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        if (!terminal.IsErrorTerminal)
        {
            return await work(cancellationToken);
        }

        return await terminal.ErrorConsole.Status()
            .Spinner(Spinner.Known.Dots)
            .StartAsync(Markup.Escape(message) + "\u2026", _ => work(cancellationToken));
    }
}
