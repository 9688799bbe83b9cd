using System.CommandLine;
using RegistryCredentials.Cli.Hosting;
using RegistryCredentials.Cli.Interop;

namespace RegistryCredentials.Cli.Cli;

/// <summary>The entry point: the credential-helper protocol when started as <c>docker-credential-*</c>, else the command line.</summary>
internal static class RegcredApp
{
    public static async Task<int> RunAsync(string[] args, Terminal terminal, string? invocationName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(terminal);
        if (InvocationName.IsCredentialHelper(invocationName))
        {
            await using var context = new ToolContext(terminal, null, null, null);
            return await new CredentialHelperProtocol(context).ServeAsync(args, cancellationToken);
        }

        // helper get and the kubelet plugin: started once per pull, so read by hand, without building the command tree.
        if (LookupDispatch.TryRun(args, terminal, cancellationToken) is { } lookup)
        {
            return await lookup;
        }

        var root = CommandLine.Create(terminal);

        // No response files: an argument starting with '@' is an argument.
        var parseResult = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        if (parseResult.Errors.Count > 0)
        {
            terminal.WriteError(string.Join("; ", parseResult.Errors.Select(e => e.Message)) + " (see 'regcred --help')");
            return ExitCodes.Usage;
        }

        try
        {
            return await parseResult.InvokeAsync(
                new InvocationConfiguration { Output = terminal.Out, Error = terminal.Error, EnableDefaultExceptionHandler = false },
                cancellationToken);
        }
        catch (Exception e)
        {
            return ErrorReporter.Report(terminal, e);
        }
    }
}
