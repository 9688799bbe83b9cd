using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.DependencyInjection;

namespace RegistryCredentials.PostgreSql.Tests;

/// <summary>
/// Issue 16's fleet test (a correctness test, not a timing one): three nodes on one PostgreSQL schema, each resolving
/// while four writers (the three nodes' managers and a fourth process-like node) make 1,000 changes as fast as they go.
/// Afterwards every node's index equals the store, compared as a content hash of what each node resolves for every scope
/// ever written; and no node served an entry longer than the staleness bound (plus a second for the notification) after
/// its deletion had committed.
/// </summary>
[TestFixture]
public sealed class PostgreSqlFleetTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan NoticeSlack = TimeSpan.FromSeconds(1);
    private readonly List<ServiceProvider> _nodes = [];

    [TearDown]
    public async Task TearDownAsync()
    {
        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }

        _nodes.Clear();
    }

    [Test]
    public async Task Three_nodes_follow_1000_changes_from_four_writers_and_never_serve_an_entry_deleted_beyond_the_bound()
    {
        var server = await PostgreSqlServer.GetAsync();
        var schema = PostgreSqlServer.NewName("fleet_");
        var key = AesGcmSecretProtector.GenerateKey();
        var nodes = Enumerable.Range(0, 3).Select(_ => Node(server, schema, key)).ToList();
        var writers = nodes.Append(Node(server, schema, key)).Select(n => n.GetRequiredService<IRegistryManager>()).ToList();
        var resolvers = nodes.Select(n => n.GetRequiredService<IRegistryCredentialResolver>()).ToList();
        foreach (var resolver in resolvers)
        {
            await resolver.ResolveAsync("start.fleet.example.com/app"); // the first load
        }

        var written = new ConcurrentDictionary<string, bool>();
        var deletedAt = new ConcurrentDictionary<string, long>();
        var served = new ConcurrentBag<(string Scope, long At, int Node)>();
        using var writing = new CancellationTokenSource();
        var readers = resolvers.Select((resolver, n) => Task.Run(async () =>
        {
            var random = new Random(n);
            while (!writing.IsCancellationRequested)
            {
                var scopes = written.Keys.ToArray();
                if (scopes.Length == 0)
                {
                    await Task.Delay(1);
                    continue;
                }

                var scope = scopes[random.Next(scopes.Length)];
                var at = Stopwatch.GetTimestamp();
                var resolution = await resolver.ResolveAsync(scope + "/app");
                if (resolution.Entry is not null)
                {
                    served.Add((scope, at, n));
                }
            }
        })).ToList();

        var changes = 0;
        var writes = writers.Select((manager, w) => Task.Run(async () =>
        {
            for (var k = 0; Volatile.Read(ref changes) < 1000; k++)
            {
                var scope = $"w{w}-{k}.fleet.example.com";
                written[scope] = true;
                await manager.AddAsync(new RegistryAddRequest { Scope = scope, Username = "u", Password = "p-" + k, IsActive = false, Validate = false });
                await manager.UpdateAsync(new RegistryUpdateRequest { Scope = scope, Username = "v" + k, Validate = false });
                Interlocked.Add(ref changes, 2);
                if (k % 2 == 0)
                {
                    await manager.DeleteAsync(RegistryScope.Parse(scope));
                    deletedAt[scope] = Stopwatch.GetTimestamp();
                    Interlocked.Increment(ref changes);
                }
            }
        })).ToList();
        await Task.WhenAll(writes);
        await writing.CancelAsync();
        await Task.WhenAll(readers);
        Assert.That(changes, Is.GreaterThanOrEqualTo(1000));

        // Every node converges on the store, on its own (no refresh asked for): content hashes compared.
        var store = nodes[0].GetRequiredService<IRegistryStore>();
        var expected = await HashAsync(
            written.Keys, async scope => Describe((await store.GetAsync(RegistryAccounts.Default, RegistryScope.Parse(scope)))?.Entry));
        var hashes = new string[resolvers.Count];
        var deadline = Stopwatch.GetTimestamp() + Stopwatch.Frequency * 30;
        do
        {
            for (var n = 0; n < resolvers.Count; n++)
            {
                var resolver = resolvers[n];
                hashes[n] = await HashAsync(written.Keys, async scope => Describe((await resolver.ResolveAsync(scope + "/app")).Entry));
            }

            if (hashes.All(h => h == expected))
            {
                break;
            }

            await Task.Delay(100);
        }
        while (Stopwatch.GetTimestamp() < deadline);

        Assert.That(hashes, Is.All.EqualTo(expected), "every node's index equals the store");

        // No entry served later than the bound (plus the notification's slack) after its deletion committed.
        var late = served
            .Where(s => deletedAt.TryGetValue(s.Scope, out var deleted) && Stopwatch.GetElapsedTime(deleted, s.At) > Bound + NoticeSlack)
            .ToList();
        Assert.That(late, Is.Empty, "served after deletion: " + string.Join(", ", late.Take(5)));
        Assert.That(served, Is.Not.Empty, "the nodes resolved entries while the writers wrote");
    }

    private static string Describe(RegistryEntry? entry) => entry is null ? "-" : $"{entry.Version}|{entry.Username}|{entry.IsActive}";

    private static async Task<string> HashAsync(IEnumerable<string> scopes, Func<string, Task<string>> describe)
    {
        var text = new StringBuilder();
        foreach (var scope in scopes.Order(StringComparer.Ordinal))
        {
            text.Append(scope).Append('=').Append(await describe(scope)).Append('\n');
        }

        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    private ServiceProvider Node(PostgreSqlServer server, string schema, string key)
    {
        var services = new ServiceCollection();
        services.AddRegistryCredentials(o => o.IndexStalenessBound = Bound)
            .UsePostgreSqlStore(server.ConnectionString(), o => o.Schema = schema)
            .UseSecretProtection(o =>
            {
                o.Key = key;
                o.KeyEnvironmentVariable = null;
                o.CreateKeyFile = false;
            });
        var provider = services.BuildServiceProvider();
        _nodes.Add(provider);
        return provider;
    }
}
