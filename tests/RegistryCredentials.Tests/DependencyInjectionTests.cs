using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace RegistryCredentials.Tests;

public class DependencyInjectionTests
{
    [Test]
    public void Defaults_are_registered_and_can_be_replaced()
    {
        var services = new ServiceCollection().AddLogging();
        var store = new InMemoryRegistryStore();
        services.AddRegistryCredentials().UseStore(store).UseInMemoryStore().UseStore(store);
        using var provider = services.BuildServiceProvider(validateScopes: true);

        Assert.That(provider.GetRequiredService<IRegistryStore>(), Is.SameAs(store));
        Assert.That(provider.GetRequiredService<IRegistryCredentialResolver>(), Is.Not.Null);
        Assert.That(provider.GetRequiredService<IRegistryManager>(), Is.Not.Null);
        Assert.That(provider.GetServices<RegistryCredentialProvider>().Select(p => p.Type), Is.EqualTo(new[] { RegistryType.DockerV2 }));
        Assert.That(provider.GetRequiredService<TimeProvider>(), Is.SameAs(TimeProvider.System));
        store.Dispose();
    }

    [Test]
    public void Calling_AddRegistryCredentials_twice_registers_once()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddRegistryCredentials();
        services.AddRegistryCredentials();
        using var provider = services.BuildServiceProvider();
        Assert.That(provider.GetServices<RegistryCredentialProvider>().Count(), Is.EqualTo(1));
        Assert.That(provider.GetServices<IValidateOptions<RegistryCredentialsOptions>>().Count(), Is.EqualTo(1));
    }

    [Test]
    public async Task Options_bind_from_configuration()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["RegistryCredentials:DefaultRegistry"] = "reg.example.com",
            ["RegistryCredentials:AllowedRegistries:0"] = "reg.example.com",
            ["RegistryCredentials:AllowedRegistries:1"] = "*.azurecr.io",
            ["RegistryCredentials:SkipInactiveEntries"] = "true",
            ["RegistryCredentials:Account"] = "tenant-7",
        }).Build();
        var services = new ServiceCollection().AddLogging();
        services.AddRegistryCredentials();
        services.Configure<RegistryCredentialsOptions>(configuration.GetSection(RegistryCredentialsOptions.SectionName));
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<RegistryCredentialsOptions>>().Value;
        Assert.That(options.DefaultRegistry, Is.EqualTo("reg.example.com"));
        Assert.That(options.AllowedRegistries, Is.EqualTo(new[] { "reg.example.com", "*.azurecr.io" }));
        Assert.That(options.SkipInactiveEntries, Is.True);
        Assert.That(options.Account, Is.EqualTo("tenant-7"));

        var resolution = await provider.GetRequiredService<IRegistryCredentialResolver>().ResolveAsync("ubuntu");
        Assert.That(resolution.Registry, Is.EqualTo("reg.example.com"));
        Assert.That((await provider.GetRequiredService<IRegistryCredentialResolver>().ResolveAsync("quay.io/a/b")).IsDenied, Is.True);
    }

    [Test]
    public void Invalid_options_report_every_error_at_once()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddRegistryCredentials(o =>
        {
            o.DefaultRegistry = "https://reg.example.com";
            o.AllowedRegistries.Add("ok.example.com");
            o.AllowedRegistries.Add("bad host");
            o.AllowedRegistries.Add("x.io:99999");
            o.Account = "no spaces please";
        });
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IRegistryCredentialResolver>());
        Assert.That(error!.Failures.ToList(), Has.Count.EqualTo(4));
        Assert.That(error.Message, Does.Contain("DefaultRegistry").And.Contain("drop the scheme"));
        Assert.That(error.Message, Does.Contain("AllowedRegistries[1]").And.Contain("whitespace"));
        Assert.That(error.Message, Does.Contain("AllowedRegistries[2]").And.Contain("out of range"));
        Assert.That(error.Message, Does.Contain("Account"));
        Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IRegistryManager>());
    }

    [TestCase("reg.example.com/path")]
    [TestCase("*.example.com")]
    public void Default_registry_must_be_a_plain_host(string value)
    {
        var services = new ServiceCollection().AddLogging();
        services.AddRegistryCredentials(o => o.DefaultRegistry = value);
        using var provider = services.BuildServiceProvider();
        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IRegistryCredentialResolver>());
        Assert.That(error!.Message, Does.Contain("host[:port]"));
    }

    [Test]
    public void Options_are_validated_on_start()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddRegistryCredentials(o => o.AllowedRegistries.Add("not a host"));
        using var provider = services.BuildServiceProvider();
        var startup = provider.GetRequiredService<IStartupValidator>();
        Assert.Throws<OptionsValidationException>(startup.Validate);
    }

    [Test]
    public async Task Works_without_logging_registered()
    {
        var services = new ServiceCollection();
        services.AddRegistryCredentials();
        using var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<IRegistryManager>().AddAsync(new RegistryAddRequest
        {
            Scope = "reg.example.com", Username = "u", Password = "p", Validate = false,
        });
        var resolution = await provider.GetRequiredService<IRegistryCredentialResolver>().ResolveAsync("reg.example.com/app");
        Assert.That(resolution.HasCredential, Is.True);
    }
}
