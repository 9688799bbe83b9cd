using NUnit.Framework;

namespace RegistryCredentials.Testing;

/// <summary>The change feed (<see cref="IRegistryChangeFeed"/>): skipped for a store that has none (the resolver then reloads).</summary>
public abstract partial class RegistryStoreConformanceTests
{
    /// <summary>
    /// Makes <paramref name="store"/>'s feed forget the changes up to <paramref name="revision"/> at least, as its trimming
    /// would (by age or count), so that a reader asking for changes after an earlier revision gets a gap. Returns false
    /// (the default) when the store cannot be made to; the gap test is then skipped.
    /// </summary>
    /// <param name="store">A store from <see cref="CreateStoreAsync"/> with a feed.</param>
    /// <param name="revision">The revision up to which the changes are to be forgotten.</param>
    /// <returns>True when the store forgot them.</returns>
    protected virtual Task<bool> ForgetChangesAsync(IRegistryStore store, long revision) => Task.FromResult(false);

    /// <summary>Every change gets the next revision; the feed gives each changed entry once, as it now is, in revision order.</summary>
    /// <returns>A task.</returns>
    [Test]
    public async Task FeedNumbersEveryChangeAndGivesEachEntryAsItNowIs()
    {
        var (store, feed) = await NewFeedStoreAsync().ConfigureAwait(false);
        var start = await feed.GetRevisionAsync().ConfigureAwait(false);
        await store.AddAsync(Record("a.example.com")).ConfigureAwait(false);
        Assert.That(await feed.GetRevisionAsync().ConfigureAwait(false), Is.EqualTo(start + 1));
        await store.AddAsync(Record("b.example.com")).ConfigureAwait(false);
        await store.UpdateAsync(Record("a.example.com", username: "second"), 1).ConfigureAwait(false);
        await store.DeleteAsync(RegistryAccounts.Default, RegistryScope.Parse("b.example.com")).ConfigureAwait(false);
        await store.AddAsync(Record("c.example.com", account: "other")).ConfigureAwait(false);

        // Refused writes are not changes.
        Assert.ThrowsAsync<RegistryConflictException>(async () => await store.AddAsync(Record("a.example.com")).ConfigureAwait(false));
        Assert.ThrowsAsync<RegistryConcurrencyException>(async () => await store.UpdateAsync(Record("a.example.com"), 1).ConfigureAwait(false));
        Assert.That(await store.DeleteAsync(RegistryAccounts.Default, RegistryScope.Parse("gone.example.com")).ConfigureAwait(false), Is.False);

        var set = await feed.GetChangesAsync(start).ConfigureAwait(false);
        Assert.That(set.IsGap, Is.False);
        Assert.That(set.Revision, Is.EqualTo(start + 5));
        Assert.That(set.Changes.Select(c => (c.Revision - start, c.Account, c.Scope.Value, c.Record?.Entry.Version, c.Record?.Entry.Username)), Is.EqualTo(new[]
        {
            (3L, RegistryAccounts.Default, "a.example.com", (long?)2L, (string?)"second"),
            (4L, RegistryAccounts.Default, "b.example.com", null, null),
            (5L, "other", "c.example.com", 1L, "user"),
        }));

        var later = await feed.GetChangesAsync(start + 4).ConfigureAwait(false);
        Assert.That(later.Changes.Select(c => c.Scope.Value).Single(), Is.EqualTo("c.example.com"));
        var none = await feed.GetChangesAsync(start + 5).ConfigureAwait(false);
        Assert.That((none.IsGap, none.Changes.Count, none.Revision), Is.EqualTo((false, 0, start + 5)));
        Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await feed.GetChangesAsync(-1).ConfigureAwait(false));
        Assert.That(await feed.GetRevisionAsync().ConfigureAwait(false), Is.EqualTo(start + 5), "a refused call changes nothing");
    }

    /// <summary>
    /// Several writers at once (their own entries and one they contend for) while a reader follows the feed: the reader's
    /// copy ends equal to the store, no revision is skipped or repeated, and the feed's revisions only rise.
    /// </summary>
    /// <returns>A task.</returns>
    [Test]
    public async Task FeedLosesNoChangeAcrossConcurrentWriters()
    {
        var (store, feed) = await NewFeedStoreAsync().ConfigureAwait(false);
        var start = await feed.GetRevisionAsync().ConfigureAwait(false);
        await store.AddAsync(Record("shared.example.com")).ConfigureAwait(false);
        var copy = new Dictionary<(string, string), RegistryRecord>();
        var seen = start;
        var applied = start;
        using var done = new CancellationTokenSource();

        async Task FollowAsync()
        {
            var set = await feed.GetChangesAsync(applied).ConfigureAwait(false);
            Assert.That(set.IsGap, Is.False, "no gap while following closely");
            Assert.That(set.Revision, Is.GreaterThanOrEqualTo(seen), "the feed's revision never goes back");
            foreach (var change in set.Changes)
            {
                Assert.That(change.Revision, Is.GreaterThan(applied).And.LessThanOrEqualTo(set.Revision));
                if (change.Record is null)
                {
                    copy.Remove((change.Account, change.Scope.Value));
                }
                else
                {
                    copy[(change.Account, change.Scope.Value)] = change.Record;
                }
            }

            seen = applied = set.Revision;
        }

        var reader = Task.Run(async () =>
        {
            while (!done.IsCancellationRequested)
            {
                await FollowAsync().ConfigureAwait(false);
                await Task.Delay(2, CancellationToken.None).ConfigureAwait(false);
            }
        });

        var writes = 1;
        var writers = Enumerable.Range(0, 6).Select(w => Task.Run(async () =>
        {
            var count = 0;
            for (var k = 0; k < 12; k++)
            {
                var scope = $"w{w}-{k}.example.com";
                await store.AddAsync(Record(scope, account: k % 3 == 0 ? "other" : RegistryAccounts.Default)).ConfigureAwait(false);
                count++;
                await store.UpdateAsync(Record(scope, account: k % 3 == 0 ? "other" : RegistryAccounts.Default, username: "u" + k), 1).ConfigureAwait(false);
                count++;
                if (k % 4 == 1)
                {
                    await store.DeleteAsync(k % 3 == 0 ? "other" : RegistryAccounts.Default, RegistryScope.Parse(scope), 2).ConfigureAwait(false);
                    count++;
                }

                var shared = await store.GetAsync(RegistryAccounts.Default, RegistryScope.Parse("shared.example.com")).ConfigureAwait(false);
                try
                {
                    await store.UpdateAsync(Record("shared.example.com", username: $"w{w}"), shared!.Entry.Version).ConfigureAwait(false);
                    count++;
                }
                catch (RegistryConcurrencyException)
                {
                    // Another writer got there first: not a change.
                }
            }

            Interlocked.Add(ref writes, count);
        })).ToList();
        await Task.WhenAll(writers).ConfigureAwait(false);
        await done.CancelAsync().ConfigureAwait(false);
        await reader.ConfigureAwait(false);
        await FollowAsync().ConfigureAwait(false);

        Assert.That(await feed.GetRevisionAsync().ConfigureAwait(false) - start, Is.EqualTo(writes), "one revision per committed change, none skipped");
        var stored = await store.ListAsync(null).ConfigureAwait(false);
        Assert.That(copy.Values.Select(Describe).Order(StringComparer.Ordinal), Is.EqualTo(stored.Select(Describe).Order(StringComparer.Ordinal)));
    }

    /// <summary>A reader that asks for changes after a revision the store has not reached (its data was replaced) gets a gap.</summary>
    /// <returns>A task.</returns>
    [Test]
    public async Task FeedReportsAGapForARevisionAheadOfTheStore()
    {
        var (store, feed) = await NewFeedStoreAsync().ConfigureAwait(false);
        await store.AddAsync(Record("a.example.com")).ConfigureAwait(false);
        var revision = await feed.GetRevisionAsync().ConfigureAwait(false);

        var set = await feed.GetChangesAsync(revision + 10).ConfigureAwait(false);

        Assert.That((set.IsGap, set.Changes.Count, set.Revision), Is.EqualTo((true, 0, revision)));
    }

    /// <summary>A reader further behind than the changes the store keeps gets a gap, never a partial list.</summary>
    /// <returns>A task.</returns>
    [Test]
    public async Task FeedReportsAGapAfterItsChangesWereTrimmed()
    {
        var (store, feed) = await NewFeedStoreAsync().ConfigureAwait(false);
        var start = await feed.GetRevisionAsync().ConfigureAwait(false);
        await store.AddAsync(Record("a.example.com")).ConfigureAwait(false);
        await store.AddAsync(Record("b.example.com")).ConfigureAwait(false);
        await store.AddAsync(Record("c.example.com")).ConfigureAwait(false);
        if (!await ForgetChangesAsync(store, start + 2).ConfigureAwait(false))
        {
            Assert.Ignore("The store cannot be made to forget changes in a test (override ForgetChangesAsync).");
        }

        var behind = await feed.GetChangesAsync(start).ConfigureAwait(false);
        var current = await feed.GetRevisionAsync().ConfigureAwait(false);
        var caughtUp = await feed.GetChangesAsync(current).ConfigureAwait(false);

        Assert.That((behind.IsGap, behind.Changes.Count), Is.EqualTo((true, 0)));
        Assert.That(behind.Revision, Is.GreaterThanOrEqualTo(start + 3));
        Assert.That((caughtUp.IsGap, caughtUp.Changes.Count), Is.EqualTo((false, 0)));
    }

    private static string Describe(RegistryRecord record) =>
        $"{record.Entry.Account}|{record.Entry.Scope}|{record.Entry.Version}|{record.Entry.Username}|{Convert.ToBase64String(record.ProtectedSecret.Span)}";

    private async Task<(IRegistryStore Store, IRegistryChangeFeed Feed)> NewFeedStoreAsync()
    {
        var store = await NewStoreAsync().ConfigureAwait(false);
        if (store is not IRegistryChangeFeed feed)
        {
            Assert.Ignore("The store has no change feed (IRegistryChangeFeed); resolvers reload it whole after each change.");
            throw new InvalidOperationException(); // not reached
        }

        return (store, feed);
    }
}
