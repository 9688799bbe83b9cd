using Microsoft.Extensions.DependencyInjection;

namespace RegistryCredentials.Sqlite.Tests;

/// <summary><c>AddRegistryCredentials().UseSqliteStore(path)</c>: the store, the manager and the resolver on one file.</summary>
[TestFixture]
public sealed class SqliteDependencyInjectionTests
{
    private TempDatabase _db = null!;

    [SetUp]
    public void CreateFolder() => _db = new TempDatabase();

    [TearDown]
    public void DeleteFolder() => _db.Dispose();

    [Test]
    public async Task UseSqliteStoreServesTheManagerAndTheResolver()
    {
        var services = new ServiceCollection();
        services.AddRegistryCredentials().UseSqliteStore(_db.Path, o => o.ChangePollInterval = TimeSpan.FromMilliseconds(100))
            .UseSecretProtection(o => o.Key = AesGcmSecretProtector.GenerateKey());
        await using var provider = services.BuildServiceProvider();

        var store = provider.GetRequiredService<IRegistryStore>();
        Assert.That(store, Is.TypeOf<SqliteRegistryStore>());
        Assert.That(provider.GetRequiredService<SqliteRegistryStore>(), Is.SameAs(store));
        Assert.That(((SqliteRegistryStore)store).DatabasePath, Is.EqualTo(_db.Path));

        var manager = provider.GetRequiredService<IRegistryManager>();
        var resolver = provider.GetRequiredService<IRegistryCredentialResolver>();
        Assert.That((await resolver.ResolveAsync("reg.example.com/team/app:1")).Kind, Is.EqualTo(RegistryResolutionKind.Anonymous));

        await manager.AddAsync(new RegistryAddRequest { Scope = "reg.example.com/team/*", Username = "ci", Password = "s3cret", Validate = false });
        var resolution = await resolver.ResolveAsync("reg.example.com/team/app:1");

        Assert.That(resolution.Kind, Is.EqualTo(RegistryResolutionKind.Credential), resolution.Message);
        Assert.That(resolution.Credential!.Username, Is.EqualTo("ci"));
        Assert.That(resolution.Credential.Secret.Reveal(), Is.EqualTo("s3cret"));
        Assert.That(File.Exists(_db.Path), Is.True);
    }

    [Test]
    public async Task AResolverSeesAnEntryAddedThroughAnotherStoreOnTheFile()
    {
        var services = new ServiceCollection();
        services.AddRegistryCredentials().UseSqliteStore(_db.Path, o => o.ChangePollInterval = TimeSpan.FromMilliseconds(100))
            .UseSecretProtection(o => o.Key = AesGcmSecretProtector.GenerateKey());
        await using var provider = services.BuildServiceProvider();
        var resolver = provider.GetRequiredService<IRegistryCredentialResolver>();
        var protector = provider.GetRequiredService<ISecretProtector>();
        Assert.That((await resolver.ResolveAsync("other.example.com/app")).Kind, Is.EqualTo(RegistryResolutionKind.Anonymous));

        // Another store on the same file (as another process would have), writing with the same protector.
        await using var other = _db.Open();
        var scope = RegistryScope.Parse("other.example.com");
        var entry = new RegistryEntry
        {
            Account = RegistryAccounts.Default,
            Scope = scope,
            Name = "other",
            Type = RegistryType.DockerV2,
            Username = "someone",
            CreatedOn = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero),
            UpdatedOn = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero),
        };
        await other.AddAsync(new RegistryRecord(entry, await protector.ProtectAsync(RegistrySecret.FromString("pw"), entry.Account, entry.Scope)));

        var clock = System.Diagnostics.Stopwatch.StartNew();
        RegistryResolution resolution;
        do
        {
            await Task.Delay(50);
            resolution = await resolver.ResolveAsync("other.example.com/app");
        }
        while (resolution.Kind != RegistryResolutionKind.Credential && clock.Elapsed < TimeSpan.FromSeconds(5));

        Assert.That(resolution.Kind, Is.EqualTo(RegistryResolutionKind.Credential), resolution.Message);
        Assert.That(resolution.Credential!.Username, Is.EqualTo("someone"));
    }

    [Test]
    public async Task ADeleteWithAStaleExpectedVersionKeepsTheEntryOnTheFile()
    {
        var services = new ServiceCollection();
        services.AddRegistryCredentials().UseSqliteStore(_db.Path).UseSecretProtection(o => o.Key = AesGcmSecretProtector.GenerateKey());
        await using var provider = services.BuildServiceProvider();
        var manager = provider.GetRequiredService<IRegistryManager>();
        var resolver = provider.GetRequiredService<IRegistryCredentialResolver>();
        var password = "pw-" + Guid.NewGuid().ToString("N");
        var entry = await manager.AddAsync(new RegistryAddRequest { Scope = "reg.example.com", Username = "ci", Password = password, Validate = false });
        await manager.UpdateAsync(new RegistryUpdateRequest { Scope = "reg.example.com", Name = "renamed", Validate = false });

        var error = Assert.ThrowsAsync<RegistryConcurrencyException>(() => manager.DeleteAsync(entry.Scope, expectedVersion: entry.Version));

        Assert.That(error!.ActualVersion, Is.EqualTo(2));
        var kept = await manager.GetAsync(entry.Scope);
        Assert.That(kept.Name, Is.EqualTo("renamed"));
        Assert.That((await resolver.ResolveAsync("reg.example.com/app")).Credential!.Secret.Reveal(), Is.EqualTo(password));

        await manager.DeleteAsync(entry.Scope, expectedVersion: kept.Version);
        Assert.That(await manager.ListAsync(), Is.Empty);
    }

    [Test]
    public void UseSqliteStoreChecksItsArguments()
    {
        var builder = new ServiceCollection().AddRegistryCredentials();
        Assert.Throws<ArgumentException>(() => builder.UseSqliteStore(""));
        Assert.Throws<ArgumentException>(() => builder.UseSqliteStore("x.db", o => o.BusyTimeout = TimeSpan.Zero));
    }

    [Test]
    public async Task UseSqliteStoreProtectsSecretsWithADurableKeyThatSurvivesARestart()
    {
        var keyFolder = Directory.CreateTempSubdirectory("regcred-key-").FullName;
        try
        {
            var keyFile = System.IO.Path.Combine(keyFolder, "secret.key");
            ServiceProvider Build()
            {
                var services = new ServiceCollection();
                services.Configure<SecretProtectionOptions>(o => o.KeyFile = keyFile);
                services.AddRegistryCredentials().UseSqliteStore(_db.Path);
                return services.BuildServiceProvider();
            }

            await using (var first = Build())
            {
                Assert.That(first.GetRequiredService<ISecretProtector>(), Is.InstanceOf<AesGcmSecretProtector>());
                await first.GetRequiredService<IRegistryManager>().AddAsync(new RegistryAddRequest
                {
                    Scope = "reg.example.com",
                    Username = "u",
                    Password = "kept",
                    Validate = false,
                });
            }

            Assert.That(File.Exists(keyFile), Is.True, "the key lives outside the database folder");
            await using var second = Build();
            var resolution = await second.GetRequiredService<IRegistryCredentialResolver>().ResolveAsync("reg.example.com/app");
            Assert.That(resolution.Credential!.Secret.Reveal(), Is.EqualTo("kept"));
        }
        finally
        {
            Directory.Delete(keyFolder, recursive: true);
        }
    }
}
