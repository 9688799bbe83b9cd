using Microsoft.Extensions.DependencyInjection;
using NUnit.Framework;

namespace RegistryCredentials.Testing;

/// <summary>The secret key ids: kept, swapped atomically, and enforced over the store (one key per store).</summary>
public abstract partial class RegistryStoreConformanceTests
{
    private static readonly string[] KeysAB = ["aaaa1111", "bbbb2222"];
    private static readonly string[] KeysBC = ["bbbb2222", "cccc3333"];
    private static readonly string[] KeysC = ["cccc3333"];
    private static readonly string[] KeysA = ["aaaa1111"];
    private readonly List<ServiceProvider> _nodes = [];

    /// <summary>A new store records no key id.</summary>
    /// <returns>A task.</returns>
    [Test]
    public async Task KeyIdsOfANewStoreAreEmpty()
    {
        var store = await NewStoreAsync().ConfigureAwait(false);
        Assert.That(await store.GetKeyIdsAsync().ConfigureAwait(false), Is.Empty);
    }

    /// <summary>Key ids are replaced only from the ids the caller expects (compared as sets), come back sorted, and leave the entries alone.</summary>
    /// <returns>A task.</returns>
    [Test]
    public async Task KeyIdsAreReplacedOnlyFromTheExpectedIds()
    {
        var store = await NewStoreAsync().ConfigureAwait(false);
        await store.AddAsync(Record("reg.example.com")).ConfigureAwait(false);
        var entries = await store.ListAsync(null).ConfigureAwait(false);

        Assert.That(await store.ReplaceKeyIdsAsync([], ["bbbb2222", "aaaa1111"]).ConfigureAwait(false), Is.True);
        Assert.That(await store.GetKeyIdsAsync().ConfigureAwait(false), Is.EqualTo(KeysAB));

        Assert.That(await store.ReplaceKeyIdsAsync([], ["cccc3333"]).ConfigureAwait(false), Is.False, "the store records ids: [] is stale");
        Assert.That(await store.ReplaceKeyIdsAsync(["aaaa1111"], ["cccc3333"]).ConfigureAwait(false), Is.False, "a subset is stale too");
        Assert.That(await store.GetKeyIdsAsync().ConfigureAwait(false), Is.EqualTo(KeysAB), "a refused replacement changes nothing");

        Assert.That(
            await store.ReplaceKeyIdsAsync(["bbbb2222", "aaaa1111"], ["bbbb2222", "cccc3333"]).ConfigureAwait(false),
            Is.True,
            "expected ids in any order");
        Assert.That(await store.GetKeyIdsAsync().ConfigureAwait(false), Is.EqualTo(KeysBC));
        Assert.That(await store.ReplaceKeyIdsAsync(["cccc3333", "bbbb2222"], ["cccc3333"]).ConfigureAwait(false), Is.True);
        Assert.That(await store.GetKeyIdsAsync().ConfigureAwait(false), Is.EqualTo(KeysC));

        var after = await store.ListAsync(null).ConfigureAwait(false);
        Assert.That(after.Select(r => r.Entry), Is.EqualTo(entries.Select(r => r.Entry)), "key ids are not entries");
        Assert.That(after.Single().ProtectedSecret.ToArray(), Is.EqualTo(entries.Single().ProtectedSecret.ToArray()));
    }

    /// <summary>Processes that find no key id and each record their own: exactly one wins, and every one reads the winner's.</summary>
    /// <returns>A task.</returns>
    [Test]
    public async Task ConcurrentFirstKeyIdsExactlyOneWins()
    {
        var store = await NewStoreAsync().ConfigureAwait(false);
        var claims = Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
            await store.ReplaceKeyIdsAsync([], ["key" + i]).ConfigureAwait(false) ? "key" + i : null));
        var winners = (await Task.WhenAll(claims).ConfigureAwait(false)).OfType<string>().ToList();

        Assert.That(winners, Has.Count.EqualTo(1));
        Assert.That(await store.GetKeyIdsAsync().ConfigureAwait(false), Is.EqualTo(winners));
    }

    /// <summary>Key ids recorded through one view are read through a second view of the same data (another process).</summary>
    /// <returns>A task.</returns>
    [Test]
    public async Task KeyIdsAreSharedWithAnotherView()
    {
        var store = await NewStoreAsync().ConfigureAwait(false);
        var other = await OpenSecondViewAsync(store).ConfigureAwait(false);
        if (other is null)
        {
            Assert.Ignore("This store has no data shared between instances.");
        }

        _stores.Add(other);
        Assert.That(await store.ReplaceKeyIdsAsync([], ["aaaa1111"]).ConfigureAwait(false), Is.True);
        Assert.That(await other.GetKeyIdsAsync().ConfigureAwait(false), Is.EqualTo(KeysA));
        Assert.That(await other.ReplaceKeyIdsAsync([], ["bbbb2222"]).ConfigureAwait(false), Is.False);
    }

    /// <summary>
    /// Through the manager over this store: a store written with key A refuses a write under key B (from another instance on
    /// the same data, where the store has one) with a typed error naming both keys, changes nothing, and key B's reads are typed errors too.
    /// </summary>
    /// <returns>A task.</returns>
    [Test]
    public async Task AWriteUnderAKeyTheStoreDoesNotKnowIsRefusedAndChangesNothing()
    {
        var store = await NewStoreAsync().ConfigureAwait(false);
        var keyA = AesGcmSecretProtector.GenerateKey();
        var nodeA = Node(store, keyA);
        var password = "pw-" + Guid.NewGuid().ToString("N");
        var managerA = nodeA.GetRequiredService<IRegistryManager>();
        await managerA.AddAsync(new RegistryAddRequest
        {
            Scope = "x.example.com",
            Username = "u",
            Password = password,
            Validate = false,
        }).ConfigureAwait(false);
        await managerA.AddAsync(new RegistryAddRequest
        {
            Scope = "y.example.com",
            Username = "u",
            Password = password,
            Validate = false,
        }).ConfigureAwait(false);
        var idA = nodeA.GetRequiredService<ISecretProtector>().CurrentKeyId!;
        Assert.That(await store.GetKeyIdsAsync().ConfigureAwait(false), Is.EqualTo(new[] { idA }), "the first write records its key");
        var before = await SnapshotAsync(store).ConfigureAwait(false);

        var second = await OpenSecondViewAsync(store).ConfigureAwait(false);
        if (second is not null)
        {
            _stores.Add(second);
        }

        var nodeB = Node(second ?? store, AesGcmSecretProtector.GenerateKey());
        var idB = nodeB.GetRequiredService<ISecretProtector>().CurrentKeyId!;
        var managerB = nodeB.GetRequiredService<IRegistryManager>();
        var update = Assert.ThrowsAsync<RegistrySecretKeyException>(() => managerB.UpdateAsync(
            new RegistryUpdateRequest { Scope = "x.example.com", Password = "pw-" + Guid.NewGuid().ToString("N"), Validate = false }));
        var add = Assert.ThrowsAsync<RegistrySecretKeyException>(() => managerB.AddAsync(
            new RegistryAddRequest { Scope = "z.example.com", Username = "u", Password = "pw-" + Guid.NewGuid().ToString("N"), Validate = false }));
        var read = Assert.ThrowsAsync<RegistrySecretKeyException>(async () =>
            await nodeB.GetRequiredService<IRegistryCredentialResolver>().ResolveAsync(ImageReference.Parse("y.example.com/app")).ConfigureAwait(false));

        Assert.That(update!.Message, Does.Contain(idA).And.Contain(idB));
        Assert.That(add!.StoreKeyIds, Is.EqualTo(new[] { idA }));
        Assert.That(read!.KeyId, Is.EqualTo(idA));
        Assert.That(await SnapshotAsync(store).ConfigureAwait(false), Is.EqualTo(before), "nothing stored changed");
        var resolved = await nodeA.GetRequiredService<IRegistryCredentialResolver>().ResolveAsync(
            ImageReference.Parse("x.example.com/app")).ConfigureAwait(false);
        Assert.That(resolved.Credential?.Secret.Reveal(), Is.EqualTo(password), "key A still reads its secrets");
    }

    /// <summary>Through the manager over this store: rotation moves the store to the new key, and only with the old key retired beside it.</summary>
    /// <returns>A task.</returns>
    [Test]
    public async Task RotationIsTheWayToANewKey()
    {
        var store = await NewStoreAsync().ConfigureAwait(false);
        var oldKey = AesGcmSecretProtector.GenerateKey();
        var newKey = AesGcmSecretProtector.GenerateKey();
        var password = "pw-" + Guid.NewGuid().ToString("N");
        await Node(store, oldKey).GetRequiredService<IRegistryManager>()
            .AddAsync(new RegistryAddRequest { Scope = "x.example.com", Username = "u", Password = password, Validate = false }).ConfigureAwait(false);
        var before = await SnapshotAsync(store).ConfigureAwait(false);

        Assert.ThrowsAsync<RegistrySecretKeyException>(() => Node(store, newKey).GetRequiredService<IRegistryManager>().RotateKeyAsync());
        Assert.That(await SnapshotAsync(store).ConfigureAwait(false), Is.EqualTo(before), "a rotation without the old key changes nothing");

        var rotating = Node(store, newKey, oldKey);
        Assert.That(await rotating.GetRequiredService<IRegistryManager>().RotateKeyAsync().ConfigureAwait(false), Is.EqualTo(1));
        var newId = rotating.GetRequiredService<ISecretProtector>().CurrentKeyId!;
        Assert.That(await store.GetKeyIdsAsync().ConfigureAwait(false), Is.EqualTo(new[] { newId }));

        var after = Node(store, newKey);
        var resolved = await after.GetRequiredService<IRegistryCredentialResolver>().ResolveAsync(
            ImageReference.Parse("x.example.com/app")).ConfigureAwait(false);
        Assert.That(resolved.Credential?.Secret.Reveal(), Is.EqualTo(password));
        Assert.ThrowsAsync<RegistrySecretKeyException>(() => Node(store, oldKey).GetRequiredService<IRegistryManager>()
            .AddAsync(new RegistryAddRequest { Scope = "y.example.com", Username = "u", Password = password, Validate = false }));
    }

    private static async Task<string> SnapshotAsync(IRegistryStore store)
    {
        var records = await store.ListAsync(null).ConfigureAwait(false);
        var keys = await store.GetKeyIdsAsync().ConfigureAwait(false);
        return string.Join(
            ",",
            keys) + "\n" + string.Join(
                "\n",
                records.Select(r => $"{r.Entry.Account}|{r.Entry.Scope.Value}|{r.Entry.Version}|{Convert.ToBase64String(r.ProtectedSecret.Span)}"));
    }

    /// <summary>The library over <paramref name="store"/> with one key (and retired keys): one node of a fleet.</summary>
    private ServiceProvider Node(IRegistryStore store, string key, params string[] retired)
    {
        var services = new ServiceCollection();
        services.AddRegistryCredentials().UseStore(store).UseSecretProtection(o =>
        {
            o.Key = key;
            o.KeyEnvironmentVariable = null;
            o.CreateKeyFile = false;
            foreach (var old in retired)
            {
                o.RetiredKeys.Add(old);
            }
        });
        var provider = services.BuildServiceProvider();
        _nodes.Add(provider);
        return provider;
    }

    private async Task DisposeNodesAsync()
    {
        foreach (var node in _nodes)
        {
            await node.DisposeAsync().ConfigureAwait(false);
        }

        _nodes.Clear();
    }
}
