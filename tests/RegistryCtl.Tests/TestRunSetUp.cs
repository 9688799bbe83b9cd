using RegistryCtl.Tests.Support;

namespace RegistryCtl.Tests;

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
