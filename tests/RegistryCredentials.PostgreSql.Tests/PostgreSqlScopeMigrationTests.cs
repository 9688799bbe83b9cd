using Microsoft.Extensions.DependencyInjection;
using RegistryCredentials.PostgreSql.Internal;

namespace RegistryCredentials.PostgreSql.Tests;

/// <summary>
/// Issue 14 §1 on a real PostgreSQL server: a schema written at version 2, when a path scope <c>host/path</c> covered the
/// repository and everything below it, is migrated to Anchore's scopes so that every image that matched an entry before
/// matches it after with the same credential, and nothing new matches.
/// </summary>
[TestFixture]
public sealed class PostgreSqlScopeMigrationTests : PostgreSqlNodeTests
{
    /// <summary>The scopes as version 2 wrote them (no '/*' then).</summary>
    private static readonly string[] OldScopes =
        ["docker.io", "docker.io/acme", "docker.io/library/nginx", "quay.io/ns/app", "localhost:5000/app", "*.azurecr.io/team"];

    /// <summary>Images, and the old scope whose credential each got under version 2 (null: anonymous).</summary>
    private static readonly (string Image, string? OldScope)[] Pulls =
    [
        ("acme/app", "docker.io/acme"),
        ("acme/team/app", "docker.io/acme"),
        ("acme", "docker.io"),
        ("nginx:1.27", "docker.io/library/nginx"),
        ("docker.io/library/nginx/sub", "docker.io/library/nginx"),
        ("quay.io/ns/app:1", "quay.io/ns/app"),
        ("quay.io/ns/app/sub", "quay.io/ns/app"),
        ("quay.io/ns/application", null),
        ("localhost:5000/app", "localhost:5000/app"),
        ("localhost:5000/app/x", "localhost:5000/app"),
        ("myreg.azurecr.io/team", "*.azurecr.io/team"),
        ("myreg.azurecr.io/team/app", "*.azurecr.io/team"),
        ("myreg.azurecr.io/teams/app", null),
    ];

    private static string User(string scope) => "user-" + Array.IndexOf(OldScopes, scope);

    private ServiceProvider Node(string schema, string key)
    {
        var services = new ServiceCollection();
        services.AddRegistryCredentials().UsePostgreSqlStore(Server.ConnectionString(), o => o.Schema = schema).UseSecretProtection(o =>
        {
            o.Key = key;
            o.KeyEnvironmentVariable = null;
            o.CreateKeyFile = false;
        });
        var provider = services.BuildServiceProvider();
        Nodes.Add(provider);
        return provider;
    }

    /// <summary>
    /// Writes a version 2 schema. Version 2 bound each secret to <c>account\nscope</c> with the scope as it wrote it; the
    /// scope given to the protector has that text as its binding (a path scope as its subtree, whose binding is host/path).
    /// </summary>
    private async Task<Dictionary<string, string>> CreateVersion2SchemaAsync(string schema, string key)
    {
        await Server.ExecuteAsync(ShippedSchemas.Version2(schema));
        var protector = Protector(key);
        await Server.ExecuteAsync($"INSERT INTO {schema}.secret_keys (key_id) VALUES ('{protector.CurrentKeyId}')");
        var passwords = new Dictionary<string, string>();
        foreach (var scope in OldScopes)
        {
            passwords[scope] = "pw-" + Guid.NewGuid().ToString("N");
            var binding = RegistryScope.Parse(scope.Contains('/', StringComparison.Ordinal) ? scope + "/*" : scope);
            var bytes = await protector.ProtectAsync(RegistrySecret.FromString(passwords[scope]), RegistryAccounts.Default, binding);
            await Server.ExecuteAsync(
                $"INSERT INTO {schema}.entries VALUES ('default', '{scope}', 'name of {scope}', 'docker_v2', '{User(scope)}', NULL, true, false, NULL, true, " +
                $"'2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', 2, decode('{Convert.ToHexString(bytes)}', 'hex'))");
        }

        return passwords;
    }

    [Test]
    public async Task A_version_2_schema_keeps_every_match_with_its_credential_and_gains_none()
    {
        var schema = PostgreSqlServer.NewName("scopes_v2_");
        var key = AesGcmSecretProtector.GenerateKey();
        var passwords = await CreateVersion2SchemaAsync(schema, key);

        var node = Node(schema, key);
        var resolver = node.GetRequiredService<IRegistryCredentialResolver>();
        var entries = await node.GetRequiredService<IRegistryManager>().ListAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(entries.Select(e => e.Scope.Value), Is.EquivalentTo(new[]
            {
                "docker.io",
                "docker.io/acme/*",
                "docker.io/library/nginx", "docker.io/library/nginx/*",
                "quay.io/ns/app", "quay.io/ns/app/*",
                "localhost:5000/app", "localhost:5000/app/*",
                "*.azurecr.io/team", "*.azurecr.io/team/*",
            }));
            Assert.That(await Server.ScalarAsync<int>($"SELECT max(version) FROM {schema}.schema_version"), Is.EqualTo(Schema.LatestVersion));
            foreach (var (image, oldScope) in Pulls)
            {
                var resolution = await resolver.ResolveAsync(image);
                if (oldScope is null)
                {
                    Assert.That(resolution.HasCredential, Is.False, $"{image}: {resolution.Message}");
                    continue;
                }

                Assert.That(resolution.Credential?.Username, Is.EqualTo(User(oldScope)), $"{image}: {resolution.Message}");
                Assert.That(resolution.Credential?.Secret.Reveal(), Is.EqualTo(passwords[oldScope]), image);
            }
        }

        // A second node on the migrated schema migrates nothing again.
        var again = await Node(schema, key).GetRequiredService<IRegistryManager>().ListAsync();
        Assert.That(again, Has.Count.EqualTo(entries.Count));
    }
}
