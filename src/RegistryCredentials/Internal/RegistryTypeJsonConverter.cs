using System.Text.Json;
using System.Text.Json.Serialization;

namespace RegistryCredentials.Internal;

/// <summary>Writes a <see cref="RegistryType"/> as its name and reads it back.</summary>
internal sealed class RegistryTypeJsonConverter : JsonConverter<RegistryType>
{
    public override RegistryType Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var value = reader.GetString() ?? throw new JsonException("A registry type must be a string.");
        try
        {
            return RegistryType.Parse(value);
        }
        catch (ArgumentException e)
        {
            throw new JsonException(e.Message, e);
        }
    }

    public override void Write(Utf8JsonWriter writer, RegistryType value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.Value);
}
