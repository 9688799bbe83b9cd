using RegistryCredentials.Cli.Tests.Support;

namespace RegistryCredentials.Cli.Tests;

/// <summary>Stops the shared registry and PostgreSQL cluster after every test ran.</summary>
[SetUpFixture]
public sealed class TestRunSetUp
{
    [OneTimeTearDown]
    public async Task StopSharedServersAsync()
    {
        await SharedRegistry.StopAsync();
        await PostgreSqlServer.StopSharedAsync();
    }
}
