using System.Text;
using System.Text.Json;

namespace RegistryCredentials.Cli.Tests.Support;

/// <summary>Small JSON and base64 helpers for assertions.</summary>
public static class Json
{
    public static JsonElement Parse(string text)
    {
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    public static string? Text(this JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>Decodes Docker's X-Registry-Auth (padded base64url JSON).</summary>
    public static JsonElement DecodeRegistryAuth(string value) =>
        Parse(Encoding.UTF8.GetString(Convert.FromBase64String(value.Trim().Replace('-', '+').Replace('_', '/'))));

    public static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));
}
