using RegistryCredentials.Cli.Cli;
using RegistryCredentials.Cli.Hosting;
using RegistryCredentials.Cli.Output;
using Spectre.Console;

namespace RegistryCredentials.Cli.Commands;

/// <summary><c>regcred settings set|get</c>: default registry and allow-list, kept in the settings file.</summary>
internal sealed class SettingsCommands
{
    private readonly ToolContext _context;

    public SettingsCommands(ToolContext context) => _context = context;

    public int Set(string key, string value)
    {
        var settings = _context.LoadSettings();
        settings.Set(key, value); // validated with the library's own options validation
        settings.Save(_context.SettingsPath);
        _context.Terminal.WriteStatus($"Set {key} in {_context.SettingsPath}");
        return ExitCodes.Ok;
    }

    public int Get(string? key, string output)
    {
        var settings = _context.LoadSettings();
        var terminal = _context.Terminal;
        if (key is not null)
        {
            var value = settings.Get(key);
            terminal.Out.Write(output == OutputFormat.Json
                ? JsonOutput.Write(json => json.WriteStringValue(value), JsonOutput.Indented) + "\n"
                : value + "\n");
            return ExitCodes.Ok;
        }

        if (output == OutputFormat.Json)
        {
            terminal.Out.Write(JsonOutput.Write(
                json =>
                {
                    json.WriteStartObject();
                    if (settings.DefaultRegistry is null)
                    {
                        json.WriteNull(ToolSettings.DefaultRegistryKey);
                    }
                    else
                    {
                        json.WriteString(ToolSettings.DefaultRegistryKey, settings.DefaultRegistry);
                    }

                    json.WriteStartArray(ToolSettings.AllowedRegistriesKey);
                    foreach (var registry in settings.AllowedRegistries)
                    {
                        json.WriteStringValue(registry);
                    }

                    json.WriteEndArray();
                    json.WriteEndObject();
                },
                JsonOutput.Indented) + "\n");
            return ExitCodes.Ok;
        }

        var table = new Table().Border(TableBorder.Square);
        table.AddColumn(new TableColumn(new Text("SETTING", new Style(decoration: Decoration.Bold))));
        table.AddColumn(new TableColumn(new Text("VALUE", new Style(decoration: Decoration.Bold))));
        foreach (var name in ToolSettings.Keys)
        {
            table.AddRow(new Text(name), new Text(settings.Get(name)));
        }

        terminal.OutputConsole.Write(table);
        return ExitCodes.Ok;
    }
}
