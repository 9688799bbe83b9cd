using System.Text.Json;
using Microsoft.Extensions.Primitives;
using RegistryCredentials.AspNetCore.Internal;

namespace RegistryCredentials.AspNetCore;

/// <summary>
/// An <see cref="IRegistrySettingsStore"/> that keeps the settings in a JSON file (the API's
/// <c>{"default_registry": …, "allowed_registries": […]}</c>), replaced atomically on every save. The file is read
/// once, when the settings are first needed; a file that is not such a document is an error naming the file.
/// Changes made to the file by other processes are not watched.
/// </summary>
public sealed class JsonFileRegistrySettingsStore : IRegistrySettingsStore, IDisposable
{
    private readonly RegistryChangeSignal _changes = new();
    private readonly SemaphoreSlim _write = new(1, 1);
    private readonly Lock _load = new();
    private RegistrySettings? _current;
    private bool _loaded;

    /// <summary>Creates the store; the file is created on the first save.</summary>
    /// <param name="path">The file, such as <c>registry-settings.json</c>; relative to the working folder.</param>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty.</exception>
    public JsonFileRegistrySettingsStore(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        FilePath = Path.GetFullPath(path);
    }

    /// <summary>The full path of the file.</summary>
    public string FilePath { get; }

    /// <inheritdoc />
    /// <exception cref="RegistryCredentialsException">
    /// <see cref="RegistryErrorReason.StoreIncompatible"/>: the file is not a settings document (it is left as it is).
    /// </exception>
    public RegistrySettings? Current
    {
        get
        {
            lock (_load)
            {
                if (!_loaded)
                {
                    _current = Read(FilePath);
                    _loaded = true;
                }

                return _current;
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask SaveAsync(RegistrySettings settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        await _write.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var directory = Path.GetDirectoryName(FilePath);
            if (!string.IsNullOrEmpty(directory))
            {
                Directory.CreateDirectory(directory);
            }

            var temporary = FilePath + "." + Guid.NewGuid().ToString("N") + ".tmp";
            try
            {
                var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, FileOptions.Asynchronous);
                await using (stream.ConfigureAwait(false))
                {
                    await JsonSerializer.SerializeAsync(
                        stream,
                        RegistrySettingsDocument.From(settings),
                        ApiJson.Indented,
                        cancellationToken).ConfigureAwait(false);
                    await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
                    stream.Flush(flushToDisk: true);
                }

                File.Move(temporary, FilePath, overwrite: true);
            }
            finally
            {
                File.Delete(temporary);
            }

            lock (_load)
            {
                _current = settings;
                _loaded = true;
            }
        }
        finally
        {
            _write.Release();
        }

        _changes.Fire();
    }

    /// <inheritdoc />
    public IChangeToken Watch() => _changes.Watch();

    /// <summary>
    /// Closes the change signal (tokens from <see cref="Watch"/> never fire afterwards, see
    /// <see cref="RegistryChangeSignal"/>) and releases the write lock.
    /// </summary>
    public void Dispose()
    {
        _changes.Dispose();
        _write.Dispose();
    }

    private static RegistrySettings? Read(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            using var stream = File.OpenRead(path);
            var document = JsonSerializer.Deserialize<RegistrySettingsDocument>(stream, ApiJson.Options)
                ?? throw new RegistryCredentialsException(
                    RegistryErrorReason.StoreIncompatible, $"The registry settings file '{path}' holds 'null', not a settings document.", null);
            return document.ToSettings();
        }
        catch (JsonException e)
        {
            throw new RegistryCredentialsException(
                RegistryErrorReason.StoreIncompatible, $"The registry settings file '{path}' is not a settings document: {e.Message}", e);
        }
    }
}
