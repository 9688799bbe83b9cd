using RegistryCredentials.Cli.Lookup;

namespace RegistryCredentials.Cli.Hosting;

/// <summary>The lookup executable has no PostgreSQL store: a run on one is handed to regcred (<see cref="FullCommand"/>).</summary>
internal sealed partial class StoreLocation
{
    private partial RegistryCredentialsBuilder UsePostgreSql(RegistryCredentialsBuilder builder) => throw FullCommand.ReplaceProcess();
}
