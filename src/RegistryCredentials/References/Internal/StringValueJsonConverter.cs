using System.Text.Json;
using System.Text.Json.Serialization;

namespace RegistryCredentials.Internal;

/// <summary>
/// Writes a value type of this package as its text and reads it back through its parser, turning parse errors into
/// <see cref="JsonException"/>.
/// </summary>
internal abstract class StringValueJsonConverter<T> : JsonConverter<T>
    where T : class
{
    public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var value = reader.GetString() ?? throw new JsonException($"A {typeof(T).Name} must be a string.");
        try
        {
            return Parse(value);
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            throw new JsonException(e.Message, e);
        }
    }

    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => writer.WriteStringValue(Format(value));

    protected abstract T Parse(string value);

    protected abstract string Format(T value);
}
