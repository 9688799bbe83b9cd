using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace RegistryCredentials.PostgreSql.Tests;

/// <summary>
/// Base of the tests that open service providers ("nodes", as separate processes would) on the shared PostgreSQL server:
/// the server started (once per run) before each test, every node disposed after it.
/// </summary>
public abstract class PostgreSqlNodeTests
{
    /// <summary>The shared server.</summary>
    protected PostgreSqlServer Server { get; private set; } = null!;

    /// <summary>The nodes the test opened; disposed after it.</summary>
    protected List<ServiceProvider> Nodes { get; } = [];

    /// <summary>Starts (or finds) the server.</summary>
    /// <returns>A task.</returns>
    [SetUp]
    public async Task SetUpAsync() => Server = await PostgreSqlServer.GetAsync();

    /// <summary>Disposes the nodes.</summary>
    /// <returns>A task.</returns>
    [TearDown]
    public async Task TearDownAsync()
    {
        foreach (var node in Nodes)
        {
            await node.DisposeAsync();
        }

        Nodes.Clear();
    }

    /// <summary>A protector with the given key and nothing else (no environment variable, no key file).</summary>
    /// <param name="key">The key (base64).</param>
    /// <returns>The protector.</returns>
    private protected static AesGcmSecretProtector Protector(string key) =>
        new(Options.Create(new SecretProtectionOptions { Key = key, KeyEnvironmentVariable = null, CreateKeyFile = false }));
}
