using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace RegistryCredentials.AspNetCore.Tests.Support;

public static class TestServerExtensions
{
    public static TestServer? GetTestServerOrNull(this WebApplication app) => app.Services.GetRequiredService<IServer>() as TestServer;
}
