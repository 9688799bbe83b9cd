using System.Diagnostics;

namespace RegistryCredentials.Cli.Hosting;

/// <summary>The lookup executable composes no cloud provider: only the lean host is built here (regcred builds the full one).</summary>
internal sealed partial class RegcredHost
{
    public static partial RegistryCredentialsBuilder ConfigureProviders(RegistryCredentialsBuilder builder) =>
        throw new UnreachableException("regcred-lookup builds only the lean composition; the full one is regcred's (ToolContext.Host hands off).");
}
