namespace RegistryCredentials.Tests;

public class InMemoryRegistryStoreTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 8, 0, 0, TimeSpan.Zero);
    private InMemoryRegistryStore _store = null!;

    [SetUp]
    public void SetUp() => _store = new InMemoryRegistryStore();

    [TearDown]
    public void TearDown() => _store.Dispose();

    private static RegistryRecord Record(string scope, string account = RegistryAccounts.Default, string user = "u", long version = 0) => new(
        new RegistryEntry
        {
            Account = account, Scope = RegistryScope.Parse(scope), Name = scope, Type = RegistryType.DockerV2, Username = user,
            CreatedOn = Now, UpdatedOn = Now, Version = version,
        },
        new byte[] { 1, 2, 3 });

    [Test]
    public async Task Add_assigns_version_one_and_refuses_duplicates()
    {
        var stored = await _store.AddAsync(Record("a.io", version: 42));
        Assert.That(stored.Entry.Version, Is.EqualTo(1));
        var error = Assert.ThrowsAsync<RegistryConflictException>(async () => await _store.AddAsync(Record("a.io/*", user: "other")));
        Assert.That(error, Is.Not.InstanceOf<RegistryConcurrencyException>());
        Assert.That((await _store.GetAsync(RegistryAccounts.Default, RegistryScope.Parse("a.io")))!.Entry.Username, Is.EqualTo("u"));
    }

    [Test]
    public async Task Update_needs_the_expected_version()
    {
        await _store.AddAsync(Record("a.io"));
        var updated = await _store.UpdateAsync(Record("a.io", user: "v2"), 1);
        Assert.That(updated.Entry.Version, Is.EqualTo(2));
        Assert.ThrowsAsync<RegistryConcurrencyException>(async () => await _store.UpdateAsync(Record("a.io", user: "stale"), 1));
        Assert.ThrowsAsync<RegistryNotFoundException>(async () => await _store.UpdateAsync(Record("b.io"), 1));
        Assert.That((await _store.GetAsync(RegistryAccounts.Default, RegistryScope.Parse("a.io")))!.Entry.Username, Is.EqualTo("v2"));
    }

    [Test]
    public async Task Delete_honours_the_expected_version_and_reports_absence()
    {
        await _store.AddAsync(Record("a.io"));
        Assert.ThrowsAsync<RegistryConcurrencyException>(async () => await _store.DeleteAsync(RegistryAccounts.Default, RegistryScope.Parse("a.io"), 5));
        Assert.That(_store.Count, Is.EqualTo(1));
        Assert.That(await _store.DeleteAsync(RegistryAccounts.Default, RegistryScope.Parse("a.io"), 1), Is.True);
        Assert.That(await _store.DeleteAsync(RegistryAccounts.Default, RegistryScope.Parse("a.io")), Is.False);
    }

    [Test]
    public async Task List_orders_by_account_then_scope_and_filters_by_account()
    {
        await _store.AddAsync(Record("z.io", "b"));
        await _store.AddAsync(Record("b.io", "a"));
        await _store.AddAsync(Record("a.io/x", "a"));
        await _store.AddAsync(Record("a.io", "a"));

        var all = await _store.ListAsync(null);
        Assert.That(all.Select(r => r.Entry.Account + ":" + r.Entry.Scope), Is.EqualTo(new[] { "a:a.io", "a:a.io/x", "a:b.io", "b:z.io" }));
        Assert.That((await _store.ListAsync("b")).Select(r => r.Entry.Scope.Value), Is.EqualTo(new[] { "z.io" }));
        Assert.That(await _store.ListAsync("nobody"), Is.Empty);
    }

    [Test]
    public async Task Every_change_fires_the_watch_token_and_reads_do_not()
    {
        var token = _store.Watch();
        await _store.ListAsync(null);
        Assert.That(token.HasChanged, Is.False);

        var fired = 0;
        using var registration = token.RegisterChangeCallback(_ => Interlocked.Increment(ref fired), null);
        await _store.AddAsync(Record("a.io"));
        Assert.That(token.HasChanged, Is.True);
        Assert.That(fired, Is.EqualTo(1));

        foreach (var change in new Func<Task>[]
        {
            async () => await _store.UpdateAsync(Record("a.io"), 1),
            async () => await _store.DeleteAsync(RegistryAccounts.Default, RegistryScope.Parse("a.io")),
        })
        {
            var next = _store.Watch();
            Assert.That(next.HasChanged, Is.False);
            await change();
            Assert.That(next.HasChanged, Is.True);
        }
    }

    [Test]
    public async Task Concurrent_adds_of_one_scope_exactly_one_wins()
    {
        var attempts = Enumerable.Range(0, 16).Select(i => Task.Run(async () =>
        {
            try
            {
                await _store.AddAsync(Record("race.io", user: "u" + i));
                return true;
            }
            catch (RegistryConflictException)
            {
                return false;
            }
        }));
        var results = await Task.WhenAll(attempts);
        Assert.That(results.Count(r => r), Is.EqualTo(1));
        Assert.That(_store.Count, Is.EqualTo(1));
    }

    [Test]
    public void Cancelled_calls_throw_and_change_nothing()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.ThrowsAsync<OperationCanceledException>(async () => await _store.AddAsync(Record("a.io"), cancelled.Token));
        Assert.That(_store.Count, Is.Zero);
    }

    [Test]
    public async Task Disposal_closes_the_change_signal_and_keeps_the_records()
    {
        await _store.AddAsync(Record("a.io"));
        var before = _store.Watch();

        _store.Dispose();

        // RegistryChangeSignal's rule: after disposal nothing fires and nothing throws.
        var after = _store.Watch();
        var updated = await _store.UpdateAsync(Record("a.io", user: "v2"), 1);
        Assert.That(updated.Entry.Version, Is.EqualTo(2));
        Assert.That(before.HasChanged, Is.False);
        Assert.That(after.HasChanged, Is.False);
        Assert.That((await _store.GetAsync(RegistryAccounts.Default, RegistryScope.Parse("a.io")))!.Entry.Username, Is.EqualTo("v2"));
    }
}
