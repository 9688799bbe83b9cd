using Microsoft.Extensions.DependencyInjection;
using RegistryCredentials.Tests.Support;

namespace RegistryCredentials.Tests;

/// <summary>
/// The <c>RegistryCredentials.RegistryHttp.IsSupported</c> feature switch (regcred-lookup sets it false at publish time): off,
/// the core registers none of its registry HTTP services, the resolver still answers from the store, and an add or update that
/// asks for validation fails with the manager's typed error for a missing validator, storing nothing.
/// </summary>
/// <remarks>
/// AppContext switches are process-wide. This assembly declares no <c>[Parallelizable]</c> (NUnit then runs its tests one at
/// a time); the fixture is also <c>[NonParallelizable]</c>, so that it runs alone even if the assembly is parallelised later.
/// The switch cannot be removed once set: each test sets it back to true (the default's meaning) when it ends.
/// </remarks>
[TestFixture]
[NonParallelizable]
public sealed class RegistryHttpFeatureSwitchTests
{
    private const string Switch = "RegistryCredentials.RegistryHttp.IsSupported";

    /// <summary>The registry HTTP services the switch governs, by type name (they are internal but for two).</summary>
    private static readonly string[] HttpServices =
        ["RegistryTransport", "RegistryHttpSender", "IRegistryHttpSender", "RegistryTokenClient", "RegistryAuthenticator", "IRegistryCredentialValidator"];

    private readonly List<ServiceProvider> _providers = [];

    [TearDown]
    public async Task RestoreTheSwitch()
    {
        AppContext.SetSwitch(Switch, true);
        foreach (var provider in _providers)
        {
            await provider.DisposeAsync();
        }

        _providers.Clear();
    }

    [Test]
    [Order(1)]
    public void UnsetTheRegistryHttpServicesAndTheValidatorAreRegistered()
    {
        Assert.That(AppContext.TryGetSwitch(Switch, out _), Is.False, "nothing in this assembly set the switch before this test");
        var (services, provider) = Node();

        Assert.That(RegisteredHttpServices(services), Is.EquivalentTo(HttpServices));
        Assert.That(provider.GetService<IRegistryCredentialValidator>(), Is.Not.Null);
        Assert.That(provider.GetService<IRegistryHttpSender>(), Is.Not.Null);
    }

    [Test]
    public void SetTrueTheRegistryHttpServicesAndTheValidatorAreRegistered()
    {
        AppContext.SetSwitch(Switch, true);
        var (services, provider) = Node();

        Assert.That(RegisteredHttpServices(services), Is.EquivalentTo(HttpServices));
        Assert.That(provider.GetService<IRegistryCredentialValidator>(), Is.Not.Null);
    }

    [Test]
    public void OffNoRegistryHttpServiceIsRegistered()
    {
        AppContext.SetSwitch(Switch, false);
        var (services, provider) = Node();

        Assert.That(RegisteredHttpServices(services), Is.Empty);
        Assert.That(provider.GetService<IRegistryCredentialValidator>(), Is.Null);
        Assert.That(provider.GetService<IRegistryHttpSender>(), Is.Null);
        Assert.That(provider.GetRequiredService<IRegistryManager>(), Is.Not.Null, "the manager is built without a validator");
    }

    [Test]
    public async Task OffTheResolverAnswersADockerV2EntryAddedWithoutValidation()
    {
        AppContext.SetSwitch(Switch, false);
        var (_, provider) = Node();
        var password = TestHost.NewSecret();
        await provider.GetRequiredService<IRegistryManager>().AddAsync(
            new RegistryAddRequest { Scope = "reg.example.com/team/*", Username = "ci", Password = password, Validate = false });

        var resolution = await provider.GetRequiredService<IRegistryCredentialResolver>().ResolveAsync("reg.example.com/team/app:1");

        Assert.That(resolution.HasCredential, Is.True, resolution.Message);
        Assert.That(resolution.Credential!.Username, Is.EqualTo("ci"));
        Assert.That(resolution.Credential.Secret.Reveal(), Is.EqualTo(password));
    }

    [Test]
    public async Task OffAnAddThatAsksForValidationFailsWithTheMissingValidatorErrorAndStoresNothing()
    {
        AppContext.SetSwitch(Switch, false);
        var (_, provider) = Node();
        var manager = provider.GetRequiredService<IRegistryManager>();
        var store = provider.GetRequiredService<IRegistryStore>();
        await manager.AddAsync(new RegistryAddRequest { Scope = "kept.example.com", Username = "kept", Password = TestHost.NewSecret(), Validate = false });
        var before = await SnapshotAsync(store);

        var add = Assert.ThrowsAsync<RegistryCredentialsException>(() => manager.AddAsync(
            new RegistryAddRequest { Scope = "reg.example.com", Username = "ci", Password = TestHost.NewSecret() }));
        var update = Assert.ThrowsAsync<RegistryCredentialsException>(() => manager.UpdateAsync(
            new RegistryUpdateRequest { Scope = "kept.example.com", Username = "changed", Password = TestHost.NewSecret(), Validate = true }));

        using (Assert.EnterMultipleScope())
        {
            foreach (var error in new[] { add!, update! })
            {
                Assert.That(error, Is.TypeOf<RegistryCredentialsException>());
                Assert.That(error.Reason, Is.EqualTo(RegistryErrorReason.Misconfigured));
                Assert.That(error.Message, Does.Contain("no IRegistryCredentialValidator is registered"));
            }

            Assert.That(await SnapshotAsync(store), Is.EqualTo(before), "nothing stored, nothing changed");
            Assert.That(await store.GetAsync(RegistryAccounts.Default, RegistryScope.Parse("reg.example.com")), Is.Null);
        }
    }

    private (ServiceCollection Services, ServiceProvider Provider) Node()
    {
        var services = new ServiceCollection();
        services.AddRegistryCredentials().UseInMemoryStore().UseSecretProtection(o =>
        {
            o.Key = AesGcmSecretProtector.GenerateKey();
            o.KeyEnvironmentVariable = null;
            o.CreateKeyFile = false;
        });
        var provider = services.BuildServiceProvider();
        _providers.Add(provider);
        return (services, provider);
    }

    private static List<string> RegisteredHttpServices(ServiceCollection services) =>
        [.. services.Select(d => d.ServiceType.Name).Where(HttpServices.Contains).Distinct()];

    private static async Task<string> SnapshotAsync(IRegistryStore store) => string.Join(
        '\n',
        (await store.ListAsync(null)).Select(r =>
            $"{r.Entry.Account}|{r.Entry.Scope}|{r.Entry.Version}|{r.Entry.Username}|{Convert.ToHexString(r.ProtectedSecret.Span)}"));
}
