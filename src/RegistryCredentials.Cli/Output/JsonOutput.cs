using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace RegistryCredentials.Cli.Output;

/// <summary>Writes JSON for <c>-o json</c>: indented, readable escapes, one trailing line break.</summary>
internal static class JsonOutput
{
    public static readonly JsonWriterOptions Indented = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, NewLine = "\n" };

    public static readonly JsonWriterOptions Compact = new() { Indented = false };

    public static string Write(Action<Utf8JsonWriter> write, JsonWriterOptions options)
    {
        ArgumentNullException.ThrowIfNull(write);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, options))
        {
            write(writer);
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    public static byte[] WriteBytes(Action<Utf8JsonWriter> write, JsonWriterOptions options)
    {
        ArgumentNullException.ThrowIfNull(write);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, options))
        {
            write(writer);
        }

        return buffer.ToArray();
    }
}
