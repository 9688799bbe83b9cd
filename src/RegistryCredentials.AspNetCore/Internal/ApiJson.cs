using System.Text.Json;
using System.Text.Json.Serialization;

namespace RegistryCredentials.AspNetCore.Internal;

/// <summary>
/// The serializer options of the API: its documents name every property explicitly (Anchore's snake_case), so the host's
/// own JSON options cannot change the wire format.
/// </summary>
internal static class ApiJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    public static JsonSerializerOptions Indented { get; } = new(Options) { WriteIndented = true };
}
