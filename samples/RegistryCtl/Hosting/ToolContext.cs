using RegistryCtl.Cli;

namespace RegistryCtl.Hosting;

/// <summary>
/// One run's choices: the terminal, the store, the key file, the account and the settings file (each from its option,
/// else its environment variable, else the default), with the library host created on first use.
/// </summary>
internal sealed class ToolContext : IAsyncDisposable
{
    private RegcredHost? _host;

    public ToolContext(Terminal terminal, string? storeOption, string? keyFileOption, string? accountOption)
    {
        Terminal = terminal;
        Paths = new ToolPaths(terminal);
        StoreOption = storeOption;
        KeyFileOption = keyFileOption;
        AccountOption = accountOption;
        Store = StoreLocation.From(storeOption ?? terminal.Variable(ToolPaths.StoreVariable), Paths.DefaultStore);
        var keyFile = keyFileOption ?? terminal.Variable(ToolPaths.KeyFileVariable);
        KeyFile = keyFile is null ? null : Path.GetFullPath(keyFile);
        Account = accountOption ?? terminal.Variable(ToolPaths.AccountVariable);
        SettingsPath = Paths.Settings;
    }

    public Terminal Terminal { get; }

    public ToolPaths Paths { get; }

    /// <summary>The values given as options (not from the environment), for <c>helper install</c> to bake into the wrapper.</summary>
    public string? StoreOption { get; }

    public string? KeyFileOption { get; }

    public string? AccountOption { get; }

    public StoreLocation Store { get; }

    public string? KeyFile { get; }

    public string? Account { get; }

    public string SettingsPath { get; }

    public ToolSettings LoadSettings() => ToolSettings.Load(SettingsPath);

    /// <summary>The library over the chosen store, created on first use.</summary>
    public RegcredHost Host => _host ??= RegcredHost.Create(Store, KeyFile, Account, LoadSettings());

    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }
}
