using System.Text.Json;
using System.Text.Json.Serialization;

namespace RegistryCredentials.Internal;

/// <summary>Writes a <see cref="RegistryScope"/> as its normalised text and reads it back.</summary>
internal sealed class RegistryScopeJsonConverter : JsonConverter<RegistryScope>
{
    public override RegistryScope Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var value = reader.GetString() ?? throw new JsonException("A registry scope must be a string.");
        try
        {
            return RegistryScope.Parse(value);
        }
        catch (FormatException e)
        {
            throw new JsonException(e.Message, e);
        }
    }

    public override void Write(Utf8JsonWriter writer, RegistryScope value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.Value);
}
