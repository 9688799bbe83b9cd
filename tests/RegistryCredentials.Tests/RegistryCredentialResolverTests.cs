using RegistryCredentials.Tests.Support;

namespace RegistryCredentials.Tests;

public class RegistryCredentialResolverTests
{
    /// <summary>Every scope in the precedence table; the user name of each entry is its scope, so a test sees which one won.</summary>
    internal static readonly string[] Scopes =
    [
        "docker.io",
        "docker.io/acme/*",
        "docker.io/acme/team/*",
        "docker.io/acme/team",
        "docker.io/acme/team/app",
        "docker.io/library/*",
        "docker.io/library/redis",
        "quay.io/ns/*",
        "quay.io/ns",
        "localhost:5000",
        "localhost",
        "*.azurecr.io",
        "*.azurecr.io/app",
        "special.azurecr.io",
        "*.eu.example.com",
        "*.*.example.com",
        "*.eu.example.com/deep/path/*",
        "*.*.example.com/deep/path/app",
        "[::1]:5000/app/*",
        "[::1]:5000/app",
        "10.0.0.7:5000",
        "myreg",
    ];

    /// <summary>Anchore's precedence: exact host before glob host; then the exact repository, the longest subtree, the registry.</summary>
    public static IEnumerable<TestCaseData> PrecedenceCases()
    {
        static TestCaseData Case(string image, string? expectedScope) =>
            new TestCaseData(image, expectedScope).SetName($"{image} -> {expectedScope ?? "anonymous"}");

        // Hub aliases and library/; docker.io/library/redis names the one repository.
        yield return Case("nginx", "docker.io/library/*");
        yield return Case("redis", "docker.io/library/redis");
        yield return Case("docker.io/redis:7", "docker.io/library/redis");
        yield return Case("docker.io/library/nginx:1.27", "docker.io/library/*");
        yield return Case("index.docker.io/acme/app", "docker.io/acme/*");
        yield return Case("registry-1.docker.io/acme/app", "docker.io/acme/*");
        yield return Case("acme/app", "docker.io/acme/*");
        yield return Case("acme", "docker.io/library/*");

        // Exact repository, then the longest whole-segment subtree, then the registry; never a partial segment.
        yield return Case("acme/team/app", "docker.io/acme/team/app");
        yield return Case("acme/team/other", "docker.io/acme/team/*");
        yield return Case("acme/team/app/sub", "docker.io/acme/team/*");
        yield return Case("acme/team", "docker.io/acme/team");
        yield return Case("acme/teamster/app", "docker.io/acme/*");
        yield return Case("acmecorp/app", "docker.io");
        yield return Case("quay.io/ns/app:1.2@sha256:" + new string('a', 64), "quay.io/ns/*");
        yield return Case("quay.io/ns", "quay.io/ns");
        yield return Case("quay.io/nsx/app", null);
        yield return Case("quay.io/other", null);
        yield return Case("QUAY.IO/ns/app", "quay.io/ns/*");

        // A single-label host in capitals is a registry (distribution's reference grammar) and is kept as written by the
        // parser; hosts compare without case, so it finds the entry of its lower-case name.
        yield return Case("MyReg/app", "myreg");
        yield return Case("myreg/app", "docker.io");

        // Ports must be equal.
        yield return Case("localhost:5000/app", "localhost:5000");
        yield return Case("localhost/app", "localhost");
        yield return Case("localhost:5001/app", null);
        yield return Case("[::1]:5000/app/x", "[::1]:5000/app/*");
        yield return Case("[0:0::1]:5000/app", "[::1]:5000/app");
        yield return Case("[::1]:5000/other", null);
        yield return Case("10.0.0.7:5000/app", "10.0.0.7:5000");

        // Exact host beats a glob host, even a glob's exact repository; globs match label by label with the same label count.
        yield return Case("special.azurecr.io/app", "special.azurecr.io");
        yield return Case("other.azurecr.io/app", "*.azurecr.io/app");
        yield return Case("other.azurecr.io/app2", "*.azurecr.io");
        yield return Case("a.b.azurecr.io/app", null);
        yield return Case("azurecr.io/app", null);

        // Between globs: the most specific path (exact, longest subtree, registry), then the fewest '*' labels.
        yield return Case("x.eu.example.com/app", "*.eu.example.com");
        yield return Case("x.us.example.com/app", "*.*.example.com");
        yield return Case("x.eu.example.com/deep/path/other", "*.eu.example.com/deep/path/*");
        yield return Case("x.eu.example.com/deep/path/app", "*.*.example.com/deep/path/app");
        yield return Case("x.eu.example.com/deep/path", "*.eu.example.com");
        yield return Case("x.eu.example.com/deep/pathology", "*.eu.example.com");

        // Nothing matches.
        yield return Case("ghcr.io/owner/app", null);
    }

    [TestCaseSource(nameof(PrecedenceCases))]
    public async Task Most_specific_entry_wins(string image, string? expectedScope)
    {
        using var host = new TestHost();
        foreach (var scope in Scopes)
        {
            await host.AddAsync(scope, username: "u" + Scopes.ToList().IndexOf(scope), type: RegistryType.DockerV2);
        }

        var resolution = await host.Resolver.ResolveAsync(image);

        if (expectedScope is null)
        {
            Assert.That(resolution.Kind, Is.EqualTo(RegistryResolutionKind.Anonymous), resolution.Message);
            Assert.That(resolution.Credential, Is.Null);
        }
        else
        {
            Assert.That(resolution.Kind, Is.EqualTo(RegistryResolutionKind.Credential), resolution.Message);
            Assert.That(resolution.Entry!.Scope.Value, Is.EqualTo(expectedScope));
            Assert.That(resolution.Credential!.Username, Is.EqualTo("u" + Scopes.ToList().IndexOf(expectedScope)));
        }
    }

    [TestCase("ubuntu:22.04", "reg.example.com", "ubuntu", "reg.example.com")]
    [TestCase("acme/app", "reg.example.com", "acme/app", "reg.example.com/acme/*")]
    [TestCase("docker.io/library/ubuntu", "docker.io", "library/ubuntu", null)]
    [TestCase("quay.io/ns/app", "quay.io", "ns/app", null)]
    public async Task Default_registry_replaces_docker_hub_for_references_naming_none(string image, string registry, string repository, string? scope)
    {
        using var host = new TestHost(o => o.DefaultRegistry = "reg.example.com");
        await host.AddAsync("reg.example.com");
        await host.AddAsync("reg.example.com/acme/*");
        await host.AddAsync("reg.example.com/library/*");

        var resolution = await host.Resolver.ResolveAsync(image);

        Assert.That(resolution.Registry, Is.EqualTo(registry));
        Assert.That(resolution.Repository, Is.EqualTo(repository));
        Assert.That(resolution.Entry?.Scope.Value, Is.EqualTo(scope));
    }

    [TestCase("docker.io")]
    [TestCase("index.docker.io")]
    [TestCase("")]
    public async Task Docker_hub_as_default_registry_keeps_library(string defaultRegistry)
    {
        using var host = new TestHost(o => o.DefaultRegistry = defaultRegistry);
        var resolution = await host.Resolver.ResolveAsync("ubuntu");
        Assert.That(resolution.Registry, Is.EqualTo("docker.io"));
        Assert.That(resolution.Repository, Is.EqualTo("library/ubuntu"));
    }

    [TestCase("nginx", new[] { "quay.io" }, false)]
    [TestCase("nginx", new[] { "quay.io", "docker.io" }, true)]
    [TestCase("nginx", new[] { "index.docker.io" }, true)]
    [TestCase("registry-1.docker.io/acme/app", new[] { "docker.io" }, true)]
    [TestCase("quay.io/ns/app", new[] { "quay.io" }, true)]
    [TestCase("QUAY.io/ns/app", new[] { "quay.io" }, true)]
    [TestCase("evil.io/ns/app", new[] { "quay.io" }, false)]
    [TestCase("myreg.azurecr.io/app", new[] { "*.azurecr.io" }, true)]
    [TestCase("localhost:5000/app", new[] { "localhost" }, false)]
    [TestCase("quay.io/other/app", new[] { "quay.io/ns" }, false)]
    [TestCase("anything.io/app", new string[0], true)]
    public async Task Allow_list_denies_other_registries_before_any_lookup(string image, string[] allowed, bool isAllowed)
    {
        using var host = new TestHost(o =>
        {
            foreach (var item in allowed)
            {
                o.AllowedRegistries.Add(item);
            }
        });
        await host.AddAsync("evil.io");

        var resolution = await host.Resolver.ResolveAsync(image);

        Assert.That(resolution.DenialReason == RegistryDenialReason.RegistryNotAllowed, Is.EqualTo(!isAllowed), resolution.Message);
        if (!isAllowed)
        {
            Assert.That(resolution.Kind, Is.EqualTo(RegistryResolutionKind.Denied));
            Assert.That(resolution.Entry, Is.Null);
            Assert.That(resolution.Message, Does.Contain("allow-list"));
        }
    }

    [Test]
    public async Task Allow_list_applies_to_the_default_registry()
    {
        using var host = new TestHost(o =>
        {
            o.DefaultRegistry = "reg.example.com";
            o.AllowedRegistries.Add("reg.example.com");
        });
        Assert.That((await host.Resolver.ResolveAsync("ubuntu")).IsDenied, Is.False);
        Assert.That((await host.Resolver.ResolveAsync("docker.io/library/ubuntu")).IsDenied, Is.True);
    }

    [Test]
    public async Task Deactivated_entry_denies_the_pulls_it_matches()
    {
        using var host = new TestHost();
        await host.AddAsync("docker.io");
        await host.AddAsync("docker.io/acme/*");
        await host.Manager.DeactivateAsync("docker.io/acme/*");

        var denied = await host.Resolver.ResolveAsync("acme/app");
        Assert.That(denied.Kind, Is.EqualTo(RegistryResolutionKind.Denied));
        Assert.That(denied.DenialReason, Is.EqualTo(RegistryDenialReason.EntryInactive));
        Assert.That(denied.Entry!.Scope.Value, Is.EqualTo("docker.io/acme/*"));
        Assert.That(denied.Message, Does.Contain("deactivated"));

        Assert.That((await host.Resolver.ResolveAsync("other/app")).HasCredential, Is.True);
    }

    [Test]
    public async Task Deactivated_entry_is_skipped_when_configured()
    {
        using var host = new TestHost(o => o.SkipInactiveEntries = true);
        await host.AddAsync("docker.io", username: "hub");
        await host.AddAsync("docker.io/acme/*", username: "acme");
        await host.Manager.DeactivateAsync("docker.io/acme/*");

        var resolution = await host.Resolver.ResolveAsync("acme/app");
        Assert.That(resolution.Credential!.Username, Is.EqualTo("hub"));
    }

    [Test]
    public async Task Entries_of_other_accounts_do_not_apply()
    {
        using var host = new TestHost();
        await host.AddAsync("reg.example.com", username: "a", account: "team-a");

        Assert.That((await host.Resolver.ResolveAsync("reg.example.com/app")).Kind, Is.EqualTo(RegistryResolutionKind.Anonymous));
        Assert.That((await host.Resolver.ResolveAsync("reg.example.com/app", "team-a")).Credential!.Username, Is.EqualTo("a"));
    }

    [Test]
    public async Task Configured_account_is_the_default_for_resolve_and_manage()
    {
        using var host = new TestHost(o => o.Account = "tenant-1");
        await host.AddAsync("reg.example.com");
        Assert.That((await host.Manager.GetAsync("reg.example.com")).Account, Is.EqualTo("tenant-1"));
        Assert.That((await host.Resolver.ResolveAsync("reg.example.com/app")).HasCredential, Is.True);
    }

    [Test]
    public async Task Entry_without_provider_is_denied_with_reason()
    {
        using var host = new TestHost();
        var now = TestHost.Start;
        var protector = (ISecretProtector)host.Services.GetService(typeof(ISecretProtector))!;
        var scope = RegistryScope.Parse("123456789012.dkr.ecr.us-east-1.amazonaws.com");
        var entry = new RegistryEntry
        {
            Account = RegistryAccounts.Default, Scope = scope, Name = "ecr", Type = RegistryType.AwsEcr, Username = "AKIDEXAMPLE",
            CreatedOn = now, UpdatedOn = now,
        };
        await host.Store.AddAsync(new RegistryRecord(entry, await protector.ProtectAsync("x", RegistryAccounts.Default, scope)));

        var resolution = await host.Resolver.ResolveAsync("123456789012.dkr.ecr.us-east-1.amazonaws.com/app");
        Assert.That(resolution.DenialReason, Is.EqualTo(RegistryDenialReason.NoProvider));
        Assert.That(resolution.Message, Does.Contain("awsecr"));
    }

    [Test]
    public async Task Changes_in_the_store_are_seen_by_the_next_resolve()
    {
        using var host = new TestHost();
        Assert.That((await host.Resolver.ResolveAsync("reg.example.com/app")).Kind, Is.EqualTo(RegistryResolutionKind.Anonymous));
        await host.AddAsync("reg.example.com", username: "first");
        Assert.That((await host.Resolver.ResolveAsync("reg.example.com/app")).Credential!.Username, Is.EqualTo("first"));
        await host.Manager.UpdateAsync(new RegistryUpdateRequest { Scope = "reg.example.com", Username = "second", Validate = false });
        Assert.That((await host.Resolver.ResolveAsync("reg.example.com/app")).Credential!.Username, Is.EqualTo("second"));
    }

    [Test]
    public async Task Resolve_is_safe_under_concurrent_changes()
    {
        using var host = new TestHost();
        await host.AddAsync("reg.example.com", username: "stable");
        var image = ImageReference.Parse("reg.example.com/app");
        var writer = Task.Run(async () =>
        {
            for (var i = 0; i < 200; i++)
            {
                await host.AddAsync($"reg{i}.example.com");
            }
        });
        var readers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            var seen = 0;
            do
            {
                var resolution = await host.Resolver.ResolveAsync(image);
                Assert.That(resolution.Credential!.Username, Is.EqualTo("stable"));
                seen++;
            }
            while (!writer.IsCompleted || seen < 100);

            return seen;
        })).ToArray();

        await writer;
        var counts = await Task.WhenAll(readers);
        Assert.That(counts.Sum(), Is.GreaterThan(0));
        Assert.That((await host.Resolver.ResolveAsync("reg199.example.com/x")).HasCredential, Is.True);
    }

    [Test]
    public void Bad_reference_text_is_a_typed_error()
    {
        using var host = new TestHost();
        var error = Assert.ThrowsAsync<ImageReferenceFormatException>(async () => await host.Resolver.ResolveAsync("https://index.docker.io/v1/"));
        Assert.That(error!.Message, Does.Contain("drop the scheme"));
    }
}
