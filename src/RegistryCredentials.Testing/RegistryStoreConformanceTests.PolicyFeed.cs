using NUnit.Framework;

namespace RegistryCredentials.Testing;

/// <summary>
/// Policy writes in the change feed (<see cref="IRegistryChangeFeed.IncludesPolicyChanges"/>): skipped for a store that keeps
/// no policy or whose feed leaves policy writes out (the resolver then reads the policy table again after each change).
/// </summary>
public abstract partial class RegistryStoreConformanceTests
{
    private static readonly string[] PolicyFeedAllowed = ["allowed.example.com", "*.example.org"];
    private static readonly string[] PolicyFeedOne = ["one.example.com"];
    private static readonly string[] PolicyFeedThree = ["three.example.com"];

    /// <summary>
    /// A policy write takes the next revision of the same counter as entry writes, in order with them; the set gives each
    /// changed account's policy once, as it now is, beside the entry changes, and refused policy writes are not changes.
    /// </summary>
    /// <returns>A task.</returns>
    [Test]
    public async Task FeedNumbersPolicyWritesInOrderWithEntryWrites()
    {
        var (store, feed, policies) = await NewPolicyFeedStoreAsync().ConfigureAwait(false);
        var start = await feed.GetRevisionAsync().ConfigureAwait(false);
        await store.AddAsync(Record("a.example.com")).ConfigureAwait(false);
        await policies.TrySetPolicyAsync(Policy("a", "one.example.com"), 0).ConfigureAwait(false);
        Assert.That(await feed.GetRevisionAsync().ConfigureAwait(false), Is.EqualTo(start + 2), "a policy write takes a revision");
        await store.UpdateAsync(Record("a.example.com", username: "second"), 1).ConfigureAwait(false);
        await policies.TrySetPolicyAsync(Policy(RegistryPolicy.GlobalAccount, null, PolicyFeedAllowed), 0).ConfigureAwait(false);
        await policies.TrySetPolicyAsync(Policy("a", "two.example.com"), 1).ConfigureAwait(false);

        // Refused policy writes are not changes.
        Assert.That(await policies.TrySetPolicyAsync(Policy("a", "three.example.com"), 1).ConfigureAwait(false), Is.Null);
        Assert.That(await policies.TrySetPolicyAsync(Policy(RegistryPolicy.GlobalAccount, "x.example.com"), 0).ConfigureAwait(false), Is.Null);
        Assert.That(await feed.GetRevisionAsync().ConfigureAwait(false), Is.EqualTo(start + 5), "refused writes take no revision");

        var set = await feed.GetChangesAsync(start).ConfigureAwait(false);
        Assert.That(set.IsGap, Is.False);
        Assert.That(set.Revision, Is.EqualTo(start + 5));
        Assert.That(set.Changes.Select(c => (c.Revision - start, c.Scope.Value, c.Record?.Entry.Version)), Is.EqualTo(new[]
        {
            (3L, "a.example.com", (long?)2L),
        }));
        Assert.That(set.PolicyChanges.Select(c => (c.Revision - start, c.Account, c.Policy?.Version, c.Policy?.DefaultRegistry)), Is.EqualTo(new[]
        {
            (4L, RegistryPolicy.GlobalAccount, (long?)1L, (string?)null),
            (5L, "a", 2L, "two.example.com"),
        }));
        Assert.That(set.PolicyChanges[0].Policy!.AllowedRegistries, Is.EqualTo(PolicyFeedAllowed));
        Assert.That(set.PolicyChanges[1].Policy!.AllowedRegistries, Is.Empty);

        var afterEntry = await feed.GetChangesAsync(start + 3).ConfigureAwait(false);
        Assert.That(afterEntry.Changes, Is.Empty);
        Assert.That(afterEntry.PolicyChanges.Select(c => c.Account), Is.EqualTo(new[] { RegistryPolicy.GlobalAccount, "a" }));
        var afterAll = await feed.GetChangesAsync(start + 5).ConfigureAwait(false);
        Assert.That((afterAll.IsGap, afterAll.Changes.Count, afterAll.PolicyChanges.Count), Is.EqualTo((false, 0, 0)));
    }

    /// <summary>
    /// The policy in a set is the one at the set's revision: a set read between two writes holds the first, a later one the
    /// second, with the revision of the second write.
    /// </summary>
    /// <returns>A task.</returns>
    [Test]
    public async Task FeedGivesThePolicyAsItIsAtTheSetsRevision()
    {
        var (_, feed, policies) = await NewPolicyFeedStoreAsync().ConfigureAwait(false);
        var start = await feed.GetRevisionAsync().ConfigureAwait(false);
        await policies.TrySetPolicyAsync(Policy("b", "one.example.com", "one.example.com"), 0).ConfigureAwait(false);
        var first = await feed.GetChangesAsync(start).ConfigureAwait(false);
        await policies.TrySetPolicyAsync(Policy("b", "two.example.com"), 1).ConfigureAwait(false);
        await policies.TrySetPolicyAsync(Policy("b", null, "three.example.com"), 2).ConfigureAwait(false);
        var last = await feed.GetChangesAsync(start).ConfigureAwait(false);

        var one = first.PolicyChanges.Single();
        Assert.That((one.Revision, first.Revision, one.Account, one.IsRemoval), Is.EqualTo((start + 1, start + 1, "b", false)));
        Assert.That((one.Policy!.Version, one.Policy.DefaultRegistry), Is.EqualTo((1L, "one.example.com")));
        Assert.That(one.Policy.AllowedRegistries, Is.EqualTo(PolicyFeedOne));
        var three = last.PolicyChanges.Single();
        Assert.That((three.Revision, last.Revision), Is.EqualTo((start + 3, start + 3)));
        Assert.That((three.Policy!.Version, three.Policy.DefaultRegistry), Is.EqualTo((3L, (string?)null)));
        Assert.That(three.Policy.AllowedRegistries, Is.EqualTo(PolicyFeedThree));
        Assert.That(three.Policy.UpdatedOn, Is.EqualTo(PolicyTime));
        Assert.That(last.Changes, Is.Empty);
    }

    /// <summary>
    /// Entry writers and policy writers at once (their own rows and a global policy they contend for) while a reader follows
    /// the feed: one revision per committed write of either kind, and the reader's copy ends equal to the store's entries
    /// and policies.
    /// </summary>
    /// <returns>A task.</returns>
    [Test]
    public async Task FeedLosesNoChangeAcrossInterleavedEntryAndPolicyWriters()
    {
        var (store, feed, policies) = await NewPolicyFeedStoreAsync().ConfigureAwait(false);
        var start = await feed.GetRevisionAsync().ConfigureAwait(false);
        var entries = new Dictionary<(string, string), RegistryRecord>();
        var copy = new Dictionary<string, RegistryPolicy>(StringComparer.Ordinal);
        var applied = start;
        using var done = new CancellationTokenSource();

        async Task FollowAsync()
        {
            var set = await feed.GetChangesAsync(applied).ConfigureAwait(false);
            Assert.That(set.IsGap, Is.False, "no gap while following closely");
            Assert.That(set.Revision, Is.GreaterThanOrEqualTo(applied), "the feed's revision never goes back");
            foreach (var change in set.Changes)
            {
                Assert.That(change.Revision, Is.GreaterThan(applied).And.LessThanOrEqualTo(set.Revision));
                if (change.Record is null)
                {
                    entries.Remove((change.Account, change.Scope.Value));
                }
                else
                {
                    entries[(change.Account, change.Scope.Value)] = change.Record;
                }
            }

            foreach (var change in set.PolicyChanges)
            {
                Assert.That(change.Revision, Is.GreaterThan(applied).And.LessThanOrEqualTo(set.Revision));
                if (change.Policy is null)
                {
                    copy.Remove(change.Account);
                }
                else
                {
                    copy[change.Account] = change.Policy;
                }
            }

            applied = set.Revision;
        }

        var reader = Task.Run(async () =>
        {
            while (!done.IsCancellationRequested)
            {
                await FollowAsync().ConfigureAwait(false);
                await Task.Delay(2, CancellationToken.None).ConfigureAwait(false);
            }
        });

        var writes = 0;
        var entryWriters = Enumerable.Range(0, 3).Select(w => Task.Run(async () =>
        {
            var count = 0;
            for (var k = 0; k < 10; k++)
            {
                var scope = $"p{w}-{k}.example.com";
                await store.AddAsync(Record(scope)).ConfigureAwait(false);
                await store.UpdateAsync(Record(scope, username: "u" + k), 1).ConfigureAwait(false);
                count += 2;
                if (k % 3 == 1)
                {
                    await store.DeleteAsync(RegistryAccounts.Default, RegistryScope.Parse(scope), 2).ConfigureAwait(false);
                    count++;
                }
            }

            Interlocked.Add(ref writes, count);
        }));
        var policyWriters = Enumerable.Range(0, 3).Select(w => Task.Run(async () =>
        {
            var count = 0;
            var account = $"policy{w}";
            for (var k = 0; k < 10; k++)
            {
                if (await policies.TrySetPolicyAsync(Policy(account, $"r{k}.example.com", $"w{w}k{k}.example.com"), k).ConfigureAwait(false) is not null)
                {
                    count++;
                }

                var global = await policies.GetPolicyAsync(RegistryPolicy.GlobalAccount).ConfigureAwait(false);
                if (await policies.TrySetPolicyAsync(Policy(RegistryPolicy.GlobalAccount, $"g{w}k{k}.example.com"), global?.Version ?? 0)
                    .ConfigureAwait(false) is not null)
                {
                    count++; // else another writer got there first: not a change
                }
            }

            Interlocked.Add(ref writes, count);
        }));
        await Task.WhenAll(entryWriters.Concat(policyWriters)).ConfigureAwait(false);
        await done.CancelAsync().ConfigureAwait(false);
        await reader.ConfigureAwait(false);
        await FollowAsync().ConfigureAwait(false);

        Assert.That(await feed.GetRevisionAsync().ConfigureAwait(false) - start, Is.EqualTo(writes), "one revision per committed write, none skipped");
        var stored = await store.ListAsync(null).ConfigureAwait(false);
        Assert.That(entries.Values.Select(Describe).Order(StringComparer.Ordinal), Is.EqualTo(stored.Select(Describe).Order(StringComparer.Ordinal)));
        var storedPolicies = await policies.ListPoliciesAsync().ConfigureAwait(false);
        Assert.That(
            copy.Values.Select(DescribePolicy).Order(StringComparer.Ordinal),
            Is.EqualTo(storedPolicies.Select(DescribePolicy).Order(StringComparer.Ordinal)));
        Assert.That(storedPolicies.Single(p => p.Account == "policy0").Version, Is.EqualTo(10));
    }

    /// <summary>Policy changes are trimmed like entry changes: a reader behind the kept changes gets a gap, never a partial list.</summary>
    /// <returns>A task.</returns>
    [Test]
    public async Task FeedReportsAGapAfterItsPolicyChangesWereTrimmed()
    {
        var (store, feed, policies) = await NewPolicyFeedStoreAsync().ConfigureAwait(false);
        var start = await feed.GetRevisionAsync().ConfigureAwait(false);
        await policies.TrySetPolicyAsync(Policy("a", "one.example.com"), 0).ConfigureAwait(false);
        await policies.TrySetPolicyAsync(Policy("b", "one.example.com"), 0).ConfigureAwait(false);
        await policies.TrySetPolicyAsync(Policy("a", "two.example.com"), 1).ConfigureAwait(false);
        if (!await ForgetChangesAsync(store, start + 2).ConfigureAwait(false))
        {
            Assert.Ignore("The store cannot be made to forget changes in a test (override ForgetChangesAsync).");
        }

        var behind = await feed.GetChangesAsync(start).ConfigureAwait(false);
        var current = await feed.GetRevisionAsync().ConfigureAwait(false);
        var caughtUp = await feed.GetChangesAsync(current).ConfigureAwait(false);

        Assert.That((behind.IsGap, behind.Changes.Count, behind.PolicyChanges.Count), Is.EqualTo((true, 0, 0)));
        Assert.That(behind.Revision, Is.GreaterThanOrEqualTo(start + 3));
        Assert.That((caughtUp.IsGap, caughtUp.PolicyChanges.Count), Is.EqualTo((false, 0)));
    }

    private static string DescribePolicy(RegistryPolicy policy) =>
        $"{policy.Account}|{policy.Version}|{policy.DefaultRegistry}|{string.Join(',', policy.AllowedRegistries)}";

    private async Task<(IRegistryStore Store, IRegistryChangeFeed Feed, IRegistryPolicyStore Policies)> NewPolicyFeedStoreAsync()
    {
        var (store, feed) = await NewFeedStoreAsync().ConfigureAwait(false);
        if (store is not IRegistryPolicyStore policies || !feed.IncludesPolicyChanges)
        {
            Assert.Ignore("The store keeps no policy, or its feed leaves policy writes out; resolvers read its policies again after each change.");
            throw new InvalidOperationException(); // not reached
        }

        return (store, feed, policies);
    }
}
