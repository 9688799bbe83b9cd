using RegistryCredentials.Tests.Support.PostgreSql;

namespace RegistryCredentials.AspNetCore.Tests;

/// <summary>Stops the PostgreSQL cluster the production-server tests started, if any, at the end of the run.</summary>
[SetUpFixture]
public class TestRunSetUp
{
    [OneTimeTearDown]
    public Task StopPostgreSqlAsync() => PostgreSqlServer.StopSharedAsync();
}
