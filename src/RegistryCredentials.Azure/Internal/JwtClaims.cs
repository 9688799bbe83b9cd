using System.Buffers.Text;
using System.Text.Json;

namespace RegistryCredentials.Azure.Internal;

/// <summary>Reads claims of a JWT without checking its signature (the issuer checks it; the provider only needs times).</summary>
internal static class JwtClaims
{
    /// <summary>The <c>exp</c> claim of an ACR refresh token.</summary>
    /// <exception cref="AzureCredentialException">The token is not a JWT or has no numeric <c>exp</c>.</exception>
    public static DateTimeOffset ReadExpiry(string jwt, string what)
    {
        using var payload = ReadPayload(jwt) ?? throw Malformed(what, "it is not a JWT (three base64url parts with a JSON payload)");
        if (payload.RootElement.ValueKind != JsonValueKind.Object
            || !payload.RootElement.TryGetProperty("exp", out var exp)
            || exp.ValueKind != JsonValueKind.Number
            || !exp.TryGetDouble(out var seconds)
            || double.IsNaN(seconds)
            || seconds <= 0
            || seconds > 253402300799)
        {
            throw Malformed(what, "its payload has no numeric 'exp' claim");
        }

        return DateTimeOffset.FromUnixTimeSeconds((long)Math.Floor(seconds));
    }

    /// <summary>The <c>tid</c> (tenant id) claim of an Entra ID access token, or null.</summary>
    public static string? TryReadTenant(string jwt)
    {
        using var payload = ReadPayload(jwt);
        return payload is not null
            && payload.RootElement.ValueKind == JsonValueKind.Object
            && payload.RootElement.TryGetProperty("tid", out var tid)
            && tid.ValueKind == JsonValueKind.String
            && !string.IsNullOrEmpty(tid.GetString())
            ? tid.GetString()
            : null;
    }

    private static JsonDocument? ReadPayload(string jwt)
    {
        var parts = jwt.Split('.');
        if (parts.Length != 3 || parts[1].Length == 0 || parts[1].Length > 64 * 1024)
        {
            return null;
        }

        try
        {
            return JsonDocument.Parse(Base64Url.DecodeFromChars(parts[1]));
        }
        catch (FormatException)
        {
            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static AzureCredentialException Malformed(string what, string why) =>
        new(RegistryValidationOutcome.ProtocolError, $"The {what} is malformed: {why}.");
}
