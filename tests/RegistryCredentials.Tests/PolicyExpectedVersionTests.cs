using Microsoft.Extensions.DependencyInjection;
using RegistryCredentials.Tests.Support;

namespace RegistryCredentials.Tests;

/// <summary>
/// <see cref="RegistryPolicyUpdate.ExpectedVersion"/>: optimistic concurrency for policy writes (what <c>If-Match</c> on
/// the API's <c>_settings</c> maps to). The update applies only when the account's own stored policy is at that version
/// (0: none stored); otherwise it fails with <see cref="RegistryErrorReason.Concurrency"/> and no stored policy changes.
/// </summary>
[TestFixture]
public sealed class PolicyExpectedVersionTests
{
    private TestHost _host = null!;

    private IRegistryPolicyManager Policies => _host.Services.GetRequiredService<IRegistryPolicyManager>();

    [SetUp]
    public void SetUp() => _host = new TestHost();

    [TearDown]
    public void TearDown() => _host.Dispose();

    private async Task<string> StoredAsync()
    {
        var all = await ((IRegistryPolicyStore)_host.Store).ListPoliciesAsync();
        return string.Join('\n', all.Select(p => $"{p.Account}|{p.Version}|{p.DefaultRegistry}|{string.Join(',', p.AllowedRegistries)}"));
    }

    [Test]
    public async Task The_expected_version_is_the_stored_one_or_nothing_changes()
    {
        var first = await Policies.UpdatePolicyAsync(new RegistryPolicyUpdate { DefaultRegistry = "one.example.com", ExpectedVersion = 0 }, "a");
        Assert.That(first.Version, Is.EqualTo(1), "0: none stored yet");

        var second = await Policies.UpdatePolicyAsync(new RegistryPolicyUpdate { DefaultRegistry = "two.example.com", ExpectedVersion = 1 }, "a");
        Assert.That(second.Version, Is.EqualTo(2));
        Assert.That(second.DefaultRegistry, Is.EqualTo("two.example.com"));

        var before = await StoredAsync();
        foreach (var stale in new long[] { 0, 1, 3 })
        {
            var error = Assert.ThrowsAsync<RegistryCredentialsException>(() => Policies.UpdatePolicyAsync(
                new RegistryPolicyUpdate { DefaultRegistry = "three.example.com", ExpectedVersion = stale }, "a"));
            Assert.That(error!.Reason, Is.EqualTo(RegistryErrorReason.Concurrency), error.Message);
            Assert.That(error.Message, Does.Contain("account 'a' is at version 2, not " + stale));
        }

        Assert.That(await StoredAsync(), Is.EqualTo(before), "nothing stored changed");
    }

    [Test]
    public async Task An_account_without_its_own_policy_is_at_version_0_whatever_the_global_one_is()
    {
        await Policies.UpdatePolicyAsync(new RegistryPolicyUpdate { DefaultRegistry = "global.example.com" }, RegistryPolicy.GlobalAccount);
        await Policies.UpdatePolicyAsync(new RegistryPolicyUpdate { DefaultRegistry = "global2.example.com" }, RegistryPolicy.GlobalAccount);
        var before = await StoredAsync();

        var error = Assert.ThrowsAsync<RegistryCredentialsException>(() => Policies.UpdatePolicyAsync(
            new RegistryPolicyUpdate { AllowedRegistries = ["a.example.com"], ExpectedVersion = 2 }, "b"));
        Assert.That(error!.Reason, Is.EqualTo(RegistryErrorReason.Concurrency));
        Assert.That(await StoredAsync(), Is.EqualTo(before));

        var own = await Policies.UpdatePolicyAsync(new RegistryPolicyUpdate { AllowedRegistries = ["a.example.com"], ExpectedVersion = 0 }, "b");
        Assert.That(own.Account, Is.EqualTo("b"));
        Assert.That(own.Version, Is.EqualTo(1));
        Assert.That(own.DefaultRegistry, Is.EqualTo("global2.example.com"), "started from the policy in force");
    }

    [Test]
    public async Task A_negative_expected_version_is_a_field_error_and_nothing_is_read_or_written()
    {
        await Policies.UpdatePolicyAsync(new RegistryPolicyUpdate { DefaultRegistry = "one.example.com" }, "a");
        var before = await StoredAsync();

        var error = Assert.ThrowsAsync<RegistryFieldException>(() => Policies.UpdatePolicyAsync(
            new RegistryPolicyUpdate { DefaultRegistry = "two.example.com", ExpectedVersion = -1 }, "a"));

        Assert.That(error!.Field, Is.EqualTo(nameof(RegistryPolicyUpdate.ExpectedVersion)));
        Assert.That(error.Problem, Is.EqualTo(RegistryFieldProblem.Invalid));
        Assert.That(await StoredAsync(), Is.EqualTo(before));
    }

    [Test]
    public async Task Without_an_expected_version_a_write_merges_into_whatever_is_stored()
    {
        await Policies.UpdatePolicyAsync(new RegistryPolicyUpdate { DefaultRegistry = "one.example.com" }, "a");
        await Policies.UpdatePolicyAsync(new RegistryPolicyUpdate { AllowedRegistries = ["a.example.com"] }, "a");

        var now = await Policies.GetPolicyAsync("a");

        Assert.That(now.Version, Is.EqualTo(2));
        Assert.That(now.DefaultRegistry, Is.EqualTo("one.example.com"));
        Assert.That(now.AllowedRegistries, Is.EqualTo(new[] { "a.example.com" }));
    }
}
