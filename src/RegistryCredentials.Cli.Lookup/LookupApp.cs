using System.Reflection;
using System.Runtime.InteropServices;
using RegistryCredentials.Cli.Cli;
using RegistryCredentials.Cli.Hosting;
using RegistryCredentials.Cli.Interop;

namespace RegistryCredentials.Cli.Lookup;

/// <summary>
/// The entry point of regcred-lookup. It reads the command line as regcred does and answers the two that a pull starts:
/// <c>get</c> of the credential-helper protocol when started as <c>docker-credential-*</c> (a symlink to this file), and
/// <c>[--store S] [--key-file K] [--account A] kubelet-credential-provider [--cache-duration D]</c> (and <c>helper get</c>),
/// with regcred's own code for both (<see cref="CredentialHelperProtocol"/>, <see cref="LookupDispatch"/>). Every other
/// command line is regcred's: this process is replaced by the regcred executable beside it, with the same arguments
/// (<see cref="FullCommand"/>), so the answer is always regcred's.
/// </summary>
internal static class LookupApp
{
    public static async Task<int> RunAsync(string[] args, string? invocationName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        NativeLibrary.SetDllImportResolver(typeof(SQLitePCL.SQLite3Provider_e_sqlite3).Assembly, LoadSqliteFromAppFolder);
        var input = new RecordedInput(Console.OpenStandardInput());
        FullCommand.Input = input;
        var terminal = Terminal.CreateSystem(input, new SynchronousOutput(1), new SynchronousOutput(2));
        var isHelper = InvocationName.IsCredentialHelper(invocationName);
        if (isHelper && args is ["get"])
        {
            // What regcred does for `docker-credential-regcred get` (CredentialHelperProtocol.ServeAsync with one argument).
            await using var context = new ToolContext(terminal, null, null, null);
            return await new CredentialHelperProtocol(context).HandleAsync("get", cancellationToken);
        }

        if (!isHelper && LookupDispatch.TryRun(args, terminal, cancellationToken) is { } lookup)
        {
            return await lookup;
        }

        var failure = FullCommand.ReplaceProcess();

        // Only when regcred could not be started: said where the protocol says errors go (the helper's stdout, else stderr).
        if (isHelper)
        {
            await terminal.Out.WriteAsync(failure.Message + "\n");
            return ExitCodes.Usage;
        }

        return ErrorReporter.Report(terminal, failure);
    }

    /// <summary>
    /// SQLite's provider imports <c>e_sqlite3</c>, which the runtime would look for in this folder and then in every system
    /// library folder before it tries <c>libe_sqlite3.so</c> here, where the publish puts it: load that file first. Any
    /// other name, or a folder without it, gets the runtime's own search (zero).
    /// </summary>
    private static nint LoadSqliteFromAppFolder(string name, Assembly assembly, DllImportSearchPath? searchPath) =>
        name == "e_sqlite3" && NativeLibrary.TryLoad(Path.Combine(AppContext.BaseDirectory, "libe_sqlite3.so"), out var handle) ? handle : 0;
}
