using RegistryCredentials.Cli.Cli;

namespace RegistryCredentials.Cli.Hosting;

/// <summary>Default locations (XDG base directories), read from the environment of the run.</summary>
internal sealed class ToolPaths
{
    public const string StoreVariable = "REGCRED_STORE";
    public const string KeyFileVariable = "REGCRED_KEY_FILE";
    public const string AccountVariable = "REGCRED_ACCOUNT";
    public const string SettingsVariable = "REGCRED_SETTINGS";

    private readonly Terminal _terminal;

    public ToolPaths(Terminal terminal) => _terminal = terminal;

    public string Home => _terminal.Variable("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);

    /// <summary><c>$XDG_DATA_HOME</c> or <c>~/.local/share</c>.</summary>
    public string DataHome => Xdg("XDG_DATA_HOME") ?? Path.Combine(Home, ".local", "share");

    /// <summary><c>$XDG_CONFIG_HOME</c> or <c>~/.config</c>.</summary>
    public string ConfigHome => Xdg("XDG_CONFIG_HOME") ?? Path.Combine(Home, ".config");

    /// <summary>The default SQLite store: <c>$XDG_DATA_HOME/regcred/registries.db</c>.</summary>
    public string DefaultStore => Path.Combine(DataHome, "regcred", "registries.db");

    /// <summary>The settings file: <c>$REGCRED_SETTINGS</c>, or <c>$XDG_CONFIG_HOME/regcred/settings.json</c>.</summary>
    public string Settings => _terminal.Variable(SettingsVariable) is { } explicitPath
        ? Path.GetFullPath(explicitPath)
        : Path.Combine(ConfigHome, "regcred", "settings.json");

    /// <summary>Where <c>helper install</c> writes the wrapper by default: <c>~/.local/bin</c>.</summary>
    public string DefaultHelperDirectory => Path.Combine(Home, ".local", "bin");

    /// <summary>Docker's config file: <c>$DOCKER_CONFIG/config.json</c> or <c>~/.docker/config.json</c>.</summary>
    public string DockerConfig => Path.Combine(_terminal.Variable("DOCKER_CONFIG") ?? Path.Combine(Home, ".docker"), "config.json");

    // The XDG spec: a relative path in these variables is invalid and must be ignored.
    private string? Xdg(string name) => _terminal.Variable(name) is { } value && Path.IsPathRooted(value) ? value : null;
}
