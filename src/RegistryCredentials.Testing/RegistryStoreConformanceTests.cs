using System.Security.Cryptography;
using Microsoft.Extensions.Primitives;
using NUnit.Framework;

namespace RegistryCredentials.Testing;

/// <summary>
/// The behaviour every <see cref="IRegistryStore"/> must have. Inherit it in an NUnit test project, implement
/// <see cref="CreateStoreAsync"/>, and the suite runs against your store: CRUD, conflicts, expected-version updates
/// under concurrency, account isolation, secret round-trip, change signal, list order, and the secret key ids (kept,
/// swapped atomically, and enforced by the manager over your store: one key per store).
/// </summary>
/// <example>
/// <code>
/// [TestFixture] // NUnit only looks at assemblies that use one of its attributes
/// public sealed class MyStoreConformance : RegistryStoreConformanceTests
/// {
///     protected override Task&lt;IRegistryStore&gt; CreateStoreAsync() => Task.FromResult&lt;IRegistryStore&gt;(new MyStore(...));
/// }
/// </code>
/// </example>
[TestFixture]
public abstract partial class RegistryStoreConformanceTests
{
    private static readonly DateTimeOffset Created = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
    private static readonly string[] ThreeScopes = ["reg.example.com/team", "reg.example.com/team/*", "reg.example.com"];
    private static readonly string[] ExpectedOrder = ["a:a-b.io", "a:a.io", "a:a.io/x", "a:a.io:5000", "a:b.io", "b:z.io"];
    private readonly List<IRegistryStore> _stores = [];

    /// <summary>
    /// Creates an empty store. Called once per test; may be called twice in a test that needs a second view of the same
    /// data (<see cref="OpenSecondViewAsync"/>).
    /// </summary>
    /// <returns>A new, empty store.</returns>
    protected abstract Task<IRegistryStore> CreateStoreAsync();

    /// <summary>
    /// Opens another store on the same data as <paramref name="store"/> (another process's view of one database file or
    /// server), or returns null when the store has no shared data (in memory). Used by the change-signal test.
    /// </summary>
    /// <param name="store">A store from <see cref="CreateStoreAsync"/>.</param>
    /// <returns>A second store on the same data, or null.</returns>
    protected virtual Task<IRegistryStore?> OpenSecondViewAsync(IRegistryStore store) => Task.FromResult<IRegistryStore?>(null);

    /// <summary>How long a change may take to be signalled (to this or to a second view). Default 5 seconds.</summary>
    protected virtual TimeSpan ChangeSignalTimeout => TimeSpan.FromSeconds(5);

    /// <summary>Disposes the stores a test created.</summary>
    /// <returns>A task.</returns>
    [TearDown]
    public async Task DisposeStoresAsync()
    {
        await DisposeNodesAsync().ConfigureAwait(false);
        foreach (var store in _stores)
        {
            switch (store)
            {
                case IAsyncDisposable asyncDisposable:
                    await asyncDisposable.DisposeAsync().ConfigureAwait(false);
                    break;
                case IDisposable disposable:
                    disposable.Dispose();
                    break;
            }
        }

        _stores.Clear();
    }

    private async Task<IRegistryStore> NewStoreAsync()
    {
        var store = await CreateStoreAsync().ConfigureAwait(false);
        _stores.Add(store);
        return store;
    }

    /// <summary>Builds a record for tests.</summary>
    /// <param name="scope">The scope text.</param>
    /// <param name="account">The account.</param>
    /// <param name="username">The user name.</param>
    /// <param name="secret">The protected secret bytes; random when null.</param>
    /// <returns>A record at version 0.</returns>
    protected static RegistryRecord Record(string scope, string account = RegistryAccounts.Default, string username = "user", byte[]? secret = null) => new(
        new RegistryEntry
        {
            Account = account,
            Scope = RegistryScope.Parse(scope),
            Name = "name of " + scope,
            Type = RegistryType.DockerV2,
            Username = username,
            Email = "ops@example.com",
            VerifyTls = false,
            InsecureHttp = true,
            CaCertificates = "-----BEGIN CERTIFICATE-----\nnot checked by stores\n-----END CERTIFICATE-----\n",
            IsActive = false,
            CreatedOn = Created,
            UpdatedOn = Created.AddMinutes(1),
        },
        secret ?? RandomNumberGenerator.GetBytes(48));

    /// <summary>Add then get returns every field, version 1, and the exact secret bytes.</summary>
    /// <returns>A task.</returns>
    [Test]
    public async Task AddThenGetRoundTripsEveryFieldAndTheSecret()
    {
        var store = await NewStoreAsync().ConfigureAwait(false);
        var record = Record("reg.example.com:5000/team/*");

        var added = await store.AddAsync(record).ConfigureAwait(false);
        var read = await store.GetAsync(RegistryAccounts.Default, RegistryScope.Parse("reg.example.com:5000/team/*")).ConfigureAwait(false);

        Assert.That(added.Entry.Version, Is.EqualTo(1));
        Assert.That(read, Is.Not.Null);
        Assert.That(read!.Entry, Is.EqualTo(record.Entry with { Version = 1 }));
        Assert.That(read.Entry.Scope.Value, Is.EqualTo("reg.example.com:5000/team/*"));
        Assert.That(read.ProtectedSecret.ToArray(), Is.EqualTo(record.ProtectedSecret.ToArray()));
    }

    /// <summary>
    /// A repository (<c>host/path</c>), the subtree below it (<c>host/path/*</c>) and the registry (<c>host</c>) are three
    /// keys: the store keeps each under <see cref="RegistryScope.Value"/> and returns it as written.
    /// </summary>
    /// <returns>A task.</returns>
    [Test]
    public async Task ARepositoryTheSubtreeBelowItAndTheRegistryAreThreeEntries()
    {
        var store = await NewStoreAsync().ConfigureAwait(false);
        foreach (var scope in ThreeScopes)
        {
            await store.AddAsync(Record(scope, username: "user of " + scope)).ConfigureAwait(false);
        }

        var all = await store.ListAsync(RegistryAccounts.Default).ConfigureAwait(false);
        var exact = await store.GetAsync(RegistryAccounts.Default, RegistryScope.Parse("reg.example.com/team")).ConfigureAwait(false);
        var subtree = await store.GetAsync(RegistryAccounts.Default, RegistryScope.Parse("reg.example.com/team/*")).ConfigureAwait(false);

        Assert.That(all.Select(r => r.Entry.Scope.Value), Is.EquivalentTo(ThreeScopes));
        Assert.That(exact?.Entry.Username, Is.EqualTo("user of reg.example.com/team"));
        Assert.That(subtree?.Entry.Username, Is.EqualTo("user of reg.example.com/team/*"));
        Assert.That(await store.DeleteAsync(RegistryAccounts.Default, RegistryScope.Parse("reg.example.com/team/*")).ConfigureAwait(false), Is.True);
        Assert.That(await store.GetAsync(RegistryAccounts.Default, RegistryScope.Parse("reg.example.com/team")).ConfigureAwait(false), Is.Not.Null);
    }

    /// <summary>Get of a missing scope is null.</summary>
    /// <returns>A task.</returns>
    [Test]
    public async Task GetOfAMissingEntryIsNull()
    {
        var store = await NewStoreAsync().ConfigureAwait(false);
        Assert.That(await store.GetAsync(RegistryAccounts.Default, RegistryScope.Parse("missing.example.com")).ConfigureAwait(false), Is.Null);
    }

    /// <summary>Adding a scope twice is a conflict, and the first entry is kept.</summary>
    /// <returns>A task.</returns>
    [Test]
    public async Task AddOfAnExistingScopeIsAConflictAndKeepsTheFirst()
    {
        var store = await NewStoreAsync().ConfigureAwait(false);
        await store.AddAsync(Record("reg.example.com", username: "first")).ConfigureAwait(false);

        var error = Assert.ThrowsAsync<RegistryConflictException>(async () => await store.AddAsync(Record(
            "reg.example.com",
            username: "second")).ConfigureAwait(false));

        Assert.That(error, Is.Not.InstanceOf<RegistryConcurrencyException>());
        var kept = await store.GetAsync(RegistryAccounts.Default, RegistryScope.Parse("reg.example.com")).ConfigureAwait(false);
        Assert.That(kept!.Entry.Username, Is.EqualTo("first"));
    }

    /// <summary>Update with the expected version bumps it; a stale version is a concurrency conflict; a missing entry is not found.</summary>
    /// <returns>A task.</returns>
    [Test]
    public async Task UpdateNeedsTheExpectedVersion()
    {
        var store = await NewStoreAsync().ConfigureAwait(false);
        await store.AddAsync(Record("reg.example.com")).ConfigureAwait(false);

        var updated = await store.UpdateAsync(Record("reg.example.com", username: "v2"), 1).ConfigureAwait(false);
        Assert.That(updated.Entry.Version, Is.EqualTo(2));

        var stale = Assert.ThrowsAsync<RegistryConcurrencyException>(async () => await store.UpdateAsync(
            Record("reg.example.com", username: "stale"),
            1).ConfigureAwait(false));
        Assert.That(stale!.ExpectedVersion, Is.EqualTo(1));
        Assert.That(stale.ActualVersion, Is.EqualTo(2));
        Assert.ThrowsAsync<RegistryNotFoundException>(async () => await store.UpdateAsync(Record("missing.example.com"), 1).ConfigureAwait(false));

        var read = await store.GetAsync(RegistryAccounts.Default, RegistryScope.Parse("reg.example.com")).ConfigureAwait(false);
        Assert.That(read!.Entry.Username, Is.EqualTo("v2"));
        Assert.That(read.Entry.Version, Is.EqualTo(2));
    }

    /// <summary>Two writers updating from the same version: exactly one wins, the other gets a typed conflict, nothing is lost.</summary>
    /// <returns>A task.</returns>
    [Test]
    public async Task ConcurrentWritersExactlyOneWins()
    {
        var store = await NewStoreAsync().ConfigureAwait(false);
        await store.AddAsync(Record("reg.example.com")).ConfigureAwait(false);

        var writers = Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
        {
            try
            {
                await store.UpdateAsync(Record("reg.example.com", username: "writer" + i), 1).ConfigureAwait(false);
                return "writer" + i;
            }
            catch (RegistryConcurrencyException)
            {
                return null;
            }
        }));
        var winners = (await Task.WhenAll(writers).ConfigureAwait(false)).Where(w => w is not null).ToList();

        Assert.That(winners, Has.Count.EqualTo(1));
        var read = await store.GetAsync(RegistryAccounts.Default, RegistryScope.Parse("reg.example.com")).ConfigureAwait(false);
        Assert.That(read!.Entry.Username, Is.EqualTo(winners[0]));
        Assert.That(read.Entry.Version, Is.EqualTo(2));
    }

    /// <summary>Concurrent adds of one scope: exactly one succeeds.</summary>
    /// <returns>A task.</returns>
    [Test]
    public async Task ConcurrentAddsOfOneScopeExactlyOneSucceeds()
    {
        var store = await NewStoreAsync().ConfigureAwait(false);
        var adders = Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
        {
            try
            {
                await store.AddAsync(Record("race.example.com", username: "adder" + i)).ConfigureAwait(false);
                return true;
            }
            catch (RegistryConflictException)
            {
                return false;
            }
        }));
        var results = await Task.WhenAll(adders).ConfigureAwait(false);
        Assert.That(results.Count(r => r), Is.EqualTo(1));
        Assert.That(await store.ListAsync(null).ConfigureAwait(false), Has.Count.EqualTo(1));
    }

    /// <summary>Delete removes the record; with a stale expected version it is refused; a missing record gives false.</summary>
    /// <returns>A task.</returns>
    [Test]
    public async Task DeleteHonoursTheExpectedVersion()
    {
        var store = await NewStoreAsync().ConfigureAwait(false);
        var scope = RegistryScope.Parse("reg.example.com");
        await store.AddAsync(Record("reg.example.com")).ConfigureAwait(false);

        Assert.ThrowsAsync<RegistryConcurrencyException>(async () => await store.DeleteAsync(RegistryAccounts.Default, scope, 7).ConfigureAwait(false));
        Assert.That(await store.GetAsync(RegistryAccounts.Default, scope).ConfigureAwait(false), Is.Not.Null);
        Assert.That(await store.DeleteAsync(RegistryAccounts.Default, scope, 1).ConfigureAwait(false), Is.True);
        Assert.That(await store.GetAsync(RegistryAccounts.Default, scope).ConfigureAwait(false), Is.Null);
        Assert.That(await store.DeleteAsync(RegistryAccounts.Default, scope).ConfigureAwait(false), Is.False);
    }

    /// <summary>Accounts are isolated: the same scope in two accounts are two entries.</summary>
    /// <returns>A task.</returns>
    [Test]
    public async Task AccountsAreIsolated()
    {
        var store = await NewStoreAsync().ConfigureAwait(false);
        var scope = RegistryScope.Parse("reg.example.com");
        await store.AddAsync(Record("reg.example.com", "team-a", "a")).ConfigureAwait(false);
        await store.AddAsync(Record("reg.example.com", "team-b", "b")).ConfigureAwait(false);

        Assert.That((await store.GetAsync("team-a", scope).ConfigureAwait(false))!.Entry.Username, Is.EqualTo("a"));
        Assert.That((await store.GetAsync("team-b", scope).ConfigureAwait(false))!.Entry.Username, Is.EqualTo("b"));
        Assert.That(await store.GetAsync(RegistryAccounts.Default, scope).ConfigureAwait(false), Is.Null);
        Assert.That(await store.DeleteAsync("team-a", scope).ConfigureAwait(false), Is.True);
        Assert.That((await store.GetAsync("team-b", scope).ConfigureAwait(false))!.Entry.Username, Is.EqualTo("b"));
        Assert.That((await store.ListAsync("team-b").ConfigureAwait(false)).Single().Entry.Account, Is.EqualTo("team-b"));
    }

    /// <summary>List is ordered by account and then by scope text (ordinal), and filters by account.</summary>
    /// <returns>A task.</returns>
    [Test]
    public async Task ListIsOrderedByAccountThenScope()
    {
        var store = await NewStoreAsync().ConfigureAwait(false);
        foreach (var (scope, account) in new[] { ("z.io", "b"), ("b.io", "a"), ("a.io/x", "a"), ("a.io", "a"), ("A-b.io", "a"), ("a.io:5000", "a") })
        {
            await store.AddAsync(Record(scope, account)).ConfigureAwait(false);
        }

        var all = await store.ListAsync(null).ConfigureAwait(false);
        Assert.That(all.Select(r => r.Entry.Account + ":" + r.Entry.Scope.Value), Is.EqualTo(ExpectedOrder));
        Assert.That((await store.ListAsync("b").ConfigureAwait(false)).Select(r => r.Entry.Scope.Value).Single(), Is.EqualTo("z.io"));
        Assert.That(await store.ListAsync("nobody").ConfigureAwait(false), Is.Empty);
    }

    /// <summary>Every change fires the token from <see cref="IRegistryStore.Watch"/>; reading does not.</summary>
    /// <returns>A task.</returns>
    [Test]
    public async Task ChangesFireTheWatchToken()
    {
        var store = await NewStoreAsync().ConfigureAwait(false);
        var scope = RegistryScope.Parse("reg.example.com");
        foreach (var change in new Func<Task>[]
        {
            async () => await store.AddAsync(Record("reg.example.com")).ConfigureAwait(false),
            async () => await store.UpdateAsync(Record("reg.example.com", username: "v2"), 1).ConfigureAwait(false),
            async () => await store.DeleteAsync(RegistryAccounts.Default, scope).ConfigureAwait(false),
        })
        {
            var token = store.Watch();
            await store.ListAsync(null).ConfigureAwait(false);
            Assert.That(token.HasChanged, Is.False, "reading must not fire the token");
            await change().ConfigureAwait(false);
            await WaitForAsync(token).ConfigureAwait(false);
        }
    }

    /// <summary>A change made through a second view of the same data fires the first view's token (stores shared between processes).</summary>
    /// <returns>A task.</returns>
    [Test]
    public async Task ChangesThroughAnotherViewFireTheWatchToken()
    {
        var store = await NewStoreAsync().ConfigureAwait(false);
        var other = await OpenSecondViewAsync(store).ConfigureAwait(false);
        if (other is null)
        {
            Assert.Ignore("This store has no data shared between instances.");
        }

        _stores.Add(other);
        var token = store.Watch();
        await other.AddAsync(Record("reg.example.com")).ConfigureAwait(false);
        await WaitForAsync(token).ConfigureAwait(false);
        Assert.That(
            (await store.GetAsync(RegistryAccounts.Default, RegistryScope.Parse("reg.example.com")).ConfigureAwait(false))?.Entry.Version,
            Is.EqualTo(1));
    }

    /// <summary>Many records with secrets of many sizes come back byte for byte.</summary>
    /// <returns>A task.</returns>
    [Test]
    public async Task SecretsOfAnySizeRoundTrip()
    {
        var store = await NewStoreAsync().ConfigureAwait(false);
        var secrets = new Dictionary<string, byte[]>();
        foreach (var size in new[] { 1, 29, 64, 1000, 16 * 1024 })
        {
            var scope = $"s{size}.example.com";
            secrets[scope] = RandomNumberGenerator.GetBytes(size);
            await store.AddAsync(Record(scope, secret: secrets[scope])).ConfigureAwait(false);
        }

        foreach (var record in await store.ListAsync(null).ConfigureAwait(false))
        {
            Assert.That(record.ProtectedSecret.ToArray(), Is.EqualTo(secrets[record.Entry.Scope.Value]));
        }
    }

    /// <summary>A cancelled call throws and changes nothing.</summary>
    /// <returns>A task.</returns>
    [Test]
    public async Task CancelledCallsChangeNothing()
    {
        var store = await NewStoreAsync().ConfigureAwait(false);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync().ConfigureAwait(false);
        Assert.CatchAsync<OperationCanceledException>(async () => await store.AddAsync(Record("reg.example.com"), cancelled.Token).ConfigureAwait(false));
        Assert.That(await store.ListAsync(null).ConfigureAwait(false), Is.Empty);
    }

    private async Task WaitForAsync(IChangeToken token)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        while (!token.HasChanged)
        {
            if (started.Elapsed > ChangeSignalTimeout)
            {
                Assert.Fail($"The change was not signalled within {ChangeSignalTimeout}.");
            }

            await Task.Delay(10).ConfigureAwait(false);
        }
    }
}
