using System.Text.Json;
using RegistryCredentials.Cli.Cli;

namespace RegistryCredentials.Cli.Hosting;

/// <summary>
/// The settings file older versions of <c>regcred settings set</c> wrote (by default <c>$XDG_CONFIG_HOME/regcred/settings.json</c>).
/// The policy now lives in the store; the file is read once, by <see cref="SettingsMigration"/>, and then renamed.
/// </summary>
internal sealed class ToolSettings
{
    public const string DefaultRegistryKey = "default-registry";
    public const string AllowedRegistriesKey = "allowed-registries";

    /// <summary>The default registry; null keeps Docker Hub.</summary>
    public string? DefaultRegistry { get; set; }

    /// <summary>The allow-list; empty allows every registry.</summary>
    public List<string> AllowedRegistries { get; set; } = [];

    public static IReadOnlyList<string> Keys { get; } = [DefaultRegistryKey, AllowedRegistriesKey];

    /// <summary>Reads the file; a missing file is empty settings.</summary>
    public static ToolSettings Load(string path)
    {
        if (!File.Exists(path))
        {
            return new ToolSettings();
        }

        try
        {
            var settings = JsonSerializer.Deserialize(File.ReadAllText(path), ToolSettingsJsonContext.Default.ToolSettings) ?? new ToolSettings();
            settings.AllowedRegistries ??= [];
            return settings;
        }
        catch (JsonException e)
        {
            throw new RegcredException($"The settings file {path} is not valid JSON ({e.Message}); fix or delete it.");
        }
    }
}
