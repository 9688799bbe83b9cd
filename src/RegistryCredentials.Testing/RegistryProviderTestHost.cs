using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using RegistryCredentials.Testing.Internal;

namespace RegistryCredentials.Testing;

/// <summary>
/// The host <see cref="RegistryProviderConformanceTests"/> runs a provider in: RegistryCredentials on the in-memory
/// store with the provider added, a <see cref="FakeTimeProvider"/>, every log line captured, and a credential validator
/// whose answer the test chooses. It also collects what the secret-canary test searches: texts of everything observed and
/// the secrets that must not appear in them.
/// </summary>
public sealed class RegistryProviderTestHost : IAsyncDisposable, IDisposable
{
    private readonly ServiceProvider _services;
    private readonly CapturingLoggerProvider _logs = new();
    private readonly ConcurrentQueue<string> _texts = new();
    private readonly ConcurrentQueue<string> _secrets = new();
    private int _exceptions;

    internal RegistryProviderTestHost(FakeTimeProvider time, Action<RegistryCredentialsBuilder> addProvider)
    {
        Time = time;
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(_logs));
        services.AddSingleton<TimeProvider>(time);
        services.AddSingleton<IRegistryCredentialValidator>(new ConformanceValidator(this));
        addProvider(services.AddRegistryCredentials());
        _services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    /// <summary>The clock of the host (and of the fake upstream, when the fixture gives it this clock).</summary>
    public FakeTimeProvider Time { get; }

    /// <summary>The services.</summary>
    public IServiceProvider Services => _services;

    /// <summary>The management API.</summary>
    public IRegistryManager Manager => _services.GetRequiredService<IRegistryManager>();

    /// <summary>The resolver.</summary>
    public IRegistryCredentialResolver Resolver => _services.GetRequiredService<IRegistryCredentialResolver>();

    /// <summary>The store.</summary>
    public IRegistryStore Store => _services.GetRequiredService<IRegistryStore>();

    /// <summary>The token cache.</summary>
    public RegistryTokenCache TokenCache => _services.GetRequiredService<RegistryTokenCache>();

    /// <summary>Every log line so far, formatted with its values and exception.</summary>
    public IReadOnlyCollection<string> LogLines => _logs.Lines;

    /// <summary>What the host's credential validator answers; <see cref="RegistryValidationResult.Valid"/> unless changed.</summary>
    public RegistryValidationResult ValidationResult { get; set; } = RegistryValidationResult.Valid;

    /// <summary>The texts observed so far (not the log lines).</summary>
    internal IReadOnlyCollection<string> Texts => _texts;

    /// <summary>The secrets that must not appear.</summary>
    internal IReadOnlyCollection<string> Secrets => _secrets;

    /// <summary>How many exceptions were observed.</summary>
    internal int Exceptions => Volatile.Read(ref _exceptions);

    /// <summary>The provider the resolver and manager use for <paramref name="type"/> (the last one registered).</summary>
    /// <param name="type">The type.</param>
    /// <returns>The provider.</returns>
    public RegistryCredentialProvider Provider(RegistryType type) =>
        _services.GetServices<RegistryCredentialProvider>().Last(p => p.Type == type);

    /// <summary>Adds a secret (or a token the upstream issued) that must appear in no log line, exception, <c>ToString()</c> or JSON.</summary>
    /// <param name="secret">The secret.</param>
    public void WatchSecret(string secret)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        _secrets.Enqueue(secret);
    }

    /// <summary>
    /// Records what a value shows: an exception's <c>ToString()</c> (message, inner exceptions, stack); anything else's
    /// <c>ToString()</c> and JSON.
    /// </summary>
    /// <param name="value">The value; null is ignored.</param>
    public void Observe(object? value)
    {
        switch (value)
        {
            case null:
                return;
            case Exception exception:
                Interlocked.Increment(ref _exceptions);
                _texts.Enqueue(exception.ToString());
                return;
            case string text:
                _texts.Enqueue(text);
                return;
            default:
                _texts.Enqueue(value.ToString() ?? string.Empty);
                _texts.Enqueue(JsonSerializer.Serialize(value, value.GetType()));
                return;
        }
    }

    /// <summary>Runs an action that may fail, and observes its exception.</summary>
    /// <param name="action">The action.</param>
    /// <returns>The exception, or null when the action succeeded.</returns>
    public async Task<Exception?> CatchAsync(Func<Task> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        try
        {
            await action().ConfigureAwait(false);
            return null;
        }
#pragma warning disable CA1031 // every failure is what the canary looks at
        catch (Exception e)
#pragma warning restore CA1031
        {
            Observe(e);
            return e;
        }
    }

    /// <summary>Disposes the services (and with them the provider and the token cache).</summary>
    public void Dispose() => _services.Dispose();

    /// <summary>Disposes the services (and with them the provider and the token cache), asynchronous disposables too.</summary>
    /// <returns>A task.</returns>
    public ValueTask DisposeAsync() => _services.DisposeAsync();
}
