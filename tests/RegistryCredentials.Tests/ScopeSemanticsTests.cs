using RegistryCredentials.Tests.Support;

namespace RegistryCredentials.Tests;

/// <summary>
/// Issue 14 §1 through the manager and the resolver: Anchore's scopes (<c>host/path</c> one repository,
/// <c>host/path/*</c> every repository below, <c>host</c> the registry) are distinct entries, come back as written
/// in canonical form, and bad scopes are refused with a typed error that leaves the store as it was.
/// </summary>
public class ScopeSemanticsTests
{
    [Test]
    public async Task A_repository_and_the_subtree_below_it_are_two_entries_and_come_back_as_written()
    {
        using var host = new TestHost();
        var exact = await host.AddAsync("quay.io/acme", username: "exact");
        var subtree = await host.AddAsync("quay.io/acme/*", username: "subtree");
        var registry = await host.AddAsync("quay.io/*", username: "registry");

        var listed = (await host.Manager.ListAsync()).Select(e => e.Scope.Value).ToList();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exact.Scope.Value, Is.EqualTo("quay.io/acme"));
            Assert.That(subtree.Scope.Value, Is.EqualTo("quay.io/acme/*"));
            Assert.That(registry.Scope.Value, Is.EqualTo("quay.io"));
            Assert.That(listed, Is.EquivalentTo(new[] { "quay.io", "quay.io/acme", "quay.io/acme/*" }));
            Assert.That((await host.Manager.GetAsync("quay.io/acme/*")).Username, Is.EqualTo("subtree"));
            Assert.That((await host.Manager.GetAsync("quay.io/acme")).Username, Is.EqualTo("exact"));
            Assert.That((await host.Resolver.ResolveAsync("quay.io/acme:1")).Credential!.Username, Is.EqualTo("exact"));
            Assert.That((await host.Resolver.ResolveAsync("quay.io/acme/app")).Credential!.Username, Is.EqualTo("subtree"));
            Assert.That((await host.Resolver.ResolveAsync("quay.io/acmecorp/app")).Credential!.Username, Is.EqualTo("registry"));
        }
    }

    [Test]
    public async Task Deleting_the_subtree_keeps_the_repository_entry()
    {
        using var host = new TestHost();
        await host.AddAsync("quay.io/acme", username: "exact");
        await host.AddAsync("quay.io/acme/*", username: "subtree");

        await host.Manager.DeleteAsync("quay.io/acme/*");

        Assert.That((await host.Manager.ListAsync()).Select(e => e.Scope.Value), Is.EqualTo(new[] { "quay.io/acme" }));
        Assert.That((await host.Resolver.ResolveAsync("quay.io/acme/app")).HasCredential, Is.False);
        Assert.That((await host.Resolver.ResolveAsync("quay.io/acme")).Credential!.Username, Is.EqualTo("exact"));
    }

    [Test]
    public async Task On_Docker_Hub_a_one_segment_repository_is_the_official_image()
    {
        using var host = new TestHost();
        var entry = await host.AddAsync("docker.io/nginx", username: "nginx");

        Assert.That(entry.Scope.Value, Is.EqualTo("docker.io/library/nginx"));
        Assert.That((await host.Resolver.ResolveAsync("nginx:1.27")).Credential!.Username, Is.EqualTo("nginx"));
        Assert.That((await host.Resolver.ResolveAsync("nginx/other")).HasCredential, Is.False);

        // The same repository spelled in full is the same key: a conflict, not a second entry that could tie.
        Assert.ThrowsAsync<RegistryConflictException>(() => host.AddAsync("docker.io/library/nginx"));
    }

    [Test]
    public async Task Adding_the_same_scope_in_another_spelling_is_a_conflict()
    {
        using var host = new TestHost();
        await host.AddAsync("docker.io/acme/*", username: "first");
        var before = await host.SnapshotAsync();

        Assert.ThrowsAsync<RegistryConflictException>(() => host.AddAsync("index.docker.io/acme/*", username: "second"));

        Assert.That(await host.SnapshotAsync(), Is.EqualTo(before));
    }

    [TestCase("docker.io/acme*", "write 'docker.io/acme/*'")]
    [TestCase("quay.io/ns/app*", "write 'quay.io/ns/app/*'")]
    [TestCase("docker.io/acme/", "trailing '/' is ambiguous")]
    public async Task A_bad_scope_is_refused_with_a_typed_error_and_nothing_stored_changes(string scope, string fragment)
    {
        using var host = new TestHost();
        await host.AddAsync("docker.io/acme/app", username: "keep", password: TestHost.NewSecret());
        await host.AddAsync("quay.io/ns/*", username: "keep2", password: TestHost.NewSecret());
        var before = await host.SnapshotAsync();

        var e = Assert.ThrowsAsync<RegistryScopeFormatException>(() => host.AddAsync(scope));
        Assert.ThrowsAsync<RegistryScopeFormatException>(() => host.Manager.GetAsync(scope));
        Assert.ThrowsAsync<RegistryScopeFormatException>(() => host.Manager.DeleteAsync(scope));

        Assert.That(e!.Message, Does.Contain(fragment));
        Assert.That(await host.SnapshotAsync(), Is.EqualTo(before));
    }

    [Test]
    public async Task Secrets_are_bound_to_the_scope_text_stores_wrote_before_subtrees_had_a_star()
    {
        // A secret protected for "quay.io/acme" (what every path scope was written as before issue 14) opens for the
        // migrated "quay.io/acme/*" and for the repository "quay.io/acme", never for another path or account.
        var protector = new AesGcmSecretProtector(Microsoft.Extensions.Options.Options.Create(
            new SecretProtectionOptions { Key = AesGcmSecretProtector.GenerateKey() }));
        var secret = TestHost.NewSecret();
        var bytes = await protector.ProtectAsync(RegistrySecret.FromString(secret), "default", RegistryScope.Parse("quay.io/acme"));

        var asSubtree = await protector.UnprotectAsync(bytes, "default", RegistryScope.Parse("quay.io/acme/*"));

        Assert.That(asSubtree.Reveal(), Is.EqualTo(secret));
        Assert.ThrowsAsync<RegistrySecretKeyException>(async () => await protector.UnprotectAsync(bytes, "default", RegistryScope.Parse("quay.io/acme/app/*")));
        Assert.ThrowsAsync<RegistrySecretKeyException>(async () => await protector.UnprotectAsync(bytes, "default", RegistryScope.Parse("quay.io")));
        Assert.ThrowsAsync<RegistrySecretKeyException>(async () => await protector.UnprotectAsync(bytes, "other", RegistryScope.Parse("quay.io/acme/*")));
    }
}
