using System.Globalization;
using System.Text.Json;
using RegistryCredentials.Cli.Cli;
using Spectre.Console;

namespace RegistryCredentials.Cli.Output;

/// <summary>
/// Registry entries as anchorectl shows them: a table with anchorectl's columns (Anchore's documentation of
/// <c>anchorectl registry list|get</c>) plus ACTIVE, or JSON in the one entry shape the Registries API answers with
/// (same members, same order, whole-second RFC 3339 UTC timestamps). Entries hold no password.
/// </summary>
internal static class EntryView
{
    public static readonly IReadOnlyList<string> Columns =
        ["REGISTRY NAME", "REGISTRY TYPE", "REGISTRY USER", "REGISTRY VERIFY", "CREATED AT", "LAST UPDATED", "REGISTRY", "ACTIVE"];

    public static void Write(Terminal terminal, IReadOnlyList<RegistryEntry> entries, string format, bool single)
    {
        ArgumentNullException.ThrowIfNull(terminal);
        ArgumentNullException.ThrowIfNull(entries);
        if (format == OutputFormat.Json)
        {
            terminal.Out.Write(JsonOutput.Write(
                json =>
                {
                    if (single && entries.Count == 1)
                    {
                        WriteEntry(json, entries[0]);
                        return;
                    }

                    json.WriteStartArray();
                    foreach (var entry in entries)
                    {
                        WriteEntry(json, entry);
                    }

                    json.WriteEndArray();
                },
                JsonOutput.Indented) + "\n");
            return;
        }

        var table = new Table().Border(TableBorder.Square);
        foreach (var column in Columns)
        {
            table.AddColumn(new TableColumn(new Text(column, new Style(decoration: Decoration.Bold))));
        }

        foreach (var entry in entries)
        {
            table.AddRow(
                new Text(entry.Name),
                new Text(entry.Type.Value),
                new Text(entry.Username),
                new Text(Bool(entry.VerifyTls)),
                new Text(Timestamp(entry.CreatedOn)),
                new Text(Timestamp(entry.UpdatedOn)),
                new Text(entry.Scope.Value),
                new Text(Bool(entry.IsActive)));
        }

        terminal.OutputConsole.Write(table);
    }

    public static string Timestamp(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string Bool(bool value) => value ? "true" : "false";

    /// <summary>The Registries API's entry (RegistryConfiguration in RegistryCredentials.AspNetCore), member for member.</summary>
    private static void WriteEntry(Utf8JsonWriter json, RegistryEntry entry)
    {
        json.WriteStartObject();
        json.WriteString("registry", entry.Scope.Value);
        json.WriteString("registry_name", entry.Name);
        json.WriteString("registry_type", entry.Type.Value);
        json.WriteString("registry_user", entry.Username);
        json.WriteBoolean("registry_verify", entry.VerifyTls);
        json.WriteString("created_at", Timestamp(entry.CreatedOn));
        json.WriteString("last_updated", Timestamp(entry.UpdatedOn));
        json.WriteString("userId", entry.Account);
        json.WriteString("registry_email", entry.Email);
        json.WriteBoolean("active", entry.IsActive);
        json.WriteBoolean("insecure_http", entry.InsecureHttp);
        json.WriteBoolean("own_ca_certificates", entry.CaCertificates is not null);
        json.WriteNumber("version", entry.Version);
        json.WriteEndObject();
    }
}
