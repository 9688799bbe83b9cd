using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace RegistryCredentials.AspNetCore.Internal;

/// <summary>
/// Reads a JSON request body: <c>application/json</c> only, at most a given size (413 past it, whatever the server's own
/// limit and whether or not the client sent Content-Length), and text that is valid UTF-8 (a string that is not, or
/// that holds an unpaired <c>\uD800</c>-style escape, is a 400 naming its field rather than a value stored with U+FFFD).
/// Problems quote positions and field names, never the text: the body may hold a password.
/// </summary>
internal static class RequestBody
{
    private const int ChunkSize = 16 * 1024;

    public static async Task<T> ReadJsonAsync<T>(HttpContext context, long maxBytes)
        where T : class
    {
        var request = context.Request;
        if (!request.HasJsonContentType())
        {
            throw new ApiProblemException(
                StatusCodes.Status415UnsupportedMediaType,
                RegistryProblemTypes.UnsupportedMediaType,
                "Unsupported media type",
                "Send the body as application/json.");
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit
            && (limit.MaxRequestBodySize is null || limit.MaxRequestBodySize > maxBytes))
        {
            limit.MaxRequestBodySize = maxBytes;
        }

        if (request.ContentLength > maxBytes)
        {
            throw TooLarge(maxBytes);
        }

        var body = ToUtf8(request, await ReadBoundedAsync(request, maxBytes, context.RequestAborted).ConfigureAwait(false));
        try
        {
            return JsonSerializer.Deserialize<T>(body, ApiJson.Options)
                ?? throw new ApiProblemException(
                    StatusCodes.Status400BadRequest,
                    RegistryProblemTypes.InvalidBody,
                    "Invalid body",
                    "The body is JSON null, not an object.");
        }
        catch (JsonException e)
        {
            if (FieldWithInvalidText(body) is { } field)
            {
                throw ApiProblemException.InvalidField(
                    field, $"The value of {field} is not valid UTF-8 text (or holds an unpaired surrogate escape such as \\ud800): send it as UTF-8.");
            }

            throw new ApiProblemException(
                StatusCodes.Status400BadRequest, RegistryProblemTypes.InvalidBody, "Invalid body",
                $"The body is not the JSON object this endpoint takes (at {e.Path ?? "$"}, line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}).");
        }
    }

    private static async Task<byte[]> ReadBoundedAsync(HttpRequest request, long maxBytes, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[ChunkSize];
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > maxBytes)
                {
                    throw TooLarge(maxBytes);
                }

                buffer.Write(chunk, 0, read);
            }
        }
        catch (BadHttpRequestException e)
        {
            throw e.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? TooLarge(maxBytes)
                : new ApiProblemException(e.StatusCode, RegistryProblemTypes.InvalidBody, "Invalid body", "The body could not be read: " + e.Message);
        }

        return buffer.ToArray();
    }

    /// <summary>The body as UTF-8: as it is without a charset or with UTF-8's, else decoded strictly from the charset named.</summary>
    private static byte[] ToUtf8(HttpRequest request, byte[] body)
    {
        var charset = request.GetTypedHeaders().ContentType?.Charset.Value;
        if (string.IsNullOrEmpty(charset) || string.Equals(charset.Trim('"'), "utf-8", StringComparison.OrdinalIgnoreCase))
        {
            return body;
        }

        try
        {
            var encoding = Encoding.GetEncoding(charset.Trim('"'), EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);
            return Encoding.UTF8.GetBytes(encoding.GetString(body));
        }
        catch (DecoderFallbackException)
        {
            throw new ApiProblemException(
                StatusCodes.Status400BadRequest, RegistryProblemTypes.InvalidBody, "Invalid body", $"The body is not valid {charset} text: send UTF-8.");
        }
        catch (ArgumentException)
        {
            throw new ApiProblemException(
                StatusCodes.Status415UnsupportedMediaType,
                RegistryProblemTypes.UnsupportedMediaType,
                "Unsupported media type",
                $"The charset '{charset}' is not supported: send UTF-8.");
        }
    }

    /// <summary>
    /// After a failed parse: the property whose string value does not decode (invalid UTF-8, or an escaped unpaired
    /// surrogate), or null when the failure is something else (syntax, a wrong type).
    /// </summary>
    private static string? FieldWithInvalidText(byte[] body)
    {
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        string? property = null;
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType is not (JsonTokenType.PropertyName or JsonTokenType.String))
                {
                    continue;
                }

                string? value;
                try
                {
                    value = reader.GetString();
                }
                catch (InvalidOperationException)
                {
                    return reader.TokenType == JsonTokenType.PropertyName || property is null ? "$" : property;
                }

                if (reader.TokenType == JsonTokenType.PropertyName)
                {
                    property = value;
                }
            }
        }
        catch (JsonException)
        {
            // A syntax error before any bad text.
        }

        return null;
    }

    private static ApiProblemException TooLarge(long maxBytes) => new(
        StatusCodes.Status413PayloadTooLarge, RegistryProblemTypes.InvalidBody, "Body too large",
        $"The body is larger than {maxBytes / 1024} KiB; a password or key file is at most {RegistryEntryLimits.MaxPasswordBytes / 1024} KiB.");
}
