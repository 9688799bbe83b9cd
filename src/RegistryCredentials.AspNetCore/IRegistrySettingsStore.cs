using Microsoft.Extensions.Primitives;

namespace RegistryCredentials.AspNetCore;

/// <summary>
/// Keeps the settings written through the HTTP API. They are applied to <see cref="RegistryCredentialsOptions"/> after
/// configuration, and every save reloads the options (<c>IOptionsMonitor</c>), so the resolver uses them at once.
/// The default is <see cref="InMemoryRegistrySettingsStore"/>; <see cref="JsonFileRegistrySettingsStore"/> keeps them in a file.
/// </summary>
public interface IRegistrySettingsStore
{
    /// <summary>
    /// The stored settings, or null when none were ever saved (configuration applies). Read on the options path, so it
    /// must answer from memory once loaded.
    /// </summary>
    RegistrySettings? Current { get; }

    /// <summary>Stores the settings (already checked), then signals <see cref="Watch"/>.</summary>
    /// <param name="settings">The settings.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the settings are stored.</returns>
    ValueTask SaveAsync(RegistrySettings settings, CancellationToken cancellationToken = default);

    /// <summary>A change token that fires after the next save.</summary>
    /// <returns>The token.</returns>
    IChangeToken Watch();
}
