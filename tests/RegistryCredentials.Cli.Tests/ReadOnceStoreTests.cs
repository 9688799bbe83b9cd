using Microsoft.Extensions.DependencyInjection;
using RegistryCredentials.Sqlite;

namespace RegistryCredentials.Cli.Tests;

/// <summary>
/// <see cref="SqliteRegistryStoreOptions.WatchOtherProcesses"/> = false, what regcred's lookups use: the store starts no
/// change poller, and still serves the manager and the resolver, with its own writes signalled and seen at once.
/// </summary>
[TestFixture]
public sealed class ReadOnceStoreTests
{
    private string _folder = null!;

    [SetUp]
    public void SetUp() => _folder = Directory.CreateTempSubdirectory("regcred-readonce-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_folder, recursive: true);

    [Test]
    public void Other_processes_are_watched_by_default() => Assert.That(new SqliteRegistryStoreOptions().WatchOtherProcesses, Is.True);

    [Test]
    public async Task A_store_that_does_not_watch_other_processes_still_signals_and_resolves_its_own_writes()
    {
        var services = new ServiceCollection();
        services.AddRegistryCredentials().UseSqliteStore(Path.Combine(_folder, "registries.db"), o => o.WatchOtherProcesses = false)
            .UseSecretProtection(o => o.Key = AesGcmSecretProtector.GenerateKey());
        await using var provider = services.BuildServiceProvider();
        var store = provider.GetRequiredService<IRegistryStore>();
        var manager = provider.GetRequiredService<IRegistryManager>();
        var resolver = provider.GetRequiredService<IRegistryCredentialResolver>();
        Assert.That((await resolver.ResolveAsync("reg.example.com/team/app:1")).Kind, Is.EqualTo(RegistryResolutionKind.Anonymous));

        var token = store.Watch();
        var password = "s3cret-" + Guid.NewGuid().ToString("N");
        await manager.AddAsync(new RegistryAddRequest { Scope = "reg.example.com/team/*", Username = "ci", Password = password, Validate = false });
        var resolution = await resolver.ResolveAsync("reg.example.com/team/app:1");

        Assert.Multiple(() =>
        {
            Assert.That(token.HasChanged, Is.True, "a write through the store itself fires its token");
            Assert.That(resolution.Kind, Is.EqualTo(RegistryResolutionKind.Credential), resolution.Message);
            Assert.That(resolution.Credential!.Username, Is.EqualTo("ci"));
            Assert.That(resolution.Credential.Secret.Reveal(), Is.EqualTo(password));
        });
    }
}
