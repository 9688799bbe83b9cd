using Microsoft.Extensions.DependencyInjection;
using NUnit.Framework;

namespace RegistryCredentials.Testing;

/// <summary>
/// The policies (<see cref="IRegistryPolicyStore"/>): kept per account and globally, written only from the version read,
/// signalled like entries, and applied by the manager and the resolver over the store. Ignored for a store that keeps no
/// policy (it does not implement <see cref="IRegistryPolicyStore"/>).
/// </summary>
public abstract partial class RegistryStoreConformanceTests
{
    private static readonly DateTimeOffset PolicyTime = new(2026, 2, 3, 4, 5, 6, TimeSpan.Zero);
    private static readonly string[] PolicyAccountOrder = [RegistryPolicy.GlobalAccount, "a", "b"];
    private static readonly string[] PolicyList = ["z.example.com", "*.azurecr.io", "docker.io/acme/*"];
    private static readonly string[] PolicyOne = ["one.example.com"];
    private static readonly string[] PolicyDefaults = ["global.example.com", "a.example.com", "b.example.com"];
    private static readonly string[] PolicyAllowed = ["allowed.example.com"];

    /// <summary>A new store holds no policy.</summary>
    /// <returns>A task.</returns>
    [Test]
    public async Task PolicyOfANewStoreIsNone()
    {
        var store = await NewPolicyStoreAsync().ConfigureAwait(false);
        Assert.That(await store.GetPolicyAsync(RegistryAccounts.Default).ConfigureAwait(false), Is.Null);
        Assert.That(await store.ListPoliciesAsync().ConfigureAwait(false), Is.Empty);
    }

    /// <summary>A policy set from version 0 comes back at version 1 with every field, the allow-list in its order.</summary>
    /// <returns>A task.</returns>
    [Test]
    public async Task PolicyRoundTripsEveryFieldAtVersionOne()
    {
        var store = await NewPolicyStoreAsync().ConfigureAwait(false);
        var written = await store.TrySetPolicyAsync(Policy("a", "reg.example.com:5000", PolicyList), 0).ConfigureAwait(false);
        var read = await store.GetPolicyAsync("a").ConfigureAwait(false);

        Assert.That(written?.Version, Is.EqualTo(1));
        Assert.That(read, Is.Not.Null);
        Assert.That(read!.Version, Is.EqualTo(1));
        Assert.That(read.Account, Is.EqualTo("a"));
        Assert.That(read.DefaultRegistry, Is.EqualTo("reg.example.com:5000"));
        Assert.That(read.AllowedRegistries, Is.EqualTo(PolicyList));
        Assert.That(read.UpdatedOn, Is.EqualTo(PolicyTime));
    }

    /// <summary>A null default registry and an empty allow-list are kept as such (Docker Hub, every registry allowed).</summary>
    /// <returns>A task.</returns>
    [Test]
    public async Task PolicyWithNoDefaultAndNoListRoundTrips()
    {
        var store = await NewPolicyStoreAsync().ConfigureAwait(false);
        await store.TrySetPolicyAsync(Policy("a", null), 0).ConfigureAwait(false);
        var read = await store.GetPolicyAsync("a").ConfigureAwait(false);
        Assert.That(read!.DefaultRegistry, Is.Null);
        Assert.That(read.AllowedRegistries, Is.Empty);
    }

    /// <summary>A policy is written only from the version the caller read; a stale write returns null and changes nothing.</summary>
    /// <returns>A task.</returns>
    [Test]
    public async Task PolicyIsWrittenOnlyFromTheExpectedVersion()
    {
        var store = await NewPolicyStoreAsync().ConfigureAwait(false);
        await store.TrySetPolicyAsync(Policy("a", "one.example.com", "one.example.com"), 0).ConfigureAwait(false);

        Assert.That(await store.TrySetPolicyAsync(Policy("a", "two.example.com"), 0).ConfigureAwait(false), Is.Null, "0 means none stored: stale");
        Assert.That(await store.TrySetPolicyAsync(Policy("a", "two.example.com"), 7).ConfigureAwait(false), Is.Null, "a version never stored");
        var unchanged = await store.GetPolicyAsync("a").ConfigureAwait(false);
        Assert.That(unchanged!.DefaultRegistry, Is.EqualTo("one.example.com"), "a refused write changes nothing");
        Assert.That(unchanged.AllowedRegistries, Is.EqualTo(PolicyOne));
        Assert.That(unchanged.Version, Is.EqualTo(1));

        var second = await store.TrySetPolicyAsync(Policy("a", "two.example.com"), 1).ConfigureAwait(false);
        Assert.That(second?.Version, Is.EqualTo(2));
        Assert.That((await store.GetPolicyAsync("a").ConfigureAwait(false))!.AllowedRegistries, Is.Empty);
    }

    /// <summary>Of many writers from one version, exactly one wins.</summary>
    /// <returns>A task.</returns>
    [Test]
    public async Task ConcurrentPolicyWritesFromOneVersionHaveOneWinner()
    {
        var store = await NewPolicyStoreAsync().ConfigureAwait(false);
        await store.TrySetPolicyAsync(Policy("a", null), 0).ConfigureAwait(false);
        var writes = Enumerable.Range(0, 8)
            .Select(i => Task.Run(async () => await store.TrySetPolicyAsync(Policy("a", $"r{i}.example.com"), 1).ConfigureAwait(false)))
            .ToArray();
        var results = await Task.WhenAll(writes).ConfigureAwait(false);

        var winner = results.Where(r => r is not null).ToArray();
        Assert.That(winner, Has.Length.EqualTo(1));
        var stored = await store.GetPolicyAsync("a").ConfigureAwait(false);
        Assert.That(stored!.Version, Is.EqualTo(2));
        Assert.That(stored.DefaultRegistry, Is.EqualTo(winner[0]!.DefaultRegistry));
    }

    /// <summary>Policies are kept per account and globally, listed by account (ordinal), and leave entries and key ids alone.</summary>
    /// <returns>A task.</returns>
    [Test]
    public async Task PoliciesAreKeptPerAccountBesideTheEntries()
    {
        var store = await NewPolicyStoreAsync().ConfigureAwait(false);
        await ((IRegistryStore)store).AddAsync(Record("reg.example.com", account: "a")).ConfigureAwait(false);
        var entries = await SnapshotAsync((IRegistryStore)store).ConfigureAwait(false);

        await store.TrySetPolicyAsync(Policy("b", "b.example.com"), 0).ConfigureAwait(false);
        await store.TrySetPolicyAsync(Policy(RegistryPolicy.GlobalAccount, "global.example.com"), 0).ConfigureAwait(false);
        await store.TrySetPolicyAsync(Policy("a", "a.example.com"), 0).ConfigureAwait(false);

        var all = await store.ListPoliciesAsync().ConfigureAwait(false);
        Assert.That(all.Select(p => p.Account), Is.EqualTo(PolicyAccountOrder));
        Assert.That(all.Select(p => p.DefaultRegistry), Is.EqualTo(PolicyDefaults));
        Assert.That(await store.GetPolicyAsync("c").ConfigureAwait(false), Is.Null, "no account inherits a row");
        Assert.That(await SnapshotAsync((IRegistryStore)store).ConfigureAwait(false), Is.EqualTo(entries), "entries unchanged");
        Assert.That(await ((IRegistryStore)store).GetKeyIdsAsync().ConfigureAwait(false), Is.Empty);
    }

    /// <summary>A policy change fires the store's watch token, as an entry change does; a refused one need not, and reading does not.</summary>
    /// <returns>A task.</returns>
    [Test]
    public async Task PolicyChangesFireTheWatchToken()
    {
        var store = await NewPolicyStoreAsync().ConfigureAwait(false);
        var token = ((IRegistryStore)store).Watch();
        await store.ListPoliciesAsync().ConfigureAwait(false);
        await store.GetPolicyAsync("a").ConfigureAwait(false);
        Assert.That(token.HasChanged, Is.False, "reading must not fire the token");
        await store.TrySetPolicyAsync(Policy("a", "a.example.com"), 0).ConfigureAwait(false);
        await WaitForAsync(token).ConfigureAwait(false);

        token = ((IRegistryStore)store).Watch();
        await store.TrySetPolicyAsync(Policy("a", "b.example.com"), 1).ConfigureAwait(false);
        await WaitForAsync(token).ConfigureAwait(false);
    }

    /// <summary>A policy changed through a second view of the same data fires the first view's token and is read there.</summary>
    /// <returns>A task.</returns>
    [Test]
    public async Task PolicyChangesThroughAnotherViewFireTheWatchToken()
    {
        var store = await NewPolicyStoreAsync().ConfigureAwait(false);
        var other = await OpenSecondViewAsync((IRegistryStore)store).ConfigureAwait(false);
        if (other is null)
        {
            Assert.Ignore("This store has no data shared between instances.");
        }

        _stores.Add(other);
        var token = ((IRegistryStore)store).Watch();
        await ((IRegistryPolicyStore)other).TrySetPolicyAsync(Policy("a", "a.example.com", "a.example.com"), 0).ConfigureAwait(false);
        await WaitForAsync(token).ConfigureAwait(false);
        Assert.That((await store.GetPolicyAsync("a").ConfigureAwait(false))?.DefaultRegistry, Is.EqualTo("a.example.com"));
    }

    /// <summary>
    /// Through the manager over this store: a field left out keeps its value, an explicit empty list clears the allow-list,
    /// a refused field stores nothing, and the resolver applies each change at once.
    /// </summary>
    /// <returns>A task.</returns>
    [Test]
    public async Task ManagerWritesArePartialAndTheResolverAppliesThem()
    {
        var store = (IRegistryStore)await NewPolicyStoreAsync().ConfigureAwait(false);
        var node = Node(store, AesGcmSecretProtector.GenerateKey());
        var policies = node.GetRequiredService<IRegistryPolicyManager>();
        var resolver = node.GetRequiredService<IRegistryCredentialResolver>();
        Assert.That(
            (await resolver.ResolveAsync(ImageReference.Parse("other.example.com/app")).ConfigureAwait(false)).Kind,
            Is.EqualTo(RegistryResolutionKind.Anonymous));

        await policies.UpdatePolicyAsync(new RegistryPolicyUpdate { AllowedRegistries = ["allowed.example.com"] }).ConfigureAwait(false);
        var denied = await resolver.ResolveAsync(ImageReference.Parse("other.example.com/app")).ConfigureAwait(false);
        Assert.That(denied.DenialReason, Is.EqualTo(RegistryDenialReason.RegistryNotAllowed), "applied before the call returned");

        var second = await policies.UpdatePolicyAsync(new RegistryPolicyUpdate { DefaultRegistry = "allowed.example.com" }).ConfigureAwait(false);
        Assert.That(second.AllowedRegistries, Is.EqualTo(PolicyAllowed), "an omitted allow-list is kept");
        var implicitImage = await resolver.ResolveAsync(ImageReference.Parse("ubuntu:22.04")).ConfigureAwait(false);
        Assert.That(implicitImage.Registry, Is.EqualTo("allowed.example.com"), "the default registry applies");

        var before = await ((IRegistryPolicyStore)store).GetPolicyAsync(RegistryAccounts.Default).ConfigureAwait(false);
        var badItem = Assert.ThrowsAsync<RegistryFieldException>(() => policies.UpdatePolicyAsync(
            new RegistryPolicyUpdate { DefaultRegistry = "fine.example.com", AllowedRegistries = ["ok.example.com", "https://bad.example.com/"] }));
        var badDefault = Assert.ThrowsAsync<RegistryFieldException>(
            () => policies.UpdatePolicyAsync(new RegistryPolicyUpdate { DefaultRegistry = "*.example.com" }));
        Assert.That(badItem!.Field, Is.EqualTo(nameof(RegistryPolicyUpdate.AllowedRegistries)));
        Assert.That(badDefault!.Field, Is.EqualTo(nameof(RegistryPolicyUpdate.DefaultRegistry)));
        var after = await ((IRegistryPolicyStore)store).GetPolicyAsync(RegistryAccounts.Default).ConfigureAwait(false);
        Assert.That(after!.Version, Is.EqualTo(before!.Version), "a refused update stores nothing");
        Assert.That(after.DefaultRegistry, Is.EqualTo("allowed.example.com"));
        Assert.That(after.AllowedRegistries, Is.EqualTo(PolicyAllowed));

        var cleared = await policies.UpdatePolicyAsync(new RegistryPolicyUpdate { AllowedRegistries = [] }).ConfigureAwait(false);
        Assert.That(cleared.AllowedRegistries, Is.Empty, "an explicit empty list clears");
        Assert.That(cleared.DefaultRegistry, Is.EqualTo("allowed.example.com"));
        Assert.That(
            (await resolver.ResolveAsync(ImageReference.Parse("other.example.com/app")).ConfigureAwait(false)).Kind,
            Is.EqualTo(RegistryResolutionKind.Anonymous));
    }

    /// <summary>An account's own policy wins over the global one, which wins over the options; other accounts are untouched.</summary>
    /// <returns>A task.</returns>
    [Test]
    public async Task AccountPolicyWinsOverTheGlobalOne()
    {
        var store = (IRegistryStore)await NewPolicyStoreAsync().ConfigureAwait(false);
        var node = Node(store, AesGcmSecretProtector.GenerateKey());
        var policies = node.GetRequiredService<IRegistryPolicyManager>();
        var resolver = node.GetRequiredService<IRegistryCredentialResolver>();

        await policies.UpdatePolicyAsync(new RegistryPolicyUpdate { DefaultRegistry = "global.example.com" }, RegistryPolicy.GlobalAccount)
            .ConfigureAwait(false);
        await policies.UpdatePolicyAsync(new RegistryPolicyUpdate { AllowedRegistries = ["own.example.com"] }, "team-a").ConfigureAwait(false);

        var teamA = await policies.GetPolicyAsync("team-a").ConfigureAwait(false);
        Assert.That(teamA.Account, Is.EqualTo("team-a"));
        Assert.That(teamA.DefaultRegistry, Is.EqualTo("global.example.com"), "started from the policy in force (the global one)");
        var teamB = await policies.GetPolicyAsync("team-b").ConfigureAwait(false);
        Assert.That(teamB.Account, Is.EqualTo(RegistryPolicy.GlobalAccount));
        Assert.That(teamB.AllowedRegistries, Is.Empty);

        var x = ImageReference.Parse("x.example.com/app");
        Assert.That((await resolver.ResolveAsync(x, "team-a").ConfigureAwait(false)).Kind, Is.EqualTo(RegistryResolutionKind.Denied));
        Assert.That((await resolver.ResolveAsync(x, "team-b").ConfigureAwait(false)).Kind, Is.EqualTo(RegistryResolutionKind.Anonymous));
        Assert.That((await resolver.ResolveAsync(ImageReference.Parse("nginx"), "team-b").ConfigureAwait(false)).Registry, Is.EqualTo("global.example.com"));
    }

    private static RegistryPolicy Policy(string account, string? defaultRegistry, params string[] allowed) => new()
    {
        Account = account,
        DefaultRegistry = defaultRegistry,
        AllowedRegistries = allowed,
        UpdatedOn = PolicyTime,
    };

    private async Task<IRegistryPolicyStore> NewPolicyStoreAsync()
    {
        var store = await NewStoreAsync().ConfigureAwait(false);
        if (store is not IRegistryPolicyStore policies)
        {
            Assert.Ignore($"{store.GetType().Name} keeps no policy (it does not implement {nameof(IRegistryPolicyStore)}).");
            throw new InvalidOperationException(); // not reached
        }

        return policies;
    }
}
