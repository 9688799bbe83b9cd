using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RegistryCredentials.Cli.Cli;

namespace RegistryCredentials.Cli.Hosting;

/// <summary>
/// The persisted settings (<c>regcred settings set|get</c>): a small JSON file, by default
/// <c>$XDG_CONFIG_HOME/regcred/settings.json</c>, applied to <see cref="RegistryCredentialsOptions"/> at start-up.
/// </summary>
internal sealed class ToolSettings
{
    public const string DefaultRegistryKey = "default-registry";
    public const string AllowedRegistriesKey = "allowed-registries";

    /// <summary><see cref="RegistryCredentialsOptions.DefaultRegistry"/>; null keeps Docker Hub.</summary>
    public string? DefaultRegistry { get; set; }

    /// <summary><see cref="RegistryCredentialsOptions.AllowedRegistries"/>; empty allows every registry.</summary>
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

    /// <summary>Writes the file atomically (temp file and rename), creating its folder.</summary>
    public void Save(string path)
    {
        var directory = Path.GetDirectoryName(path)!;
        Directory.CreateDirectory(directory);
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(this, ToolSettingsJsonContext.Default.ToolSettings) + "\n");
        File.Move(temporary, path, overwrite: true);
    }

    public void ApplyTo(RegistryCredentialsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.DefaultRegistry = DefaultRegistry;
        options.AllowedRegistries.Clear();
        foreach (var registry in AllowedRegistries)
        {
            options.AllowedRegistries.Add(registry);
        }
    }

    /// <summary>Sets one key from its command-line text; an empty value clears it. The result is validated like the library's options.</summary>
    public void Set(string key, string value)
    {
        switch (key)
        {
            case DefaultRegistryKey:
                DefaultRegistry = string.IsNullOrWhiteSpace(value) ? null : value.Trim();
                break;
            case AllowedRegistriesKey:
                AllowedRegistries = [.. value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
                break;
            default:
                throw new RegcredException($"Unknown setting '{key}': use {string.Join(" or ", Keys)}.");
        }

        Validate();
    }

    /// <summary>The value of one key as text (allowed registries comma-separated).</summary>
    public string Get(string key) => key switch
    {
        DefaultRegistryKey => DefaultRegistry ?? string.Empty,
        AllowedRegistriesKey => string.Join(',', AllowedRegistries),
        _ => throw new RegcredException($"Unknown setting '{key}': use {string.Join(" or ", Keys)}."),
    };

    /// <summary>Runs the library's own options validation over these settings.</summary>
    /// <exception cref="OptionsValidationException">Something is not valid; every problem is listed.</exception>
    public void Validate()
    {
        var services = new ServiceCollection();
        services.AddRegistryCredentials(ApplyTo);
        using var provider = services.BuildServiceProvider();
        _ = provider.GetRequiredService<IOptionsMonitor<RegistryCredentialsOptions>>().CurrentValue;
    }
}
