using Microsoft.Extensions.DependencyInjection;
using RegistryCredentials.Tests.Support;

namespace RegistryCredentials.Tests;

/// <summary>
/// <see cref="RegistryCredentialsOptions.LoadIndexOnDemand"/>: the resolver reads only the entries that can match a registry
/// (<see cref="IRegistryHostQuery"/>) when it first resolves it, and answers exactly as the index of every entry does:
/// precedence, globs, ports, Docker Hub's names, the default registry and the allow-list (options and stored policy), and
/// changes made after the load, by this process or behind it. A store without the query is read whole.
/// </summary>
public class OnDemandIndexTests
{
    private static readonly string[] Allowed = ["*.azurecr.io", "docker.io/acme/*", "localhost:5000"];

    public static IEnumerable<TestCaseData> PrecedenceCases() => RegistryCredentialResolverTests.PrecedenceCases();

    [TestCaseSource(nameof(PrecedenceCases))]
    public async Task Resolves_as_the_full_index(string image, string? expectedScope)
    {
        using var full = await FilledAsync(new InMemoryRegistryStore(), onDemand: false);
        var store = new HostQueryStore(new InMemoryRegistryStore());
        using var lazy = await FilledAsync(store, onDemand: true);
        var lists = store.Lists; // the manager's first write reads the entries once, to adopt the secret key

        var expected = await full.Resolver.ResolveAsync(image);
        var actual = await lazy.Resolver.ResolveAsync(image);

        Assert.That(Describe(actual), Is.EqualTo(Describe(expected)));
        Assert.That(actual.Entry?.Scope.Value, Is.EqualTo(expectedScope));
        Assert.That(store.Lists, Is.EqualTo(lists), "no entry list is read");
        Assert.That(store.Queries, Is.EqualTo(new[] { expected.Registry }), "one host query, for the effective registry");
    }

    [TestCaseSource(nameof(PrecedenceCases))]
    public async Task Resolves_as_the_full_index_with_a_default_registry_and_an_allow_list(string image, string? expectedScope)
    {
        _ = expectedScope;
        using var full = await FilledAsync(new InMemoryRegistryStore(), onDemand: false, Policy);
        using var lazy = await FilledAsync(new HostQueryStore(new InMemoryRegistryStore()), onDemand: true, Policy);

        Assert.That(Describe(await lazy.Resolver.ResolveAsync(image)), Is.EqualTo(Describe(await full.Resolver.ResolveAsync(image))));

        static void Policy(RegistryCredentialsOptions o)
        {
            o.DefaultRegistry = "localhost:5000";
            foreach (var item in Allowed)
            {
                o.AllowedRegistries.Add(item);
            }
        }
    }

    [Test]
    public async Task Resolves_every_case_in_one_process_as_the_full_index_with_a_stored_policy()
    {
        using var full = await FilledAsync(new InMemoryRegistryStore(), onDemand: false);
        var store = new HostQueryStore(new InMemoryRegistryStore());
        using var lazy = await FilledAsync(store, onDemand: true);
        var lists = store.Lists;
        foreach (var host in new[] { full, lazy })
        {
            await host.Services.GetRequiredService<IRegistryPolicyManager>()
                .UpdatePolicyAsync(new RegistryPolicyUpdate { DefaultRegistry = "quay.io", AllowedRegistries = ["quay.io", "*.azurecr.io", "myreg"] });
        }

        foreach (var image in PrecedenceCases().Select(c => (string)c.Arguments[0]!).Concat(["ns/app", "ns", "other"]))
        {
            Assert.That(Describe(await lazy.Resolver.ResolveAsync(image)), Is.EqualTo(Describe(await full.Resolver.ResolveAsync(image))), image);
        }

        Assert.That(store.Lists, Is.EqualTo(lists));
        Assert.That(store.Queries, Is.Unique, "each registry is read once");
        Assert.That(store.Queries, Does.Contain("quay.io").And.Contain("other.azurecr.io").And.Not.Contain("ghcr.io"));
    }

    [Test]
    public async Task Another_account_is_loaded_on_its_own()
    {
        var store = new HostQueryStore(new InMemoryRegistryStore());
        using var host = new TestHost(o => o.LoadIndexOnDemand = true, b => b.UseStore(store));
        await host.AddAsync("reg.example.com", username: "default");
        await host.AddAsync("reg.example.com", username: "team", account: "team");
        await host.AddAsync("*.example.com", username: "team glob", account: "team");

        Assert.That((await host.Resolver.ResolveAsync("reg.example.com/app")).Credential!.Username, Is.EqualTo("default"));
        Assert.That((await host.Resolver.ResolveAsync("reg.example.com/app", "team")).Credential!.Username, Is.EqualTo("team"));
        Assert.That((await host.Resolver.ResolveAsync("x.example.com/app", "team")).Credential!.Username, Is.EqualTo("team glob"));
        Assert.That((await host.Resolver.ResolveAsync("x.example.com/app")).Kind, Is.EqualTo(RegistryResolutionKind.Anonymous));
        Assert.That(store.Queries, Has.Count.EqualTo(4));
    }

    [Test]
    public async Task Changes_after_the_load_are_seen_own_and_behind_the_resolver()
    {
        var store = new HostQueryStore(new InMemoryRegistryStore());
        using var host = new TestHost(o => o.LoadIndexOnDemand = true, b => b.UseStore(store));
        await host.AddAsync("reg.example.com", username: "registry");
        var lists = store.Lists;
        Assert.That((await host.Resolver.ResolveAsync("reg.example.com/team/app")).Credential!.Username, Is.EqualTo("registry"));

        // Own changes: a subtree of the loaded registry, a glob, an entry of a registry not loaded yet.
        await host.AddAsync("reg.example.com/team/*", username: "subtree");
        await host.AddAsync("*.example.com", username: "glob");
        await host.AddAsync("other.example.com/x", username: "other");
        Assert.That((await host.Resolver.ResolveAsync("reg.example.com/team/app")).Credential!.Username, Is.EqualTo("subtree"));
        Assert.That((await host.Resolver.ResolveAsync("x.example.com/app")).Credential!.Username, Is.EqualTo("glob"));
        Assert.That((await host.Resolver.ResolveAsync("other.example.com/y")).Credential!.Username, Is.EqualTo("glob"));
        Assert.That((await host.Resolver.ResolveAsync("other.example.com/x")).Credential!.Username, Is.EqualTo("other"));

        // Behind the resolver (another process's writes, through the store and its feed).
        await store.Inner.DeleteAsync(RegistryAccounts.Default, RegistryScope.Parse("reg.example.com/team/*"));
        await store.Inner.AddAsync(await RecordAsync(host, "reg.example.com/team/app", "behind"));
        await host.Resolver.RefreshAsync();
        Assert.That((await host.Resolver.ResolveAsync("reg.example.com/team/app")).Credential!.Username, Is.EqualTo("behind"));
        Assert.That((await host.Resolver.ResolveAsync("reg.example.com/team/other")).Credential!.Username, Is.EqualTo("registry"));

        // A full reload starts over: every registry is read again on demand, none whole.
        var queries = store.Queries.Count;
        await host.Resolver.RefreshAsync(reload: true);
        Assert.That((await host.Resolver.ResolveAsync("reg.example.com/team/app")).Credential!.Username, Is.EqualTo("behind"));
        Assert.That(store.Queries, Has.Count.EqualTo(queries + 1));
        Assert.That(store.Lists, Is.EqualTo(lists));
    }

    [Test]
    public async Task A_store_without_the_host_query_is_read_whole()
    {
        var store = new GatedFeedStore(new InMemoryRegistryStore());
        using var host = new TestHost(o => o.LoadIndexOnDemand = true, b => b.UseStore(store));
        await host.AddAsync("reg.example.com");
        await host.AddAsync("*.example.com", username: "glob");
        var lists = store.Lists;

        Assert.That((await host.Resolver.ResolveAsync("x.example.com/app")).Credential!.Username, Is.EqualTo("glob"));
        Assert.That((await host.Resolver.ResolveAsync("reg.example.com/app")).Credential!.Username, Is.EqualTo("user"));
        Assert.That(store.Lists, Is.EqualTo(lists + 1));
    }

    [Test]
    public async Task Off_by_default_the_index_reads_every_entry()
    {
        Assert.That(new RegistryCredentialsOptions().LoadIndexOnDemand, Is.False);
        var store = new HostQueryStore(new InMemoryRegistryStore());
        using var host = new TestHost(null, b => b.UseStore(store));
        await host.AddAsync("reg.example.com");
        var lists = store.Lists;
        await host.Resolver.ResolveAsync("reg.example.com/app");
        Assert.That(store.Lists, Is.EqualTo(lists + 1));
        Assert.That(store.Queries, Is.Empty);
    }

    [Test]
    public async Task A_failing_host_query_fails_the_resolve_and_the_next_one_reads_again()
    {
        var store = new HostQueryStore(new InMemoryRegistryStore());
        using var host = new TestHost(o => o.LoadIndexOnDemand = true, b => b.UseStore(store));
        await host.AddAsync("reg.example.com");
        store.FailNext = true;
        Assert.That(
            async () => await host.Resolver.ResolveAsync("reg.example.com/app"),
            Throws.InvalidOperationException.With.Message.EqualTo("The store cannot be read."));

        Assert.That((await host.Resolver.ResolveAsync("reg.example.com/app")).Kind, Is.EqualTo(RegistryResolutionKind.Credential));
    }

    private static async Task<TestHost> FilledAsync(IRegistryStore store, bool onDemand, Action<RegistryCredentialsOptions>? configure = null)
    {
        var host = new TestHost(
            o =>
            {
                o.LoadIndexOnDemand = onDemand;
                configure?.Invoke(o);
            },
            b => b.UseStore(store));
        var scopes = RegistryCredentialResolverTests.Scopes;
        for (var i = 0; i < scopes.Length; i++)
        {
            await host.AddAsync(scopes[i], username: "u" + i, type: RegistryType.DockerV2);
        }

        await host.Manager.DeactivateAsync("*.*.example.com");
        return host;
    }

    private static string Describe(RegistryResolution r) =>
        $"{r.Kind} {r.DenialReason} {r.Registry} {r.Repository} {r.Entry?.Scope.Value} {r.Entry?.IsActive} {r.Credential?.Username}";

    private static async Task<RegistryRecord> RecordAsync(TestHost host, string scope, string username)
    {
        var parsed = RegistryScope.Parse(scope);
        var protectedSecret = await host.Services.GetRequiredService<ISecretProtector>()
            .ProtectAsync(RegistrySecret.FromString(TestHost.NewSecret()), RegistryAccounts.Default, parsed);
        var entry = new RegistryEntry
        {
            Account = RegistryAccounts.Default,
            Scope = parsed,
            Name = scope,
            Type = RegistryType.DockerV2,
            Username = username,
            CreatedOn = TestHost.Start,
            UpdatedOn = TestHost.Start,
        };
        return new RegistryRecord(entry, protectedSecret);
    }
}
