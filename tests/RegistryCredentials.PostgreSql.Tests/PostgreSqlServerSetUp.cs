namespace RegistryCredentials.PostgreSql.Tests;

/// <summary>Stops the shared PostgreSQL cluster after every test of the namespace ran, whatever their outcome.</summary>
[SetUpFixture]
public sealed class PostgreSqlServerSetUp
{
    [OneTimeTearDown]
    public Task StopServerAsync() => PostgreSqlServer.StopSharedAsync();
}
