using Microsoft.Extensions.DependencyInjection;
using RegistryCredentials.Sqlite.Internal;

namespace RegistryCredentials.Sqlite.Tests;

/// <summary>
/// Issue 14 §1: a database written by schema version 2, when a path scope <c>host/path</c> covered the repository and
/// everything below it, is migrated to Anchore's scopes (<c>host/path</c> one repository, <c>host/path/*</c> below it)
/// so that every image that matched an entry before matches it after, with the same credential, and nothing new matches.
/// </summary>
[TestFixture]
public sealed class SqliteScopeMigrationTests : SqliteNodeTests
{

    /// <summary>The scopes as version 2 wrote them (canonical then: no '/*'), with their accounts.</summary>
    private static readonly (string Account, string Scope)[] OldScopes =
    [
        ("default", "docker.io"),
        ("default", "docker.io/acme"),
        ("default", "docker.io/library/nginx"),
        ("default", "docker.io/acme/team"),
        ("default", "quay.io/ns/app"),
        ("default", "localhost:5000/app"),
        ("default", "reg.example.com"),
        ("team", "*.azurecr.io/team"),
    ];

    /// <summary>Images, and the old scope whose credential each got under version 2 (null: anonymous).</summary>
    private static readonly (string Account, string Image, string? OldScope)[] Pulls =
    [
        ("default", "acme/app", "docker.io/acme"),
        ("default", "acme/team/app", "docker.io/acme/team"),
        ("default", "acme/team", "docker.io/acme/team"),
        ("default", "acme", "docker.io"),
        ("default", "acmecorp/app", "docker.io"),
        ("default", "nginx:1.27", "docker.io/library/nginx"),
        ("default", "docker.io/library/nginx/sub", "docker.io/library/nginx"),
        ("default", "redis", "docker.io"),
        ("default", "quay.io/ns/app:1", "quay.io/ns/app"),
        ("default", "quay.io/ns/app/sub", "quay.io/ns/app"),
        ("default", "quay.io/ns/application", null),
        ("default", "quay.io/ns", null),
        ("default", "localhost:5000/app", "localhost:5000/app"),
        ("default", "localhost:5000/app/x", "localhost:5000/app"),
        ("default", "localhost:5000/apps", null),
        ("default", "reg.example.com/anything/at/all", "reg.example.com"),
        ("team", "myreg.azurecr.io/team", "*.azurecr.io/team"),
        ("team", "myreg.azurecr.io/team/app", "*.azurecr.io/team"),
        ("team", "myreg.azurecr.io/teams/app", null),
    ];

    private ServiceProvider Node(string key, string account = RegistryAccounts.Default)
    {
        var services = new ServiceCollection();
        services.AddRegistryCredentials(o => o.Account = account).UseSqliteStore(Db.Path).UseSecretProtection(o =>
        {
            o.Key = key;
            o.KeyEnvironmentVariable = null;
            o.CreateKeyFile = false;
        });
        var provider = services.BuildServiceProvider();
        Nodes.Add(provider);
        return provider;
    }

    /// <summary>The user name of an old scope's entry, which says which entry a resolution came from.</summary>
    private static string User(string scope) => "user-" + Array.FindIndex(OldScopes, s => s.Scope == scope);

    /// <summary>
    /// Writes a version 2 database. Version 2 bound each secret to <c>account\nscope</c> with the scope as it wrote it; the
    /// scope passed to the protector here has that text as its binding (a path scope is given as its subtree, whose binding
    /// is <c>host/path</c>, which also keeps the one-segment Docker Hub namespace from reading as <c>library/</c>).
    /// </summary>
    private async Task<Dictionary<string, string>> CreateVersion2DatabaseAsync(string key)
    {
        Db.RawExecute(ShippedSchemas.Version2);
        var protector = Protector(key);
        Db.RawExecute($"INSERT INTO registry_secret_keys (key_id, added_on) VALUES ('{protector.CurrentKeyId}', '2026-01-01T00:00:00.0000000+00:00')");
        var passwords = new Dictionary<string, string>();
        foreach (var (account, scope) in OldScopes)
        {
            var password = "pw-" + Guid.NewGuid().ToString("N");
            passwords[account + "|" + scope] = password;
            var binding = RegistryScope.Parse(scope.Contains('/', StringComparison.Ordinal) ? scope + "/*" : scope);
            var bytes = await protector.ProtectAsync(RegistrySecret.FromString(password), account, binding);
            Db.RawExecute(
                "INSERT INTO registry_entries (account, scope, name, type, username, email, verify_tls, insecure_http, ca_certificates, " +
                "is_active, created_on, updated_on, version, protected_secret) " +
                $"VALUES ('{account}', '{scope}', 'name of {scope}', 'docker_v2', '{User(scope)}', NULL, 1, 0, NULL, 1, " +
                $"'2026-01-01T00:00:00.0000000+00:00', '2026-01-01T00:00:00.0000000+00:00', 3, X'{Convert.ToHexString(bytes)}')");
        }

        return passwords;
    }

    [Test]
    public async Task Every_image_that_matched_an_entry_before_still_gets_its_credential_and_nothing_new_matches()
    {
        var key = AesGcmSecretProtector.GenerateKey();
        var passwords = await CreateVersion2DatabaseAsync(key);
        var nodes = new Dictionary<string, ServiceProvider> { ["default"] = Node(key), ["team"] = Node(key, "team") };

        using (Assert.EnterMultipleScope())
        {
            foreach (var (account, image, oldScope) in Pulls)
            {
                var resolution = await nodes[account].GetRequiredService<IRegistryCredentialResolver>().ResolveAsync(image);
                if (oldScope is null)
                {
                    Assert.That(resolution.HasCredential, Is.False, $"{image}: {resolution.Message}");
                    continue;
                }

                Assert.That(resolution.HasCredential, Is.True, $"{image}: {resolution.Message}");
                Assert.That(resolution.Credential?.Username, Is.EqualTo(User(oldScope)), image);
                Assert.That(resolution.Credential?.Secret.Reveal(), Is.EqualTo(passwords[account + "|" + oldScope]), image);
            }
        }
    }

    [Test]
    public async Task Path_scopes_become_subtrees_with_an_exact_twin_except_a_Docker_Hub_namespace()
    {
        var key = AesGcmSecretProtector.GenerateKey();
        await CreateVersion2DatabaseAsync(key);
        var revisionBefore = long.Parse(Db.RawScalar("SELECT revision FROM registry_revision"), System.Globalization.CultureInfo.InvariantCulture);

        var manager = Node(key).GetRequiredService<IRegistryManager>();
        var entries = await manager.ListAsync();
        var team = await Node(key, "team").GetRequiredService<IRegistryManager>().ListAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(entries.Select(e => e.Scope.Value), Is.EquivalentTo(new[]
            {
                "docker.io",
                "docker.io/acme/*",
                "docker.io/library/nginx", "docker.io/library/nginx/*",
                "docker.io/acme/team", "docker.io/acme/team/*",
                "quay.io/ns/app", "quay.io/ns/app/*",
                "localhost:5000/app", "localhost:5000/app/*",
                "reg.example.com",
            }));
            Assert.That(team.Select(e => e.Scope.Value), Is.EquivalentTo(new[] { "*.azurecr.io/team", "*.azurecr.io/team/*" }));

            // A twin is the same entry under another scope: name, user, version and times are kept.
            var twin = entries.Single(e => e.Scope.Value == "quay.io/ns/app");
            var subtree = entries.Single(e => e.Scope.Value == "quay.io/ns/app/*");
            Assert.That((twin.Name, twin.Username, twin.Version, twin.CreatedOn), Is.EqualTo((subtree.Name, subtree.Username, subtree.Version,
                subtree.CreatedOn)));
            Assert.That(subtree.Name, Is.EqualTo("name of quay.io/ns/app"));
            Assert.That(subtree.Version, Is.EqualTo(3));

            Assert.That(
                Db.RawScalar("SELECT group_concat(version) FROM registry_schema"),
                Is.EqualTo(string.Join(",", Enumerable.Range(1, Schema.LatestVersion))));
            Assert.That(
                long.Parse(Db.RawScalar("SELECT revision FROM registry_revision"), System.Globalization.CultureInfo.InvariantCulture),
                Is.GreaterThan(revisionBefore),
                "the rewrite is a change other processes see");
        }
    }

    [Test]
    public async Task The_migration_runs_once_and_the_twins_are_independent_entries_afterwards()
    {
        var key = AesGcmSecretProtector.GenerateKey();
        await CreateVersion2DatabaseAsync(key);
        var first = Node(key).GetRequiredService<IRegistryManager>();
        var count = (await first.ListAsync()).Count;

        await first.DeleteAsync("quay.io/ns/app/*");
        await first.UpdateAsync(new RegistryUpdateRequest { Scope = "quay.io/ns/app", Password = "pw-new-" + Guid.NewGuid().ToString("N"), Validate = false });
        var again = Node(key);

        Assert.That((await again.GetRequiredService<IRegistryManager>().ListAsync()).Count, Is.EqualTo(count - 1), "reopening migrates nothing again");
        var resolver = again.GetRequiredService<IRegistryCredentialResolver>();
        Assert.That((await resolver.ResolveAsync("quay.io/ns/app/sub")).HasCredential, Is.False);
        Assert.That((await resolver.ResolveAsync("quay.io/ns/app")).Credential!.Secret.Reveal(), Does.StartWith("pw-new-"));
    }

    [Test]
    public async Task A_migrated_database_opened_with_another_key_is_refused_and_nothing_is_added()
    {
        var key = AesGcmSecretProtector.GenerateKey();
        await CreateVersion2DatabaseAsync(key);
        var other = Node(AesGcmSecretProtector.GenerateKey());

        var resolver = other.GetRequiredService<IRegistryCredentialResolver>();
        var error = Assert.ThrowsAsync<RegistrySecretKeyException>(async () => await resolver.ResolveAsync("quay.io/ns/app"));
        var add = Assert.ThrowsAsync<RegistrySecretKeyException>(() => other.GetRequiredService<IRegistryManager>().AddAsync(
            new RegistryAddRequest { Scope = "quay.io/other/*", Username = "u", Password = "pw-" + Guid.NewGuid().ToString("N"), Validate = false }));

        Assert.That(error!.KeyId, Is.EqualTo(Protector(key).CurrentKeyId));
        Assert.That(add, Is.Not.Null);
        Assert.That(Db.RawScalar("SELECT count(*) FROM registry_entries WHERE scope LIKE 'quay.io/other%'"), Is.EqualTo("0"));
    }
}
