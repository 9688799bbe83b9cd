using RegistryCredentials.Tests.Support;

namespace RegistryCredentials.Tests;

/// <summary>
/// Issue 16: the resolver never waits for a rebuild. It answers from its index while the store's changes are read and
/// applied in the background (entry by entry from the change feed; whole for a store without one), the manager's own
/// writes are seen at once, and only a change left waiting longer than the staleness bound makes a resolve wait.
/// </summary>
public class ResolverIndexUpdateTests
{
    private static readonly ImageReference App = ImageReference.Parse("reg.example.com/team/app:1");

    [Test]
    public async Task A_resolve_answers_from_the_index_while_a_change_is_being_read()
    {
        var store = new GatedFeedStore(new InMemoryRegistryStore());
        using var host = Host(store);
        await host.AddAsync("reg.example.com", username: "first");
        Assert.That(Username(await host.Resolver.ResolveAsync(App)), Is.EqualTo("first"));

        store.Close();
        await ChangeBehindTheResolverAsync(store, "reg.example.com", "second");
        var pending = host.Resolver.ResolveAsync(App);

        Assert.That(pending.IsCompleted, Is.True, "answered at once, from the index, while the change waits at the gate");
        Assert.That(Username(await pending), Is.EqualTo("first"));
        store.Open();
        await host.Resolver.RefreshAsync();
        Assert.That(Username(await host.Resolver.ResolveAsync(App)), Is.EqualTo("second"));
    }

    [Test]
    public async Task After_start_changes_come_from_the_feed_and_every_entry_is_read_once()
    {
        var store = new GatedFeedStore(new InMemoryRegistryStore());
        using var host = Host(store);
        for (var i = 0; i < 20; i++)
        {
            await host.AddAsync($"r{i}.example.com");
        }

        await host.AddAsync("reg.example.com", username: "first");
        await host.Resolver.ResolveAsync(App);
        var lists = store.Lists; // the manager's first write lists too (it adopts the secret key)
        await ChangeBehindTheResolverAsync(store, "reg.example.com", "second");
        await store.Inner.DeleteAsync(RegistryAccounts.Default, RegistryScope.Parse("r3.example.com"));
        await host.Resolver.RefreshAsync();

        Assert.That(Username(await host.Resolver.ResolveAsync(App)), Is.EqualTo("second"));
        Assert.That((await host.Resolver.ResolveAsync(ImageReference.Parse("r3.example.com/x"))).Kind, Is.EqualTo(RegistryResolutionKind.Anonymous));
        Assert.That(Username(await host.Resolver.ResolveAsync(ImageReference.Parse("r4.example.com/x"))), Is.EqualTo("user"));
        Assert.That(store.Lists, Is.EqualTo(lists), "no full read after the one at start");
        Assert.That(store.FeedReads, Is.GreaterThanOrEqualTo(1));
    }

    [Test]
    public async Task A_gap_in_the_feed_reads_every_entry_again()
    {
        var store = new GatedFeedStore(new InMemoryRegistryStore());
        using var host = Host(store);
        await host.AddAsync("reg.example.com", username: "first");
        await host.Resolver.ResolveAsync(App);
        var lists = store.Lists;

        store.GapNext = true;
        await ChangeBehindTheResolverAsync(store, "reg.example.com", "second");
        await host.Resolver.RefreshAsync();

        Assert.That(Username(await host.Resolver.ResolveAsync(App)), Is.EqualTo("second"));
        Assert.That(store.Lists, Is.EqualTo(lists + 1), "the reload after the gap");
    }

    [Test]
    public async Task Refresh_with_reload_reads_every_entry_on_demand()
    {
        var store = new GatedFeedStore(new InMemoryRegistryStore());
        using var host = Host(store);
        await host.AddAsync("reg.example.com");
        await host.Resolver.ResolveAsync(App);
        var lists = store.Lists;

        await host.Resolver.RefreshAsync(reload: true);

        Assert.That(store.Lists, Is.EqualTo(lists + 1));
    }

    [Test]
    public async Task A_store_without_a_feed_is_read_whole_after_a_change_but_not_on_the_callers_path()
    {
        var store = new GatedStore(new InMemoryRegistryStore());
        using var host = Host(store);
        await host.AddAsync("reg.example.com", username: "first");
        await host.Resolver.ResolveAsync(App);
        var lists = store.Lists;

        store.Close();
        await ChangeBehindTheResolverAsync(store, "reg.example.com", "second");
        var pending = host.Resolver.ResolveAsync(App);
        Assert.That(pending.IsCompleted, Is.True);
        Assert.That(Username(await pending), Is.EqualTo("first"));

        store.Open();
        await host.Resolver.RefreshAsync();
        Assert.That(Username(await host.Resolver.ResolveAsync(App)), Is.EqualTo("second"));
        Assert.That(store.Lists, Is.GreaterThan(lists), "the fallback: a full read after a change");
    }

    [TestCase(true)]
    [TestCase(false)]
    public async Task The_managers_own_write_is_seen_by_the_next_resolve_even_while_the_store_cannot_be_read(bool withFeed)
    {
        var store = withFeed ? new GatedFeedStore(new InMemoryRegistryStore()) : new GatedStore(new InMemoryRegistryStore());
        using var host = Host(store);
        await host.AddAsync("reg.example.com", username: "first");
        await host.Resolver.ResolveAsync(App);

        store.Close(); // the background update cannot read: only the manager's own apply can make the change visible
        await host.Manager.UpdateAsync(new RegistryUpdateRequest { Scope = "reg.example.com", Username = "second", Validate = false });
        Assert.That(Username(await host.Resolver.ResolveAsync(App)), Is.EqualTo("second"));

        await host.Manager.DeactivateAsync(RegistryScope.Parse("reg.example.com"));
        Assert.That((await host.Resolver.ResolveAsync(App)).DenialReason, Is.EqualTo(RegistryDenialReason.EntryInactive));

        await host.Manager.DeleteAsync(RegistryScope.Parse("reg.example.com"));
        Assert.That((await host.Resolver.ResolveAsync(App)).Kind, Is.EqualTo(RegistryResolutionKind.Anonymous));

        await host.AddAsync("reg.example.com/team/*", username: "third");
        await host.AddAsync("*.example.com", username: "glob");
        Assert.That(Username(await host.Resolver.ResolveAsync(App)), Is.EqualTo("third"));
        Assert.That(Username(await host.Resolver.ResolveAsync(ImageReference.Parse("other.example.com/x"))), Is.EqualTo("glob"));
        store.Open();
        await host.Resolver.RefreshAsync();
        Assert.That(Username(await host.Resolver.ResolveAsync(App)), Is.EqualTo("third"), "the feed brings the same changes again: no change");
    }

    [Test]
    public async Task A_change_left_waiting_longer_than_the_staleness_bound_makes_the_resolve_wait_for_it()
    {
        var store = new GatedFeedStore(new InMemoryRegistryStore());
        using var host = Host(store, o => o.IndexStalenessBound = TimeSpan.FromSeconds(2));
        await host.AddAsync("reg.example.com", username: "first");
        await host.Resolver.ResolveAsync(App);

        store.Close();
        await ChangeBehindTheResolverAsync(store, "reg.example.com", "second");
        host.Time.Advance(TimeSpan.FromSeconds(1));
        var within = host.Resolver.ResolveAsync(App);
        Assert.That(within.IsCompleted, Is.True, "within the bound: answered from the index");
        Assert.That(Username(await within), Is.EqualTo("first"));

        host.Time.Advance(TimeSpan.FromSeconds(2));
        var beyond = host.Resolver.ResolveAsync(App).AsTask();
        Assert.That(beyond.IsCompleted, Is.False, "beyond the bound: waits for the update rather than answer from older data");
        store.Open();
        Assert.That(Username(await beyond), Is.EqualTo("second"));
    }

    [TestCase(0)]
    [TestCase(-5)]
    [TestCase(7200)]
    public void An_out_of_range_staleness_bound_is_refused_at_start(int seconds)
    {
        using var host = new TestHost(o => o.IndexStalenessBound = TimeSpan.FromSeconds(seconds));

        var error = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => _ = host.Resolver);
        Assert.That(error!.Message, Does.Contain(nameof(RegistryCredentialsOptions.IndexStalenessBound)));
    }

    [Test]
    public async Task An_infinite_staleness_bound_never_makes_a_resolve_wait()
    {
        var store = new GatedFeedStore(new InMemoryRegistryStore());
        using var host = Host(store, o => o.IndexStalenessBound = Timeout.InfiniteTimeSpan);
        await host.AddAsync("reg.example.com", username: "first");
        await host.Resolver.ResolveAsync(App);

        store.Close();
        await ChangeBehindTheResolverAsync(store, "reg.example.com", "second");
        host.Time.Advance(TimeSpan.FromDays(1));

        var pending = host.Resolver.ResolveAsync(App);
        Assert.That(pending.IsCompleted, Is.True);
        store.Open();
    }

    private static TestHost Host(GatedStore store, Action<RegistryCredentialsOptions>? configure = null) =>
        new(configure, b => b.UseStore(store));

    private static string? Username(RegistryResolution resolution) => resolution.Entry?.Username;

    /// <summary>Changes an entry straight in the store, as another process would: the resolver hears of it only by the store's signal.</summary>
    private static async Task ChangeBehindTheResolverAsync(GatedStore store, string scope, string username)
    {
        var current = (await store.Inner.GetAsync(RegistryAccounts.Default, RegistryScope.Parse(scope)))!;
        await store.Inner.UpdateAsync(
            new RegistryRecord(current.Entry with { Username = username }, current.ProtectedSecret),
            current.Entry.Version);
    }
}
