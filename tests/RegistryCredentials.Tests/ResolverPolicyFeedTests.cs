using Microsoft.Extensions.DependencyInjection;
using RegistryCredentials.Tests.Support;

namespace RegistryCredentials.Tests;

/// <summary>
/// Issue 16, policies in the change feed: after start the resolver takes policy changes from the store's feed (no read of
/// the policy table, no full reload), the policy manager's own write is in force before it returns even while the store
/// cannot be read, and a store whose feed leaves policies out keeps working by reading the policy table again.
/// </summary>
public class ResolverPolicyFeedTests
{
    private static readonly DateTimeOffset Time = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly string[] OnlyAllowed = ["allowed.example.com"];

    [Test]
    public async Task A_policy_changed_behind_the_resolver_comes_from_the_feed_without_reading_the_policy_table()
    {
        var store = new GatedPolicyFeedStore(new InMemoryRegistryStore());
        using var host = Host(store);
        Assert.That((await host.Resolver.ResolveAsync("ubuntu")).Registry, Is.EqualTo("docker.io"));
        var (lists, policyLists) = (store.Lists, store.PolicyLists);

        await SetBehindTheResolverAsync(store, RegistryAccounts.Default, "reg.example.com");
        await host.Resolver.RefreshAsync();
        Assert.That((await host.Resolver.ResolveAsync("ubuntu")).Registry, Is.EqualTo("reg.example.com"));

        await SetBehindTheResolverAsync(store, RegistryPolicy.GlobalAccount, null, OnlyAllowed);
        await SetBehindTheResolverAsync(store, RegistryAccounts.Default, null, OnlyAllowed);
        await host.Resolver.RefreshAsync();
        var denied = await host.Resolver.ResolveAsync("other.example.com/app");
        Assert.That(denied.DenialReason, Is.EqualTo(RegistryDenialReason.RegistryNotAllowed));
        Assert.That((await host.Resolver.ResolveAsync("ubuntu")).Registry, Is.EqualTo("docker.io"), "the account's new policy has no default");

        Assert.That((store.Lists, store.PolicyLists), Is.EqualTo((lists, policyLists)), "no full read, no read of the policy table");
        Assert.That(store.FeedReads, Is.GreaterThanOrEqualTo(1));
    }

    [Test]
    public async Task The_policy_managers_own_write_is_in_force_before_it_returns_even_while_the_store_cannot_be_read()
    {
        var store = new GatedPolicyFeedStore(new InMemoryRegistryStore());
        using var host = Host(store);
        var policies = host.Services.GetRequiredService<IRegistryPolicyManager>();
        await host.Resolver.ResolveAsync("ubuntu");

        store.Close(); // the background update cannot read: only the manager's own apply can put the policy in force
        await policies.UpdatePolicyAsync(new RegistryPolicyUpdate { DefaultRegistry = "mine.example.com" });
        Assert.That((await host.Resolver.ResolveAsync("ubuntu")).Registry, Is.EqualTo("mine.example.com"));
        await policies.UpdatePolicyAsync(new RegistryPolicyUpdate { AllowedRegistries = OnlyAllowed });
        Assert.That((await host.Resolver.ResolveAsync("x.example.com/app")).DenialReason, Is.EqualTo(RegistryDenialReason.RegistryNotAllowed));

        store.Open();
        await host.Resolver.RefreshAsync();
        Assert.That((await host.Resolver.ResolveAsync("ubuntu")).Registry, Is.EqualTo("mine.example.com"), "the feed brings the same writes again");
        Assert.That((await host.Resolver.ResolveAsync("x.example.com/app")).DenialReason, Is.EqualTo(RegistryDenialReason.RegistryNotAllowed));
    }

    [Test]
    public async Task A_policy_change_that_overtook_the_managers_own_write_is_not_undone_by_it()
    {
        var store = new GatedPolicyFeedStore(new InMemoryRegistryStore());
        using var host = Host(store);
        var policies = host.Services.GetRequiredService<IRegistryPolicyManager>();
        await host.Resolver.ResolveAsync("ubuntu");
        await policies.UpdatePolicyAsync(new RegistryPolicyUpdate { DefaultRegistry = "mine.example.com" });

        await SetBehindTheResolverAsync(store, RegistryAccounts.Default, "theirs.example.com");
        await host.Resolver.RefreshAsync();
        Assert.That((await host.Resolver.ResolveAsync("ubuntu")).Registry, Is.EqualTo("theirs.example.com"));

        await host.Resolver.RefreshAsync(reload: true);
        Assert.That((await host.Resolver.ResolveAsync("ubuntu")).Registry, Is.EqualTo("theirs.example.com"));
    }

    [Test]
    public async Task A_gap_in_the_feed_reads_the_policies_again_with_the_entries()
    {
        var store = new GatedPolicyFeedStore(new InMemoryRegistryStore());
        using var host = Host(store);
        await host.Resolver.ResolveAsync("ubuntu");
        var (lists, policyLists) = (store.Lists, store.PolicyLists);

        store.GapNext = true;
        await SetBehindTheResolverAsync(store, RegistryAccounts.Default, "reg.example.com");
        await host.Resolver.RefreshAsync();

        Assert.That((await host.Resolver.ResolveAsync("ubuntu")).Registry, Is.EqualTo("reg.example.com"));
        Assert.That((store.Lists, store.PolicyLists), Is.EqualTo((lists + 1, policyLists + 1)));
    }

    [Test]
    public async Task A_store_whose_feed_leaves_policies_out_has_its_policy_table_read_again_after_each_change()
    {
        var store = new GatedPolicyFeedStore(new InMemoryRegistryStore(), policiesInFeed: false);
        using var host = Host(store);
        var policies = host.Services.GetRequiredService<IRegistryPolicyManager>();
        await host.Resolver.ResolveAsync("ubuntu");
        var (lists, policyLists) = (store.Lists, store.PolicyLists);

        await SetBehindTheResolverAsync(store, RegistryAccounts.Default, "reg.example.com");
        await host.Resolver.RefreshAsync();
        Assert.That((await host.Resolver.ResolveAsync("ubuntu")).Registry, Is.EqualTo("reg.example.com"));
        await policies.UpdatePolicyAsync(new RegistryPolicyUpdate { DefaultRegistry = "mine.example.com" });
        Assert.That((await host.Resolver.ResolveAsync("ubuntu")).Registry, Is.EqualTo("mine.example.com"), "read-your-writes by a read of the table");

        Assert.That(store.Lists, Is.EqualTo(lists), "entries still come from the feed");
        Assert.That(store.PolicyLists, Is.GreaterThanOrEqualTo(policyLists + 2), "the fallback: the policy table read again");
    }

    private static TestHost Host(GatedStore store) => new(null, b => b.UseStore(store));

    /// <summary>Writes a policy straight in the store, as another process would: the resolver hears of it only by the store's signal.</summary>
    private static async Task SetBehindTheResolverAsync(GatedPolicyFeedStore store, string account, string? defaultRegistry, params string[] allowed)
    {
        var current = await store.Inner.GetPolicyAsync(account);
        var policy = new RegistryPolicy { Account = account, DefaultRegistry = defaultRegistry, AllowedRegistries = allowed, UpdatedOn = Time };
        Assert.That(await store.Inner.TrySetPolicyAsync(policy, current?.Version ?? 0), Is.Not.Null);
    }
}
