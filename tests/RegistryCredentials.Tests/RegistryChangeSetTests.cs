namespace RegistryCredentials.Tests;

/// <summary>
/// The feed's public types that a custom store builds (<see cref="RegistryChangeSet"/>, <see cref="RegistryChange"/>,
/// <see cref="RegistryPolicyChange"/>): a set that breaks the contract is refused with a typed error when it is made.
/// </summary>
public class RegistryChangeSetTests
{
    private static readonly RegistryScope Scope = RegistryScope.Parse("reg.example.com");

    [Test]
    public void A_set_keeps_entry_and_policy_changes_apart_in_revision_order()
    {
        var set = RegistryChangeSet.Of(5, [Entry(1), Entry(4)], [PolicyChange(2, "a"), PolicyChange(5, RegistryPolicy.GlobalAccount)]);

        Assert.That(set.Changes.Select(c => c.Revision), Is.EqualTo(new long[] { 1, 4 }));
        Assert.That(set.PolicyChanges.Select(c => (c.Revision, c.Account)), Is.EqualTo(new[] { (2L, "a"), (5L, RegistryPolicy.GlobalAccount) }));
        Assert.That((set.IsGap, set.Revision), Is.EqualTo((false, 5L)));
        Assert.That(RegistryChangeSet.Of(1, [Entry(1)]).PolicyChanges, Is.Empty, "the entries-only overload has no policy changes");
        Assert.That(RegistryChangeSet.Gap(3).PolicyChanges, Is.Empty);
    }

    [Test]
    public void Policy_changes_out_of_order_above_the_sets_revision_or_on_an_entrys_revision_are_refused()
    {
        Assert.Throws<ArgumentException>(() => RegistryChangeSet.Of(5, [], [PolicyChange(3, "a"), PolicyChange(2, "b")]));
        Assert.Throws<ArgumentException>(() => RegistryChangeSet.Of(5, [], [PolicyChange(3, "a"), PolicyChange(3, "b")]));
        Assert.Throws<ArgumentException>(() => RegistryChangeSet.Of(2, [], [PolicyChange(3, "a")]));
        var shared = Assert.Throws<ArgumentException>(() => RegistryChangeSet.Of(5, [Entry(1), Entry(3)], [PolicyChange(3, "a")]));
        Assert.That(shared!.ParamName, Is.EqualTo("policyChanges"));
        Assert.Throws<ArgumentNullException>(() => RegistryChangeSet.Of(5, [], null!));
    }

    [Test]
    public void A_policy_change_needs_a_positive_revision_and_a_policy_of_its_account()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new RegistryPolicyChange(0, "a", null));
        Assert.Throws<ArgumentNullException>(() => _ = new RegistryPolicyChange(1, null!, null));
        var other = Assert.Throws<ArgumentException>(() => _ = new RegistryPolicyChange(1, "a", Policy("b")));
        Assert.That(other!.ParamName, Is.EqualTo("policy"));

        var removal = new RegistryPolicyChange(7, "a", null);
        Assert.That((removal.IsRemoval, removal.ToString()), Is.EqualTo((true, "7: policy a removed")));
        Assert.That(new RegistryPolicyChange(8, "a", Policy("a")).ToString(), Is.EqualTo("8: policy a v1"));
    }

    private static RegistryChange Entry(long revision) => new(revision, RegistryAccounts.Default, Scope, null);

    private static RegistryPolicyChange PolicyChange(long revision, string account) => new(revision, account, Policy(account));

    private static RegistryPolicy Policy(string account) => new() { Account = account, Version = 1 };
}
