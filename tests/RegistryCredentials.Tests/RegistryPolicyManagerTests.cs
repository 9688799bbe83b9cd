using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Primitives;
using RegistryCredentials.Tests.Support;

namespace RegistryCredentials.Tests;

/// <summary>
/// The policy manager (issue 14, section 5): configuration gives the starting values until a policy is stored, writes are
/// partial, bad input is a typed error that stores nothing, and a store without <see cref="IRegistryPolicyStore"/> keeps the
/// documented default (options only, writes refused).
/// </summary>
public class RegistryPolicyManagerTests
{
    private static readonly string[] Configured = ["configured.example.com"];

    private static TestHost Host() => new(o =>
    {
        o.DefaultRegistry = "configured.example.com";
        o.AllowedRegistries.Add("configured.example.com");
    });

    private static IRegistryPolicyManager Policies(TestHost host) => host.Services.GetRequiredService<IRegistryPolicyManager>();

    [Test]
    public async Task Configuration_gives_the_starting_values_until_a_policy_is_stored()
    {
        using var host = Host();
        var start = await Policies(host).GetPolicyAsync();
        Assert.Multiple(() =>
        {
            Assert.That(start.IsStored, Is.False);
            Assert.That(start.Version, Is.Zero);
            Assert.That(start.Account, Is.EqualTo(RegistryAccounts.Default));
            Assert.That(start.DefaultRegistry, Is.EqualTo("configured.example.com"));
            Assert.That(start.AllowedRegistries, Is.EqualTo(Configured));
        });

        var written = await Policies(host).UpdatePolicyAsync(new RegistryPolicyUpdate { DefaultRegistry = "Other.Example.COM" });
        Assert.Multiple(() =>
        {
            Assert.That(written.Version, Is.EqualTo(1));
            Assert.That(written.DefaultRegistry, Is.EqualTo("other.example.com"), "canonical");
            Assert.That(written.AllowedRegistries, Is.EqualTo(Configured), "the omitted list keeps the configured value");
            Assert.That(written.UpdatedOn, Is.EqualTo(TestHost.Start));
        });
    }

    [TestCase("docker.io")]
    [TestCase("index.docker.io")]
    [TestCase("")]
    [TestCase("  ")]
    public async Task An_empty_or_Docker_Hub_default_means_Docker_Hub(string value)
    {
        using var host = Host();
        var written = await Policies(host).UpdatePolicyAsync(new RegistryPolicyUpdate { DefaultRegistry = value });
        Assert.That(written.DefaultRegistry, Is.Null);
        Assert.That((await host.Resolver.ResolveAsync(ImageReference.Parse("nginx"))).Registry, Is.EqualTo("docker.io"));
    }

    [Test]
    public async Task An_update_that_changes_nothing_writes_nothing()
    {
        using var host = Host();
        var first = await Policies(host).UpdatePolicyAsync(
            new RegistryPolicyUpdate { AllowedRegistries = ["a.example.com", "A.example.com", " ", "b.example.com"] });
        Assert.That(first.AllowedRegistries, Is.EqualTo(new[] { "a.example.com", "b.example.com" }), "blank items skipped, duplicates kept once");
        var token = host.Store.Watch();
        var same = await Policies(host).UpdatePolicyAsync(new RegistryPolicyUpdate { AllowedRegistries = ["a.example.com", "b.example.com"] });
        Assert.That(same.Version, Is.EqualTo(first.Version));
        Assert.That(token.HasChanged, Is.False, "no write, no change signal");
    }

    [Test]
    public async Task Bad_input_is_a_typed_error_and_stores_nothing()
    {
        using var host = Host();
        var policies = Policies(host);
        await policies.UpdatePolicyAsync(new RegistryPolicyUpdate { DefaultRegistry = "keep.example.com", AllowedRegistries = ["keep.example.com"] });
        var before = await ((IRegistryPolicyStore)host.Store).ListPoliciesAsync();

        var tooMany = Assert.ThrowsAsync<RegistryFieldException>(() => policies.UpdatePolicyAsync(
            new RegistryPolicyUpdate
            {
                AllowedRegistries = [.. Enumerable.Range(0, RegistryPolicyUpdate.MaxAllowedRegistries + 1).Select(i => $"r{i}.example.com")],
            }));
        var url = Assert.ThrowsAsync<RegistryFieldException>(
            () => policies.UpdatePolicyAsync(new RegistryPolicyUpdate { DefaultRegistry = "https://x.example.com" }));
        var badItem = Assert.ThrowsAsync<RegistryFieldException>(() => policies.UpdatePolicyAsync(
            new RegistryPolicyUpdate { DefaultRegistry = "fine.example.com", AllowedRegistries = ["ok.example.com", "docker.io/org*"] }));
        Assert.ThrowsAsync<ArgumentException>(
            () => policies.UpdatePolicyAsync(new RegistryPolicyUpdate { DefaultRegistry = "x.example.com" }, "not an account"));
        Assert.ThrowsAsync<ArgumentNullException>(() => policies.UpdatePolicyAsync(null!));

        var after = await ((IRegistryPolicyStore)host.Store).ListPoliciesAsync();
        Assert.Multiple(() =>
        {
            Assert.That(tooMany!.Problem, Is.EqualTo(RegistryFieldProblem.TooLarge));
            Assert.That(url!.Message, Does.Contain("drop the scheme"));
            Assert.That(badItem!.Message, Does.Contain("AllowedRegistries[1]"));
            Assert.That(after.Select(p => (p.Account, p.Version, p.DefaultRegistry, string.Join(',', p.AllowedRegistries))),
                Is.EqualTo(before.Select(p => (p.Account, p.Version, p.DefaultRegistry, string.Join(',', p.AllowedRegistries)))), "nothing stored changed");
        });
    }

    [Test]
    public async Task A_store_without_policies_keeps_the_documented_default()
    {
        using var host = new TestHost(o => o.DefaultRegistry = "configured.example.com", b => b.UseStore(new EntriesOnlyStore()));
        var policies = Policies(host);

        var read = await policies.GetPolicyAsync();
        var refused = Assert.ThrowsAsync<RegistryCredentialsException>(
            () => policies.UpdatePolicyAsync(new RegistryPolicyUpdate { DefaultRegistry = "x.example.com" }));

        Assert.Multiple(async () =>
        {
            Assert.That(read.DefaultRegistry, Is.EqualTo("configured.example.com"), "options only");
            Assert.That(refused!.Reason, Is.EqualTo(RegistryErrorReason.Misconfigured));
            Assert.That(refused.Message, Does.Contain(nameof(IRegistryPolicyStore)));
            Assert.That((await host.Resolver.ResolveAsync(ImageReference.Parse("nginx"))).Registry, Is.EqualTo("configured.example.com"));
        });
    }

    [Test]
    public async Task A_damaged_stored_allow_list_never_widens_into_every_registry()
    {
        using var host = Host();
        // Written around the manager (a store edited by hand): the only item is not a scope.
        await ((IRegistryPolicyStore)host.Store).TrySetPolicyAsync(
            new RegistryPolicy { Account = RegistryAccounts.Default, AllowedRegistries = ["https://not a scope/"] }, 0);

        var resolution = await host.Resolver.ResolveAsync(ImageReference.Parse("any.example.com/app"));
        Assert.That(resolution.DenialReason, Is.EqualTo(RegistryDenialReason.RegistryNotAllowed));
    }

    /// <summary>A custom store that keeps entries but no policy: the in-memory store behind the bare SPI.</summary>
    private sealed class EntriesOnlyStore : IRegistryStore
    {
        private readonly InMemoryRegistryStore _inner = new();

        public ValueTask<RegistryRecord?> GetAsync(string account, RegistryScope scope, CancellationToken cancellationToken = default) =>
            _inner.GetAsync(account, scope, cancellationToken);

        public ValueTask<IReadOnlyList<RegistryRecord>> ListAsync(string? account, CancellationToken cancellationToken = default) =>
            _inner.ListAsync(account, cancellationToken);

        public ValueTask<RegistryRecord> AddAsync(RegistryRecord record, CancellationToken cancellationToken = default) =>
            _inner.AddAsync(record, cancellationToken);

        public ValueTask<RegistryRecord> UpdateAsync(RegistryRecord record, long expectedVersion, CancellationToken cancellationToken = default) =>
            _inner.UpdateAsync(record, expectedVersion, cancellationToken);

        public ValueTask<bool> DeleteAsync(string account, RegistryScope scope, long? expectedVersion = null, CancellationToken cancellationToken = default) =>
            _inner.DeleteAsync(account, scope, expectedVersion, cancellationToken);

        public ValueTask<IReadOnlyList<string>> GetKeyIdsAsync(CancellationToken cancellationToken = default) => _inner.GetKeyIdsAsync(cancellationToken);

        public ValueTask<bool> ReplaceKeyIdsAsync(
            IReadOnlyCollection<string> expected, IReadOnlyCollection<string> keyIds, CancellationToken cancellationToken = default) =>
            _inner.ReplaceKeyIdsAsync(expected, keyIds, cancellationToken);

        public IChangeToken Watch() => _inner.Watch();
    }

    [Test]
    public async Task A_new_resolver_never_answers_its_first_pull_without_the_stored_allow_list()
    {
        // A policy already in the store (written by another process, say) before this process's resolver starts.
        using var store = new InMemoryRegistryStore();
        var stored = new RegistryPolicy
        {
            Account = RegistryAccounts.Default, AllowedRegistries = ["quay.io"], UpdatedOn = TestHost.Start,
        };
        Assert.That(await store.TrySetPolicyAsync(stored, 0), Is.Not.Null);

        using var host = new TestHost(build: b => b.UseStore(store));
        var first = await host.Resolver.ResolveAsync(ImageReference.Parse("nginx"));
        Assert.That(first.DenialReason, Is.EqualTo(RegistryDenialReason.RegistryNotAllowed), "the first resolve already obeys the store");
        Assert.That((await host.Resolver.ResolveAsync(ImageReference.Parse("quay.io/ns/app"))).Kind, Is.EqualTo(RegistryResolutionKind.Anonymous));
    }

    [Test]
    public async Task A_policy_written_through_the_manager_is_in_force_for_the_next_resolve()
    {
        using var host = Host();
        Assert.That((await host.Resolver.ResolveAsync(ImageReference.Parse("configured.example.com/app"))).Kind, Is.EqualTo(RegistryResolutionKind.Anonymous));
        await Policies(host).UpdatePolicyAsync(new RegistryPolicyUpdate { AllowedRegistries = ["quay.io"] });

        // Read-your-writes: no wait for the background update.
        var next = await host.Resolver.ResolveAsync(ImageReference.Parse("configured.example.com/app"));
        Assert.That(next.DenialReason, Is.EqualTo(RegistryDenialReason.RegistryNotAllowed));
    }
}
