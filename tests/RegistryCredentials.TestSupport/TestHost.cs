using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Moq;
using RegistryCredentials.Testing;

namespace RegistryCredentials.Tests.Support;

/// <summary>A service provider with RegistryCredentials on the in-memory store, a fake clock, captured logs and a mocked validator.</summary>
public sealed class TestHost : IDisposable
{
    private readonly ServiceProvider _provider;

    public TestHost(Action<RegistryCredentialsOptions>? configure = null, Action<RegistryCredentialsBuilder>? build = null, bool withValidator = true)
    {
        Validator = new Mock<IRegistryCredentialValidator>(MockBehavior.Strict);
        Validator
            .Setup(v => v.ValidateAsync(It.IsAny<RegistryEntry>(), It.IsAny<RegistryCredential>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(RegistryValidationResult.Valid);
        var services = new ServiceCollection();
        services.AddLogging(l => l.SetMinimumLevel(LogLevel.Trace).AddProvider(Logs));
        services.AddSingleton<TimeProvider>(Time);
        if (withValidator)
        {
            services.AddSingleton(Validator.Object);
        }

        var builder = services.AddRegistryCredentials(configure);
        build?.Invoke(builder);
        _provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    public static DateTimeOffset Start { get; } = new(2026, 11, 25, 8, 0, 0, TimeSpan.Zero);

    public FakeTimeProvider Time { get; } = new(Start);

    public CapturingLoggerProvider Logs { get; } = new();

    public Mock<IRegistryCredentialValidator> Validator { get; }

    public IRegistryManager Manager => _provider.GetRequiredService<IRegistryManager>();

    public IRegistryCredentialResolver Resolver => _provider.GetRequiredService<IRegistryCredentialResolver>();

    public IRegistryStore Store => _provider.GetRequiredService<IRegistryStore>();

    public IServiceProvider Services => _provider;

    /// <summary>Adds an entry without validation.</summary>
    public Task<RegistryEntry> AddAsync(string scope, string username = "user", string password = "pw", RegistryType? type = null, string? account = null) =>
        Manager.AddAsync(new RegistryAddRequest
        {
            Scope = scope,
            Username = username,
            Password = password,
            Type = type,
            Account = account,
            Validate = false,
        });

    /// <summary>A fresh, unique secret for one test run.</summary>
    public static string NewSecret() => "pw-" + Guid.NewGuid().ToString("N");

    /// <summary>Everything the store holds, for before/after comparisons.</summary>
    public async Task<string> SnapshotAsync()
    {
        var records = await Store.ListAsync(null);
        return string.Join(
            "\n",
            records.Select(r =>
                $"{r.Entry.Account}|{r.Entry} |{r.Entry.Name}|{r.Entry.Email}|{r.Entry.UpdatedOn:O}|{Convert.ToBase64String(r.ProtectedSecret.Span)}"));
    }

    public void Dispose() => _provider.Dispose();
}
