using Microsoft.Extensions.Primitives;
using RegistryCredentials.AspNetCore.Internal;

namespace RegistryCredentials.AspNetCore;

/// <summary>The default <see cref="IRegistrySettingsStore"/>: settings live as long as the process.</summary>
public sealed class InMemoryRegistrySettingsStore : IRegistrySettingsStore, IDisposable
{
    private readonly ChangeSignal _changes = new();
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

    /// <summary>Releases the change signal.</summary>
    public void Dispose() => _changes.Dispose();
}
