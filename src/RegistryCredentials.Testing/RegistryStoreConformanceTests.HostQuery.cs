using NUnit.Framework;

namespace RegistryCredentials.Testing;

/// <summary>
/// The host query (<see cref="IRegistryHostQuery"/>): a registry's entries and every glob host, nothing of another exact
/// host or port. Ignored for a store that does not implement it (the resolver then reads every entry).
/// </summary>
public abstract partial class RegistryStoreConformanceTests
{
    private static readonly string[] HostQueryScopes =
    [
        "reg.example.com", "reg.example.com/team", "reg.example.com/team/*", "reg.example.com/a/b/c",
        "reg.example.com:5000", "reg.example.com:5000/x", "reg.example.com:5000/x/*",
        "reg.example.comx", "reg.example.co", "reg.example.com0/x", "sub.reg.example.com", "other.example.com/reg.example.com",
        "*.example.com", "*.example.com:5000/x/*", "a.*.example.com/team", "*.*.io",
        "docker.io/library/nginx", "docker.io/acme/*", "[::1]:5000", "[::1]:5000/team/*", "[::1]:5001",
    ];

    private static readonly string[] HostQueryEveryAccount = ["a:*.example.com", "a:reg.example.com/x/*", "b:reg.example.com"];

    private static readonly string[] HostQueryGlobs = ["*.*.io", "*.example.com", "*.example.com:5000/x/*", "a.*.example.com/team"];

    /// <summary>The query returns exactly the registry's own entries (every path, that port only) and every glob host, in scope order.</summary>
    /// <param name="registry">The registry asked.</param>
    /// <param name="expected">Its own entries expected, beside the globs.</param>
    /// <returns>A task.</returns>
    [TestCase("reg.example.com", new[] { "reg.example.com", "reg.example.com/a/b/c", "reg.example.com/team", "reg.example.com/team/*" })]
    [TestCase("REG.Example.COM", new[] { "reg.example.com", "reg.example.com/a/b/c", "reg.example.com/team", "reg.example.com/team/*" })]
    [TestCase("reg.example.com:5000", new[] { "reg.example.com:5000", "reg.example.com:5000/x", "reg.example.com:5000/x/*" })]
    [TestCase("docker.io", new[] { "docker.io/acme/*", "docker.io/library/nginx" })]
    [TestCase("[::1]:5000", new[] { "[::1]:5000", "[::1]:5000/team/*" })]
    [TestCase("example.com", new string[0])]
    [TestCase("nothing.example.org:443", new string[0])]
    public async Task HostQueryReturnsTheRegistrysEntriesAndEveryGlob(string registry, string[] expected)
    {
        var store = await NewStoreAsync().ConfigureAwait(false);
        var query = HostQuery(store);
        foreach (var scope in HostQueryScopes)
        {
            await store.AddAsync(Record(scope)).ConfigureAwait(false);
        }

        await store.AddAsync(Record("reg.example.com", "other")).ConfigureAwait(false);
        await store.AddAsync(Record("*.example.com", "other")).ConfigureAwait(false);

        var found = await query.ListForRegistryAsync(RegistryAccounts.Default, registry).ConfigureAwait(false);

        string[] want = [.. expected.Concat(HostQueryGlobs).Order(StringComparer.Ordinal)];
        Assert.That(found.Select(r => r.Entry.Scope.Value), Is.EqualTo(want));
        Assert.That(found.Select(r => r.Entry.Account), Is.All.EqualTo(RegistryAccounts.Default));
        var all = await store.ListAsync(RegistryAccounts.Default).ConfigureAwait(false);
        foreach (var record in found)
        {
            var listed = all.Single(r => r.Entry.Scope == record.Entry.Scope);
            Assert.That(record.Entry, Is.EqualTo(listed.Entry), "the query reads the same entry as ListAsync");
            Assert.That(record.ProtectedSecret.ToArray(), Is.EqualTo(listed.ProtectedSecret.ToArray()));
        }
    }

    /// <summary>Without an account the query covers every account, ordered by account and then by scope.</summary>
    /// <returns>A task.</returns>
    [Test]
    public async Task HostQueryWithoutAnAccountCoversEveryAccount()
    {
        var store = await NewStoreAsync().ConfigureAwait(false);
        var query = HostQuery(store);
        await store.AddAsync(Record("reg.example.com", "b")).ConfigureAwait(false);
        await store.AddAsync(Record("*.example.com", "a")).ConfigureAwait(false);
        await store.AddAsync(Record("reg.example.com/x/*", "a")).ConfigureAwait(false);
        await store.AddAsync(Record("other.example.com", "a")).ConfigureAwait(false);
        await store.AddAsync(Record("reg.example.com:5000", "c")).ConfigureAwait(false);

        var found = await query.ListForRegistryAsync(null, "reg.example.com").ConfigureAwait(false);

        Assert.That(
            found.Select(r => r.Entry.Account + ":" + r.Entry.Scope.Value),
            Is.EqualTo(HostQueryEveryAccount));
        Assert.That(await query.ListForRegistryAsync("nobody", "reg.example.com").ConfigureAwait(false), Is.Empty);
    }

    /// <summary>A deleted entry is gone from the query; an updated one comes back at its new version.</summary>
    /// <returns>A task.</returns>
    [Test]
    public async Task HostQueryReadsTheCommittedState()
    {
        var store = await NewStoreAsync().ConfigureAwait(false);
        var query = HostQuery(store);
        await store.AddAsync(Record("reg.example.com")).ConfigureAwait(false);
        await store.AddAsync(Record("reg.example.com/team/*")).ConfigureAwait(false);
        await store.UpdateAsync(Record("reg.example.com", username: "v2"), 1).ConfigureAwait(false);
        await store.DeleteAsync(RegistryAccounts.Default, RegistryScope.Parse("reg.example.com/team/*")).ConfigureAwait(false);

        var found = await query.ListForRegistryAsync(RegistryAccounts.Default, "reg.example.com").ConfigureAwait(false);

        Assert.That(found, Has.Count.EqualTo(1));
        Assert.That(found[0].Entry.Username, Is.EqualTo("v2"));
        Assert.That(found[0].Entry.Version, Is.EqualTo(2));
    }

    /// <summary>An empty registry is refused with an <see cref="ArgumentException"/>, and nothing stored changes.</summary>
    /// <returns>A task.</returns>
    [Test]
    public async Task HostQueryRefusesAnEmptyRegistryAndChangesNothing()
    {
        var store = await NewStoreAsync().ConfigureAwait(false);
        var query = HostQuery(store);
        await store.AddAsync(Record("reg.example.com")).ConfigureAwait(false);
        var before = await store.ListAsync(null).ConfigureAwait(false);

        Assert.ThrowsAsync<ArgumentException>(async () => await query.ListForRegistryAsync(null, string.Empty).ConfigureAwait(false));
        Assert.ThrowsAsync<ArgumentNullException>(async () => await query.ListForRegistryAsync(null, null!).ConfigureAwait(false));

        var after = await store.ListAsync(null).ConfigureAwait(false);
        Assert.That(after.Select(r => r.Entry), Is.EqualTo(before.Select(r => r.Entry)));
    }

    private static IRegistryHostQuery HostQuery(IRegistryStore store)
    {
        if (store is not IRegistryHostQuery query)
        {
            Assert.Ignore($"{store.GetType().Name} has no host query (it does not implement {nameof(IRegistryHostQuery)}).");
            throw new InvalidOperationException(); // not reached
        }

        return query;
    }
}
