using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RegistryCredentials.AspNetCore.Tests.Support;

namespace RegistryCredentials.AspNetCore.Tests;

/// <summary>Where settings written through the API are kept, and how they reach the options.</summary>
public class SettingsStoreTests
{
    private string _directory = null!;

    [SetUp]
    public void SetUp() => _directory = Directory.CreateTempSubdirectory("rc-settings-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_directory, recursive: true);

    [Test]
    public async Task The_in_memory_store_signals_every_save()
    {
        using var store = new InMemoryRegistrySettingsStore();
        Assert.That(store.Current, Is.Null);
        var token = store.Watch();
        await store.SaveAsync(new RegistrySettings { DefaultRegistry = "reg.example.com" });
        Assert.That(token.HasChanged, Is.True);
        Assert.That(store.Watch().HasChanged, Is.False);
        Assert.That(store.Current?.DefaultRegistry, Is.EqualTo("reg.example.com"));
    }

    [Test]
    public async Task The_file_store_keeps_settings_across_instances_and_replaces_the_file_whole()
    {
        var path = Path.Combine(_directory, "sub", "settings.json");
        using (var store = new JsonFileRegistrySettingsStore(path))
        {
            Assert.That(store.Current, Is.Null);
            var token = store.Watch();
            await store.SaveAsync(new RegistrySettings { DefaultRegistry = "reg.example.com", AllowedRegistries = ["reg.example.com", "docker.io"] });
            Assert.That(token.HasChanged, Is.True);
        }

        Assert.That(Directory.GetFiles(Path.GetDirectoryName(path)!), Is.EqualTo(new[] { path }), "no temporary file left behind");
        Assert.That(await File.ReadAllTextAsync(path), Does.Contain("\"default_registry\": \"reg.example.com\""));
        using var reopened = new JsonFileRegistrySettingsStore(path);
        Assert.That(reopened.Current?.DefaultRegistry, Is.EqualTo("reg.example.com"));
        Assert.That(reopened.Current?.AllowedRegistries, Is.EqualTo(new[] { "reg.example.com", "docker.io" }));
    }

    [Test]
    public async Task Disposing_a_settings_store_closes_its_change_signal_and_watching_does_not_throw()
    {
        // RegistryChangeSignal's rule: after disposal no token fires and taking one does not throw (the options monitor
        // may take one while the host shuts down).
        var memory = new InMemoryRegistrySettingsStore();
        var file = new JsonFileRegistrySettingsStore(Path.Combine(_directory, "settings.json"));
        foreach (var (store, dispose) in new (IRegistrySettingsStore, Action)[] { (memory, memory.Dispose), (file, file.Dispose) })
        {
            var before = store.Watch();
            dispose();
            Microsoft.Extensions.Primitives.IChangeToken? after = null;
            Assert.That(() => after = store.Watch(), Throws.Nothing);
            Assert.That(before.HasChanged, Is.False);
            Assert.That(after!.HasChanged, Is.False);
        }

        var token = memory.Watch();
        await memory.SaveAsync(new RegistrySettings { DefaultRegistry = "reg.example.com" });
        Assert.That(memory.Current?.DefaultRegistry, Is.EqualTo("reg.example.com"), "the in-memory store still keeps settings");
        Assert.That(token.HasChanged, Is.False);
    }

    [Test]
    public async Task A_file_that_is_not_a_settings_document_is_an_error_naming_it_and_is_left_alone()
    {
        var path = Path.Combine(_directory, "settings.json");
        await File.WriteAllTextAsync(path, "not json");
        using var store = new JsonFileRegistrySettingsStore(path);
        var error = Assert.Throws<RegistryCredentialsException>(() => _ = store.Current);
        Assert.That(error!.Message, Does.Contain(path));
        Assert.That(error.Reason, Is.EqualTo(RegistryErrorReason.StoreIncompatible), "issue 13: one failure model (it was InvalidDataException)");
        Assert.That(await File.ReadAllTextAsync(path), Is.EqualTo("not json"));
    }

    [Test]
    public async Task Stored_settings_replace_configuration_and_survive_a_restart()
    {
        var path = Path.Combine(_directory, "settings.json");
        void Configure(ApiHostOptions o)
        {
            o.Core = core =>
            {
                core.DefaultRegistry = "configured.example.com";
                core.AllowedRegistries.Add("configured.example.com");
            };
            o.Build = builder => builder.UseSettingsFile(path);
        }

        await using (var host = await ApiHost.StartAsync(Configure))
        {
            var options = host.Services.GetRequiredService<IOptionsMonitor<RegistryCredentialsOptions>>();
            Assert.That(options.CurrentValue.DefaultRegistry, Is.EqualTo("configured.example.com"), "nothing stored yet: configuration applies");
            using var client = host.Client("alice");
            await (await System.Net.Http.Json.HttpClientJsonExtensions.PutAsJsonAsync(
                client,
                "/registries/_settings",
                new { default_registry = "stored.example.com", allowed_registries = new[] { "stored.example.com" } })).ExpectAsync(200);
            Assert.That(options.CurrentValue.DefaultRegistry, Is.EqualTo("stored.example.com"));
            Assert.That(options.CurrentValue.AllowedRegistries, Is.EqualTo(new[] { "stored.example.com" }));
        }

        await using var restarted = await ApiHost.StartAsync(Configure);
        var resolution = await restarted.Resolver.ResolveAsync(ImageReference.Parse("ubuntu"), "alice");
        Assert.That(resolution.Registry, Is.EqualTo("stored.example.com"));
        Assert.That(resolution.Kind, Is.EqualTo(RegistryResolutionKind.Anonymous));
    }

    [Test]
    public async Task A_custom_store_can_be_plugged_in()
    {
        await using var host = await ApiHost.StartAsync(o => o.Build = builder => builder.UseSettingsStore<CountingSettingsStore>());
        using var client = host.Client("alice");
        await (await System.Net.Http.Json.HttpClientJsonExtensions.PutAsJsonAsync(
            client,
            "/registries/_settings",
            new { default_registry = "reg.example.com" })).ExpectAsync(200);
        Assert.That(((CountingSettingsStore)host.Services.GetRequiredService<IRegistrySettingsStore>()).Saves, Is.EqualTo(1));
    }

    public sealed class CountingSettingsStore : IRegistrySettingsStore, IDisposable
    {
        private readonly InMemoryRegistrySettingsStore _inner = new();

        public int Saves { get; private set; }

        public RegistrySettings? Current => _inner.Current;

        public ValueTask SaveAsync(RegistrySettings settings, CancellationToken cancellationToken = default)
        {
            Saves++;
            return _inner.SaveAsync(settings, cancellationToken);
        }

        public Microsoft.Extensions.Primitives.IChangeToken Watch() => _inner.Watch();

        public void Dispose() => _inner.Dispose();
    }
}
