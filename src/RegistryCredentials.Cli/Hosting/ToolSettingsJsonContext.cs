using System.Text.Json;
using System.Text.Json.Serialization;

namespace RegistryCredentials.Cli.Hosting;

/// <summary>
/// The settings file's JSON, source-generated (no reflection: regcred is published as a Native AOT binary). The same
/// options the file always had: camelCase names, indented, nulls left out, comments and trailing commas accepted.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    ReadCommentHandling = JsonCommentHandling.Skip,
    AllowTrailingCommas = true)]
[JsonSerializable(typeof(ToolSettings))]
internal sealed partial class ToolSettingsJsonContext : JsonSerializerContext;
