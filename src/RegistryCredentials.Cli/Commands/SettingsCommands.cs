using RegistryCredentials.Cli.Cli;
using RegistryCredentials.Cli.Hosting;
using RegistryCredentials.Cli.Output;
using Spectre.Console;

namespace RegistryCredentials.Cli.Commands;

/// <summary>
/// <c>regcred settings set|get</c>: the default registry and the allow-list of the account (<c>--account</c>), kept in the store
/// as its policy: the same policy the HTTP API and the management page change.
/// </summary>
internal sealed class SettingsCommands
{
    private readonly ToolContext _context;

    public SettingsCommands(ToolContext context) => _context = context;

    public async Task<int> SetAsync(string key, string value, CancellationToken cancellationToken)
    {
        var update = key switch
        {
            ToolSettings.DefaultRegistryKey => new RegistryPolicyUpdate { DefaultRegistry = value.Trim() },
            ToolSettings.AllowedRegistriesKey => new RegistryPolicyUpdate
            {
                AllowedRegistries = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            },
            _ => throw new RegcredException($"Unknown setting '{key}': use {string.Join(" or ", ToolSettings.Keys)}."),
        };
        var host = await _context.OpenOrCreateHostAsync(cancellationToken);
        var policy = await host.Policies.UpdatePolicyAsync(update, _context.Account, cancellationToken);
        _context.Terminal.WriteStatus($"Set {key} in the policy of account {policy.Account} (version {policy.Version})");
        return ExitCodes.Ok;
    }

    public async Task<int> GetAsync(string? key, string output, CancellationToken cancellationToken)
    {
        // Nothing to read (no store, no old settings file): the starting values, without creating a store.
        var policy = _context.HasStoreOrSettings
            ? await (await _context.OpenOrCreateHostAsync(cancellationToken)).Policies.GetPolicyAsync(_context.Account, cancellationToken)
            : new RegistryPolicy { Account = _context.Account ?? RegistryAccounts.Default };
        var terminal = _context.Terminal;
        if (key is not null)
        {
            var value = Text(policy, key);
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
                    if (policy.DefaultRegistry is null)
                    {
                        json.WriteNull(ToolSettings.DefaultRegistryKey);
                    }
                    else
                    {
                        json.WriteString(ToolSettings.DefaultRegistryKey, policy.DefaultRegistry);
                    }

                    json.WriteStartArray(ToolSettings.AllowedRegistriesKey);
                    foreach (var registry in policy.AllowedRegistries)
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
            table.AddRow(new Text(name), new Text(Text(policy, name)));
        }

        terminal.OutputConsole.Write(table);
        return ExitCodes.Ok;
    }

    private static string Text(RegistryPolicy policy, string key) => key switch
    {
        ToolSettings.DefaultRegistryKey => policy.DefaultRegistry ?? string.Empty,
        ToolSettings.AllowedRegistriesKey => string.Join(',', policy.AllowedRegistries),
        _ => throw new RegcredException($"Unknown setting '{key}': use {string.Join(" or ", ToolSettings.Keys)}."),
    };
}
