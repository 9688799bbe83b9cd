using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace RegistryCredentials.Tests;

public class AesGcmSecretProtectorTests
{
    private static readonly RegistryScope Scope = RegistryScope.Parse("reg.example.com/team");
    private string _folder = null!;

    [SetUp]
    public void SetUp() => _folder = Directory.CreateTempSubdirectory("regcred-key-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_folder, recursive: true);

    private static AesGcmSecretProtector Protector(Action<SecretProtectionOptions> configure)
    {
        var options = new SecretProtectionOptions { KeyEnvironmentVariable = null };
        configure(options);
        return new AesGcmSecretProtector(Options.Create(options));
    }

    [Test]
    public async Task Key_file_is_created_with_mode_0600_and_reused()
    {
        var path = Path.Combine(_folder, "sub", "secret.key");
        var first = Protector(o => o.KeyFile = path);
        var secret = "s-" + Guid.NewGuid();
        var bytes = await first.ProtectAsync(secret, "acct", Scope);

        Assert.That(File.Exists(path), Is.True);
        if (!OperatingSystem.IsWindows())
        {
            Assert.That(File.GetUnixFileMode(path), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
        }

        var second = Protector(o => o.KeyFile = path);
        Assert.That(second.CurrentKeyId, Is.EqualTo(first.CurrentKeyId));
        Assert.That((await second.UnprotectAsync(bytes, "acct", Scope)).Reveal(), Is.EqualTo(secret));
        Assert.That(System.Text.Encoding.UTF8.GetString(bytes), Does.Not.Contain(secret));
    }

    [Test]
    public void Key_comes_from_options_then_environment_then_file()
    {
        var fromOptions = AesGcmSecretProtector.GenerateKey();
        var fromEnvironment = AesGcmSecretProtector.GenerateKey();
        var variable = "REGCRED_TEST_KEY_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(variable, fromEnvironment);
        try
        {
            var file = Path.Combine(_folder, "k");
            var byOptions = Protector(o => { o.Key = fromOptions; o.KeyEnvironmentVariable = variable; o.KeyFile = file; });
            var byEnvironment = Protector(o => { o.KeyEnvironmentVariable = variable; o.KeyFile = file; });
            var byFile = Protector(o => o.KeyFile = file);

            Assert.That(byOptions.CurrentKeyId, Is.EqualTo(Protector(o => o.Key = fromOptions).CurrentKeyId));
            Assert.That(byEnvironment.CurrentKeyId, Is.EqualTo(Protector(o => o.Key = fromEnvironment).CurrentKeyId));
            Assert.That(byFile.CurrentKeyId, Is.Not.EqualTo(byOptions.CurrentKeyId).And.Not.EqualTo(byEnvironment.CurrentKeyId));
            Assert.That(File.Exists(file), Is.True, "only the last one needed the file");
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    [TestCase("not base64!")]
    [TestCase("AAAA")]
    public void Malformed_key_is_a_typed_error(string key)
    {
        var error = Assert.Throws<RegistrySecretKeyException>(() => Protector(o => o.Key = key));
        Assert.That(error!.Message, Does.Contain("base64 of 32 bytes"));
    }

    [Test]
    public void Missing_key_without_permission_to_create_is_a_typed_error()
    {
        var path = Path.Combine(_folder, "absent.key");
        var error = Assert.Throws<RegistrySecretKeyException>(() => Protector(o => { o.KeyFile = path; o.CreateKeyFile = false; }));
        Assert.That(error!.Message, Does.Contain(path));
        Assert.That(File.Exists(path), Is.False);
    }

    [Test]
    public void A_key_file_that_cannot_be_read_is_a_typed_error_naming_it()
    {
        // Issue 13 (one failure model): the read error was a raw IOException. /proc/self/mem exists and fails every read
        // at offset 0 with EIO, whatever the user (the tests may run as root, for whom file modes do not stop a read).
        Assume.That(OperatingSystem.IsLinux() && File.Exists("/proc/self/mem"), "needs Linux's /proc/self/mem");
        var path = Path.Combine(_folder, "unreadable.key");
        File.CreateSymbolicLink(path, "/proc/self/mem");

        var error = Assert.Throws<RegistrySecretKeyException>(() => Protector(o => { o.KeyFile = path; o.CreateKeyFile = false; }));

        Assert.That(error!.Message, Does.Contain(path).And.Contain("could not be read"));
        Assert.That(error.Reason, Is.EqualTo(RegistryErrorReason.SecretKey));
    }

    [Test]
    public async Task Wrong_key_altered_bytes_and_another_entry_are_typed_errors()
    {
        var protector = Protector(o => o.Key = AesGcmSecretProtector.GenerateKey());
        var bytes = await protector.ProtectAsync("s", "acct", Scope);

        var wrong = Assert.ThrowsAsync<RegistrySecretKeyException>(async () =>
            await Protector(o => o.Key = AesGcmSecretProtector.GenerateKey()).UnprotectAsync(bytes, "acct", Scope));
        Assert.That(wrong!.KeyId, Is.EqualTo(protector.CurrentKeyId));
        Assert.That(wrong.Message, Does.Contain("not configured"));

        Assert.ThrowsAsync<RegistrySecretKeyException>(async () => await protector.UnprotectAsync(bytes, "acct", RegistryScope.Parse("other.example.com")));
        var altered = (byte[])bytes.Clone();
        altered[^1] ^= 0x55;
        Assert.ThrowsAsync<RegistrySecretKeyException>(async () => await protector.UnprotectAsync(altered, "acct", Scope));
        Assert.ThrowsAsync<RegistrySecretKeyException>(async () => await protector.UnprotectAsync(new byte[] { 1, 2, 3 }, "acct", Scope));
    }

    [Test]
    public async Task Rotation_re_encrypts_everything_and_old_keys_decrypt_until_it_finishes()
    {
        var oldKey = AesGcmSecretProtector.GenerateKey();
        var newKey = AesGcmSecretProtector.GenerateKey();
        using var store = new InMemoryRegistryStore();
        var secrets = new Dictionary<string, string>();

        ServiceProvider Build(string key, params string[] retired)
        {
            var services = new ServiceCollection();
            services.AddRegistryCredentials().UseStore(store).UseSecretProtection(o =>
            {
                o.Key = key;
                foreach (var r in retired)
                {
                    o.RetiredKeys.Add(r);
                }
            });
            return services.BuildServiceProvider();
        }

        using (var before = Build(oldKey))
        {
            var manager = before.GetRequiredService<IRegistryManager>();
            foreach (var (scope, account) in new[] { ("a.example.com", "default"), ("b.example.com/x", "default"), ("a.example.com", "team") })
            {
                secrets[account + scope] = "s-" + Guid.NewGuid();
                await manager.AddAsync(new RegistryAddRequest
                {
                    Scope = scope,
                    Account = account,
                    Username = "u",
                    Password = secrets[account + scope],
                    Validate = false,
                });
            }
        }

        using (var during = Build(newKey, oldKey))
        {
            var resolver = during.GetRequiredService<IRegistryCredentialResolver>();
            Assert.That(
                (await resolver.ResolveAsync("a.example.com/app")).Credential!.Secret.Reveal(),
                Is.EqualTo(secrets["defaulta.example.com"]),
                "the retired key still decrypts");
            Assert.That(await during.GetRequiredService<IRegistryManager>().RotateKeyAsync(), Is.EqualTo(3));
            Assert.That(await during.GetRequiredService<IRegistryManager>().RotateKeyAsync(), Is.Zero, "a second run has nothing left to do");
        }

        using var after = Build(newKey);
        var protector = after.GetRequiredService<ISecretProtector>();
        foreach (var record in await store.ListAsync(null))
        {
            Assert.That(protector.IsCurrent(record.ProtectedSecret), Is.True);
            var secret = await protector.UnprotectAsync(record.ProtectedSecret, record.Entry.Account, record.Entry.Scope);
            Assert.That(secret.Reveal(), Is.EqualTo(secrets[record.Entry.Account + record.Entry.Scope.Value]));
        }
    }

    [Test]
    public async Task Rotation_with_a_missing_old_key_fails_typed_and_overwrites_nothing()
    {
        using var store = new InMemoryRegistryStore();
        var services = new ServiceCollection();
        services.AddRegistryCredentials().UseStore(store).UseSecretProtection(o => o.Key = AesGcmSecretProtector.GenerateKey());
        using (var provider = services.BuildServiceProvider())
        {
            await provider.GetRequiredService<IRegistryManager>().AddAsync(new RegistryAddRequest
            {
                Scope = "a.example.com",
                Username = "u",
                Password = "p",
                Validate = false,
            });
        }

        var before = (await store.ListAsync(null)).Single().ProtectedSecret.ToArray();
        var other = new ServiceCollection();
        other.AddRegistryCredentials().UseStore(store).UseSecretProtection(o => o.Key = AesGcmSecretProtector.GenerateKey());
        using var wrong = other.BuildServiceProvider();

        Assert.ThrowsAsync<RegistrySecretKeyException>(() => wrong.GetRequiredService<IRegistryManager>().RotateKeyAsync());
        Assert.That((await store.ListAsync(null)).Single().ProtectedSecret.ToArray(), Is.EqualTo(before));
    }

    [Test]
    public void EnsureDurableSecretProtection_replaces_only_the_per_process_default()
    {
        var custom = new Moq.Mock<ISecretProtector>().Object;
        var withCustom = new ServiceCollection();
        withCustom.AddSingleton(custom);
        withCustom.AddRegistryCredentials().EnsureDurableSecretProtection();
        using var customProvider = withCustom.BuildServiceProvider();
        Assert.That(customProvider.GetRequiredService<ISecretProtector>(), Is.SameAs(custom));

        var plain = new ServiceCollection();
        plain.Configure<SecretProtectionOptions>(o => o.Key = AesGcmSecretProtector.GenerateKey());
        plain.AddRegistryCredentials().EnsureDurableSecretProtection();
        using var plainProvider = plain.BuildServiceProvider();
        Assert.That(plainProvider.GetRequiredService<ISecretProtector>(), Is.InstanceOf<AesGcmSecretProtector>());
    }
}
