using Microsoft.Extensions.Primitives;

namespace RegistryCredentials.AspNetCore;

/// <summary>The default <see cref="IRegistrySettingsStore"/>: settings live as long as the process.</summary>
public sealed class InMemoryRegistrySettingsStore : IRegistrySettingsStore, IDisposable
{
    private readonly RegistryChangeSignal _changes = new();
    private volatile RegistrySettings? _current;

    /// <inheritdoc />
    public RegistrySettings? Current => _current;

    /// <inheritdoc />
    public ValueTask SaveAsync(RegistrySettings settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        cancellationToken.ThrowIfCancellationRequested();
        _current = settings;
        _changes.Fire();
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public IChangeToken Watch() => _changes.Watch();

    /// <summary>Closes the change signal: tokens from <see cref="Watch"/> never fire afterwards (see <see cref="RegistryChangeSignal"/>).</summary>
    public void Dispose() => _changes.Dispose();
}
