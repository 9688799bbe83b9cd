using System.Globalization;
using RegistryCredentials.Cli.Cli;
using RegistryCredentials.Cli.Interop;
using Spectre.Console;

namespace RegistryCredentials.Cli.Output;

/// <summary>The report of <c>import docker-config</c>: what was imported and what was skipped, and why. No secrets.</summary>
internal static class ImportReport
{
    public static void Write(Terminal terminal, IReadOnlyList<ImportResult> results, string format)
    {
        ArgumentNullException.ThrowIfNull(terminal);
        ArgumentNullException.ThrowIfNull(results);
        if (format == OutputFormat.Json)
        {
            terminal.Out.Write(JsonOutput.Write(
                json =>
                {
                    json.WriteStartArray();
                    foreach (var result in results)
                    {
                        json.WriteStartObject();
                        json.WriteString("source", result.Source);
                        json.WriteString("key", result.Key);
                        json.WriteString("registry", result.Registry);
                        json.WriteString("registry_user", result.Username);
                        json.WriteString("result", Name(result.Outcome));
                        json.WriteString("detail", result.Detail);
                        json.WriteEndObject();
                    }

                    json.WriteEndArray();
                },
                JsonOutput.Indented) + "\n");
            return;
        }

        var table = new Table().Border(TableBorder.Square);
        foreach (var column in new[] { "SOURCE", "KEY", "REGISTRY", "USER", "RESULT", "DETAIL" })
        {
            table.AddColumn(new TableColumn(new Text(column, new Style(decoration: Decoration.Bold))));
        }

        foreach (var result in results)
        {
            table.AddRow(
                new Text(result.Source),
                new Text(result.Key),
                new Text(result.Registry ?? "-"),
                new Text(result.Username ?? "-"),
                new Text(Name(result.Outcome)),
                new Text(result.Detail));
        }

        terminal.OutputConsole.Write(table);
        var imported = results.Count(r => r.Outcome == ImportOutcome.Imported);
        terminal.Out.Write(string.Create(CultureInfo.InvariantCulture, $"{imported} imported, {results.Count - imported} not imported\n"));
    }

    public static string Name(ImportOutcome outcome) => outcome switch
    {
        ImportOutcome.Imported => "imported",
        ImportOutcome.Exists => "exists",
        ImportOutcome.Invalid => "invalid",
        _ => "skipped",
    };
}
