using Microsoft.Extensions.DependencyInjection;
using RegistryCredentials.Tests.Support;

namespace RegistryCredentials.Tests;

/// <summary>
/// One key per store (issue 12, section 4): a store records the ids of the keys its secrets are under, a write under a
/// key it does not know is refused before anything changes, and a read under an unknown key is a typed error.
/// </summary>
public class StoreKeyTests
{
    private InMemoryRegistryStore _store = null!;
    private readonly List<ServiceProvider> _providers = [];

    [SetUp]
    public void SetUp() => _store = new InMemoryRegistryStore();

    [TearDown]
    public void TearDown()
    {
        foreach (var provider in _providers)
        {
            provider.Dispose();
        }

        _providers.Clear();
        _store.Dispose();
    }

    private ServiceProvider Node(string key, params string[] retired)
    {
        var services = new ServiceCollection();
        services.AddRegistryCredentials().UseStore(_store).UseSecretProtection(o =>
        {
            o.Key = key;
            o.KeyEnvironmentVariable = null;
            o.CreateKeyFile = false;
            foreach (var old in retired)
            {
                o.RetiredKeys.Add(old);
            }
        });
        var provider = services.BuildServiceProvider();
        _providers.Add(provider);
        return provider;
    }

    private static string KeyId(ServiceProvider node) => ((AesGcmSecretProtector)node.GetRequiredService<ISecretProtector>()).CurrentKeyId;

    private static Task<RegistryEntry> AddAsync(ServiceProvider node, string scope, string password) =>
        node.GetRequiredService<IRegistryManager>().AddAsync(new RegistryAddRequest { Scope = scope, Username = "u", Password = password, Validate = false });

    private async Task<string> SnapshotAsync() =>
        string.Join(
            "\n",
            (await _store.ListAsync(null)).Select(r =>
                $"{r.Entry.Account}|{r.Entry.Scope}|{r.Entry.Version}|{Convert.ToBase64String(r.ProtectedSecret.Span)}"));

    private static async Task<string> ResolveAsync(ServiceProvider node, string image) =>
        (await node.GetRequiredService<IRegistryCredentialResolver>().ResolveAsync(image)).Credential!.Secret.Reveal();

    [Test]
    public async Task A_write_under_a_key_the_store_does_not_know_is_refused_naming_both_keys_and_changes_nothing()
    {
        var a = Node(AesGcmSecretProtector.GenerateKey());
        var passwordX = TestHost.NewSecret();
        var passwordY = TestHost.NewSecret();
        await AddAsync(a, "x.example.com", passwordX);
        await AddAsync(a, "y.example.com", passwordY);
        var before = await SnapshotAsync();

        var b = Node(AesGcmSecretProtector.GenerateKey());
        var manager = b.GetRequiredService<IRegistryManager>();
        var update = Assert.ThrowsAsync<RegistrySecretKeyException>(() => manager.UpdateAsync(
            new RegistryUpdateRequest { Scope = "x.example.com", Password = TestHost.NewSecret(), Validate = false }));
        var add = Assert.ThrowsAsync<RegistrySecretKeyException>(() => AddAsync(b, "z.example.com", TestHost.NewSecret()));
        var replace = Assert.ThrowsAsync<RegistrySecretKeyException>(() => manager.AddAsync(
            new RegistryAddRequest { Scope = "y.example.com", Username = "u", Password = TestHost.NewSecret(), Validate = false, Replace = true }));

        foreach (var error in new[] { update!, add!, replace! })
        {
            Assert.That(error.Message, Does.Contain(KeyId(a)).And.Contain(KeyId(b)), "the message names the store's key and this process's key");
            Assert.That(error.StoreKeyIds, Is.EqualTo(new[] { KeyId(a) }));
            Assert.That(error.ProtectorKeyId, Is.EqualTo(KeyId(b)));
        }

        Assert.That(await SnapshotAsync(), Is.EqualTo(before), "nothing stored changed");
        Assert.That(await ResolveAsync(a, "x.example.com/app"), Is.EqualTo(passwordX), "key A still reads every entry");
        Assert.That(await ResolveAsync(a, "y.example.com/app"), Is.EqualTo(passwordY));
        Assert.That(await _store.GetKeyIdsAsync(), Is.EqualTo(new[] { KeyId(a) }));
    }

    [Test]
    public async Task A_read_under_an_unknown_key_is_a_typed_error_through_the_resolver_and_the_manager()
    {
        var a = Node(AesGcmSecretProtector.GenerateKey());
        await AddAsync(a, "x.example.com", TestHost.NewSecret());
        var b = Node(AesGcmSecretProtector.GenerateKey());

        var resolve = Assert.ThrowsAsync<RegistrySecretKeyException>(async () =>
            await b.GetRequiredService<IRegistryCredentialResolver>().ResolveAsync("x.example.com/app"));
        var update = Assert.ThrowsAsync<RegistrySecretKeyException>(() => b.GetRequiredService<IRegistryManager>().UpdateAsync(
            new RegistryUpdateRequest { Scope = "x.example.com", Username = "renamed", Validate = false }));

        Assert.That(resolve!.KeyId, Is.EqualTo(KeyId(a)));
        Assert.That(resolve.ProtectorKeyId, Is.EqualTo(KeyId(b)));
        Assert.That(resolve.Message, Does.Contain(KeyId(a)).And.Contain(KeyId(b)));
        Assert.That(update!.KeyId, Is.EqualTo(KeyId(a)));
    }

    [Test]
    public async Task The_per_process_key_fails_typed_never_with_a_raw_cryptographic_exception()
    {
        using var first = new ServiceCollection().AddRegistryCredentials().UseStore(_store).Services.BuildServiceProvider();
        await AddAsync(first, "x.example.com", TestHost.NewSecret());
        using var second = new ServiceCollection().AddRegistryCredentials().UseStore(_store).Services.BuildServiceProvider();
        var before = await SnapshotAsync();

        var read = Assert.ThrowsAsync<RegistrySecretKeyException>(async () =>
            await second.GetRequiredService<IRegistryCredentialResolver>().ResolveAsync("x.example.com/app"));
        var write = Assert.ThrowsAsync<RegistrySecretKeyException>(() => AddAsync(second, "y.example.com", TestHost.NewSecret()));

        Assert.That(read!.KeyId, Is.EqualTo(first.GetRequiredService<ISecretProtector>().CurrentKeyId));
        Assert.That(write!.ProtectorKeyId, Is.EqualTo(second.GetRequiredService<ISecretProtector>().CurrentKeyId).And.Not.EqualTo(read.KeyId));
        Assert.That(await SnapshotAsync(), Is.EqualTo(before));
    }

    [Test]
    public async Task A_store_written_before_key_ids_were_recorded_adopts_the_keys_its_secrets_name()
    {
        var keyA = AesGcmSecretProtector.GenerateKey();
        var a = Node(keyA);
        var protectorA = a.GetRequiredService<ISecretProtector>();
        var password = TestHost.NewSecret();

        // As a store of an earlier version holds them: records, and no key id recorded.
        var scope = RegistryScope.Parse("x.example.com");
        await _store.AddAsync(new RegistryRecord(
            new RegistryEntry
            {
                Account = RegistryAccounts.Default,
                Scope = scope,
                Name = "x",
                Type = RegistryType.DockerV2,
                Username = "u",
                CreatedOn = TestHost.Start,
                UpdatedOn = TestHost.Start,
            },
            await protectorA.ProtectAsync(password, RegistryAccounts.Default, scope)));
        Assert.That(await _store.GetKeyIdsAsync(), Is.Empty);
        var before = await SnapshotAsync();

        var b = Node(AesGcmSecretProtector.GenerateKey());
        var refused = Assert.ThrowsAsync<RegistrySecretKeyException>(() => AddAsync(b, "y.example.com", TestHost.NewSecret()));
        Assert.That(refused!.StoreKeyIds, Is.EqualTo(new[] { KeyId(a) }), "the key its secret names, not the first writer's");
        Assert.That(await SnapshotAsync(), Is.EqualTo(before));

        await AddAsync(Node(keyA), "y.example.com", TestHost.NewSecret());
        Assert.That(await _store.GetKeyIdsAsync(), Is.EqualTo(new[] { KeyId(a) }));
        Assert.That(await ResolveAsync(a, "x.example.com/app"), Is.EqualTo(password));
    }

    [Test]
    public async Task The_first_write_to_an_empty_store_records_its_key_and_a_refused_validation_records_none()
    {
        var a = Node(AesGcmSecretProtector.GenerateKey());
        var refusedByRegistry = a.GetRequiredService<IRegistryManager>().AddAsync(
            new RegistryAddRequest { Scope = "127.0.0.1:1", Username = "u", Password = TestHost.NewSecret(), Validate = true });
        Assert.CatchAsync<RegistryCredentialsException>(() => refusedByRegistry);
        Assert.That(await _store.GetKeyIdsAsync(), Is.Empty, "a write that did not happen binds the store to no key");

        await AddAsync(a, "x.example.com", TestHost.NewSecret());
        Assert.That(await _store.GetKeyIdsAsync(), Is.EqualTo(new[] { KeyId(a) }));
    }

    [Test]
    public async Task Rotation_is_the_one_way_to_a_new_key_and_the_store_forgets_the_old_key_when_it_finishes()
    {
        var oldKey = AesGcmSecretProtector.GenerateKey();
        var newKey = AesGcmSecretProtector.GenerateKey();
        var old = Node(oldKey);
        var passwords = new Dictionary<string, string>();
        foreach (var scope in new[] { "x.example.com", "y.example.com" })
        {
            passwords[scope] = TestHost.NewSecret();
            await AddAsync(old, scope, passwords[scope]);
        }

        // The new key alone is a stranger: it may neither write nor rotate.
        var stranger = Node(newKey);
        var before = await SnapshotAsync();
        var strangerRotation = Assert.ThrowsAsync<RegistrySecretKeyException>(() => stranger.GetRequiredService<IRegistryManager>().RotateKeyAsync());
        Assert.That(strangerRotation!.Message, Does.Contain(KeyId(old)).And.Contain(KeyId(stranger)));
        Assert.That(await SnapshotAsync(), Is.EqualTo(before));
        Assert.That(await _store.GetKeyIdsAsync(), Is.EqualTo(new[] { KeyId(old) }));

        // With the old key retired beside it, it rotates.
        var rotating = Node(newKey, oldKey);
        Assert.That(await rotating.GetRequiredService<IRegistryManager>().RotateKeyAsync(), Is.EqualTo(2));
        Assert.That(await _store.GetKeyIdsAsync(), Is.EqualTo(new[] { KeyId(stranger) }));

        // Now the new key writes and reads everything, and the old one is refused.
        await AddAsync(stranger, "z.example.com", TestHost.NewSecret());
        Assert.That(await ResolveAsync(stranger, "x.example.com/app"), Is.EqualTo(passwords["x.example.com"]));
        var stale = Assert.ThrowsAsync<RegistrySecretKeyException>(() => AddAsync(Node(oldKey), "w.example.com", TestHost.NewSecret()));
        Assert.That(stale!.StoreKeyIds, Is.EqualTo(new[] { KeyId(stranger) }));
    }

    [Test]
    public async Task A_write_during_rotation_under_the_old_key_is_re_encrypted_before_the_old_key_is_forgotten()
    {
        var oldKey = AesGcmSecretProtector.GenerateKey();
        var newKey = AesGcmSecretProtector.GenerateKey();
        var old = Node(oldKey);
        await AddAsync(old, "x.example.com", TestHost.NewSecret());

        // Rotation has begun (the store knows both keys) when a node still on the old key writes.
        var rotating = Node(newKey, oldKey);
        var newId = KeyId(rotating);
        Assert.That(await _store.ReplaceKeyIdsAsync([KeyId(old)], [KeyId(old), newId]), Is.True);
        var late = TestHost.NewSecret();
        await AddAsync(old, "late.example.com", late);

        Assert.That(await rotating.GetRequiredService<IRegistryManager>().RotateKeyAsync(), Is.EqualTo(2));
        Assert.That(await _store.GetKeyIdsAsync(), Is.EqualTo(new[] { newId }));
        Assert.That(await ResolveAsync(Node(newKey), "late.example.com/app"), Is.EqualTo(late));
    }
}
