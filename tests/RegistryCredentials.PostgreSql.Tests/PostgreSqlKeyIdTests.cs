using Microsoft.Extensions.DependencyInjection;
using RegistryCredentials.PostgreSql.Internal;

namespace RegistryCredentials.PostgreSql.Tests;

/// <summary>
/// One key per store on a real PostgreSQL server (issue 12, section 4): a schema of version 1 (written before key ids were
/// recorded) is migrated and then holds to the key its secrets are under; nodes with different keys racing for an empty
/// schema end with one key.
/// </summary>
[TestFixture]
public sealed class PostgreSqlKeyIdTests : PostgreSqlNodeTests
{
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

    private Task<string> EntriesAsync(string schema) =>
        Server.ScalarAsync<string>(
            $"SELECT coalesce(string_agg(account || '|' || scope || '|' || version || '|' || "
            + $"encode(protected_secret, 'hex'), E'\\n' ORDER BY account, scope), '') FROM {schema}.entries");

    [Test]
    public async Task A_version_1_schema_is_migrated_and_refuses_another_key_without_changing_an_entry()
    {
        var schema = PostgreSqlServer.NewName("keys_v1_");
        var keyA = AesGcmSecretProtector.GenerateKey();
        var keyB = AesGcmSecretProtector.GenerateKey();
        await Server.ExecuteAsync(ShippedSchemas.Version1(schema));
        var passwords = new Dictionary<string, string>();
        foreach (var scope in new[] { "x.example.com", "y.example.com" })
        {
            passwords[scope] = "pw-" + Guid.NewGuid().ToString("N");
            var bytes = await Protector(keyA).ProtectAsync(passwords[scope], RegistryAccounts.Default, RegistryScope.Parse(scope));
            await Server.ExecuteAsync(
                $"INSERT INTO {schema}.entries VALUES ('default', '{scope}', '{scope}', 'docker_v2', 'u', "
                + $"NULL, true, false, NULL, true, now(), now(), 1, decode('{Convert.ToHexString(bytes)}', 'hex'))");
        }

        var before = await EntriesAsync(schema);
        var idA = Protector(keyA).CurrentKeyId;
        var idB = Protector(keyB).CurrentKeyId;

        var b = Node(schema, keyB);
        var manager = b.GetRequiredService<IRegistryManager>();
        var update = Assert.ThrowsAsync<RegistrySecretKeyException>(() => manager.UpdateAsync(
            new RegistryUpdateRequest { Scope = "x.example.com", Password = "pw-" + Guid.NewGuid().ToString("N"), Validate = false }));
        var read = Assert.ThrowsAsync<RegistrySecretKeyException>(async () =>
            await b.GetRequiredService<IRegistryCredentialResolver>().ResolveAsync("y.example.com/app"));

        Assert.That(update!.Message, Does.Contain(idA).And.Contain(idB));
        Assert.That(update.StoreKeyIds, Is.EqualTo(new[] { idA }));
        Assert.That(read!.KeyId, Is.EqualTo(idA));
        Assert.That(await Server.ScalarAsync<int>($"SELECT max(version) FROM {schema}.schema_version"), Is.EqualTo(Schema.LatestVersion));
        Assert.That(await EntriesAsync(schema), Is.EqualTo(before), "no entry changed");
        Assert.That(await Server.ScalarAsync<string>($"SELECT string_agg(key_id, ',') FROM {schema}.secret_keys"), Is.EqualTo(idA));

        var a = Node(schema, keyA);
        await a.GetRequiredService<IRegistryManager>().UpdateAsync(new RegistryUpdateRequest
        {
            Scope = "x.example.com",
            Password = "pw-new",
            Validate = false,
        });
        var resolver = a.GetRequiredService<IRegistryCredentialResolver>();
        Assert.That((await resolver.ResolveAsync("x.example.com/app")).Credential!.Secret.Reveal(), Is.EqualTo("pw-new"));
        Assert.That((await resolver.ResolveAsync("y.example.com/app")).Credential!.Secret.Reveal(), Is.EqualTo(passwords["y.example.com"]));
    }

    [Test]
    public async Task The_tables_keep_their_comments_whole_though_the_migration_writes_them_on_two_lines()
    {
        // Schema.cs writes each COMMENT as two string constants separated by a newline, which PostgreSQL joins into one
        // (PostgreSQL manual, 4.1.2.1 String Constants); the stored text is the one-line original.
        var schema = PostgreSqlServer.NewName("comments_");
        using var node = Node(schema, AesGcmSecretProtector.GenerateKey());

        await node.GetRequiredService<IRegistryStore>().ListAsync(null);

        Assert.That(
            await Server.ScalarAsync<string>($"SELECT obj_description('{schema}.entries'::regclass, 'pg_class')"),
            Is.EqualTo("RegistryCredentials registry entries; protected_secret is ciphertext from ISecretProtector, never a secret in clear."));
        Assert.That(
            await Server.ScalarAsync<string>($"SELECT obj_description('{schema}.secret_keys'::regclass, 'pg_class')"),
            Is.EqualTo(
                "RegistryCredentials: ids (fingerprints, never the keys) of the secret keys the entries are protected with; "
                + "writes under another key are refused."));
    }

    [Test]
    public async Task Nodes_with_different_keys_racing_for_an_empty_schema_end_with_one_key()
    {
        var schema = PostgreSqlServer.NewName("keys_race_");
        var keys = Enumerable.Range(0, 4).Select(_ => AesGcmSecretProtector.GenerateKey()).ToList();
        var nodes = keys.Select(k => Node(schema, k)).ToList();

        // Prepare every node's store (schema migrated) before the race, so that only the key claims overlap.
        foreach (var node in nodes)
        {
            await node.GetRequiredService<IRegistryStore>().ListAsync(null);
        }

        using var go = new ManualResetEventSlim();
        var adds = nodes.Select((node, i) => Task.Run(async () =>
        {
            go.Wait();
            try
            {
                await node.GetRequiredService<IRegistryManager>().AddAsync(
                    new RegistryAddRequest { Scope = $"n{i}.example.com", Username = "u", Password = "pw-" + Guid.NewGuid().ToString("N"), Validate = false });
                return (int?)i;
            }
            catch (RegistrySecretKeyException)
            {
                return null;
            }
        })).ToList();
        go.Set();
        var winners = (await Task.WhenAll(adds)).OfType<int>().ToList();

        Assert.That(winners, Has.Count.EqualTo(1), "the first key recorded wins; every other key is refused");
        Assert.That(
            await Server.ScalarAsync<string>($"SELECT string_agg(key_id, ',') FROM {schema}.secret_keys"),
            Is.EqualTo(Protector(keys[winners[0]]).CurrentKeyId));
        Assert.That(await Server.ScalarAsync<long>($"SELECT count(*) FROM {schema}.entries"), Is.EqualTo(1));
    }
}
