using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace RegistryCredentials.Sqlite.Tests;

/// <summary>
/// Base of the tests that open service providers ("nodes", as separate processes would) on one temporary SQLite file: a
/// new file per test, every node disposed and the connection pools cleared after it.
/// </summary>
public abstract class SqliteNodeTests
{
    /// <summary>Every entry's account, scope, version and ciphertext, one per line: compared before and after a migration.</summary>
    private protected const string EntriesSnapshot = "SELECT group_concat(account || '|' || scope || '|' || version "
        + "|| '|' || hex(protected_secret), char(10)) FROM registry_entries";

    /// <summary>The test's database file (in its own temporary folder).</summary>
    private protected TempDatabase Db { get; private set; } = null!;

    /// <summary>The nodes the test opened; disposed after it.</summary>
    private protected List<ServiceProvider> Nodes { get; } = [];

    /// <summary>Creates the test's folder.</summary>
    [SetUp]
    public void CreateFolder() => Db = new TempDatabase();

    /// <summary>Disposes the nodes, clears the pools and deletes the folder.</summary>
    /// <returns>A task.</returns>
    [TearDown]
    public async Task DeleteFolder()
    {
        foreach (var node in Nodes)
        {
            await node.DisposeAsync();
        }

        Nodes.Clear();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Db.Dispose();
    }

    /// <summary>A protector with the given key and nothing else (no environment variable, no key file).</summary>
    /// <param name="key">The key (base64).</param>
    /// <returns>The protector.</returns>
    private protected static AesGcmSecretProtector Protector(string key) =>
        new(Options.Create(new SecretProtectionOptions { Key = key, KeyEnvironmentVariable = null, CreateKeyFile = false }));
}
