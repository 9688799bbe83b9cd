using RegistryCredentials.Cli.Cli;
using RegistryCredentials.Cli.Lookup;

namespace RegistryCredentials.Cli.Hosting;

/// <summary>
/// The lookup executable's half of <see cref="ToolContext"/>: it has only the lean composition, so whatever needs the full
/// one (an entry whose type only a cloud provider serves, a workload identity, a command that writes) is handed to regcred,
/// which replaces this process and answers the whole command again (<see cref="FullCommand"/>).
/// </summary>
internal sealed partial class ToolContext
{
    public partial RegcredHost Host => throw HandOff();

    public partial Task<RegcredHost> OpenOrCreateHostAsync(CancellationToken cancellationToken) => throw HandOff();

    private partial bool HasHost => false;

    private partial ValueTask DisposeHostAsync() => ValueTask.CompletedTask;

    /// <summary>Closes the store and replaces the process with regcred; returns only the error when that failed.</summary>
    private RegcredException HandOff()
    {
        if (_lookupHost is not null)
        {
            _lookupHost.DisposeAsync().AsTask().GetAwaiter().GetResult();
            _lookupHost = null;
        }

        return FullCommand.ReplaceProcess();
    }
}
