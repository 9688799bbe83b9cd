using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using System.Text.Json;

namespace RegistryCredentials.Azure.Internal;

/// <summary>
/// ACR's <c>POST https://&lt;registry&gt;/oauth2/exchange</c> (what <c>az acr login</c> does): the form
/// <c>grant_type=access_token</c>, <c>service</c>, <c>tenant</c> and <c>access_token</c> (an Entra ID token) answers
/// <c>{"refresh_token": "…"}</c>. Sent only over HTTPS to the entry's own host with the entry's TLS policy; a redirect is
/// never followed.
/// </summary>
internal sealed class AcrTokenExchange(ExchangeConnections connections)
{
    /// <summary>The largest answer read: 1 MiB.</summary>
    public const int MaxBodyBytes = 1024 * 1024;

    public static Uri EndpointFor(RegistryEntry entry) => new("https://" + entry.Scope.Registry + "/oauth2/exchange");

    public async Task<string> ExchangeAsync(RegistryEntry entry, string accessToken, string? tenant, CancellationToken cancellationToken)
    {
        var endpoint = EndpointFor(entry);
        var fields = new List<KeyValuePair<string, string>>
        {
            new("grant_type", "access_token"),
            new("service", entry.Scope.Registry),
        };
        if (!string.IsNullOrEmpty(tenant))
        {
            fields.Add(new("tenant", tenant));
        }

        fields.Add(new("access_token", accessToken));
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new FormUrlEncodedContent(fields) };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));

        var connection = connections.For(entry);
        HttpResponseMessage response;
        try
        {
            response = await connection.Invoker.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw Map(e, endpoint, connection.Policy);
        }

        using (response)
        {
            var body = await ReadLimitedAsync(response, cancellationToken).ConfigureAwait(false);
            var where = endpoint.GetLeftPart(UriPartial.Path);
            if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            {
                throw new AzureCredentialException(
                    RegistryValidationOutcome.Unauthorized,
                    $"{where} refused the Entra ID token ({(int)response.StatusCode}{ErrorDetail(body, accessToken)}): does the identity have a pull role (AcrPull) on the registry?");
            }

            if ((int)response.StatusCode is >= 300 and < 400)
            {
                throw new AzureCredentialException(RegistryValidationOutcome.ProtocolError, $"{where} answered with a redirect ({(int)response.StatusCode}); an Entra ID token is never sent on to another address.");
            }

            if (!response.IsSuccessStatusCode)
            {
                throw new AzureCredentialException(
                    RegistryValidationOutcome.ProtocolError,
                    $"{where} answered {(int)response.StatusCode}{ErrorDetail(body, accessToken)}; is this an Azure Container Registry?");
            }

            return ReadRefreshToken(body, where);
        }
    }

    private static string ReadRefreshToken(byte[] body, string where)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.ValueKind == JsonValueKind.Object
                && json.RootElement.TryGetProperty("refresh_token", out var token)
                && token.ValueKind == JsonValueKind.String
                && token.GetString() is { Length: > 0 } value)
            {
                return value;
            }
        }
        catch (JsonException)
        {
            throw new AzureCredentialException(RegistryValidationOutcome.ProtocolError, $"{where} answered something that is not JSON.");
        }

        throw new AzureCredentialException(RegistryValidationOutcome.ProtocolError, $"{where} answered without a 'refresh_token'.");
    }

    /// <summary>ACR's error code and message (<c>{"errors":[{"code":…,"message":…}]}</c>), short, without the token sent.</summary>
    private static string ErrorDetail(byte[] body, string accessToken)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.ValueKind == JsonValueKind.Object
                && json.RootElement.TryGetProperty("errors", out var errors)
                && errors.ValueKind == JsonValueKind.Array
                && errors.GetArrayLength() > 0
                && errors[0].ValueKind == JsonValueKind.Object)
            {
                var first = errors[0];
                var code = first.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
                var message = first.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
                var text = string.Join(": ", new[] { code, message }.Where(s => !string.IsNullOrEmpty(s)));
                if (text.Length == 0)
                {
                    return string.Empty;
                }

                text = new string([.. text.Replace(accessToken, "***", StringComparison.Ordinal).Select(ch => char.IsControl(ch) ? ' ' : ch)]);
                return ", " + (text.Length > 200 ? text[..200] + "…" : text);
            }
        }
        catch (JsonException)
        {
        }

        return string.Empty;
    }

    private static async Task<byte[]> ReadLimitedAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.Content.Headers.ContentLength > MaxBodyBytes)
        {
            throw TooLarge();
        }

        using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                throw TooLarge();
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static AzureCredentialException TooLarge() =>
        new(RegistryValidationOutcome.ProtocolError, $"The answer of /oauth2/exchange is larger than {MaxBodyBytes / 1024} KiB.");

    private static AzureCredentialException Map(HttpRequestException e, Uri target, ExchangeTlsPolicy policy)
    {
        var where = target.GetLeftPart(UriPartial.Authority);
        if (e.HttpRequestError == HttpRequestError.SecureConnectionError || e.InnerException is AuthenticationException)
        {
            return new(RegistryValidationOutcome.TlsFailure, $"TLS with {where} failed: {policy.LastFailure ?? e.InnerException?.Message ?? e.Message}.", e);
        }

        var socket = e.InnerException as SocketException ?? e.InnerException?.InnerException as SocketException;
        var detail = e.HttpRequestError switch
        {
            HttpRequestError.NameResolutionError => "DNS: the host name could not be resolved",
            HttpRequestError.ConnectionError when socket?.SocketErrorCode == SocketError.ConnectionRefused => "TCP: connection refused",
            HttpRequestError.ConnectionError => "TCP: " + (socket?.SocketErrorCode.ToString() ?? "the connection failed"),
            HttpRequestError.InvalidResponse or HttpRequestError.ResponseEnded => "the connection was reset or the answer was not HTTP",
            _ => e.Message,
        };
        return new(RegistryValidationOutcome.Unreachable, new StringBuilder().Append(where).Append(" could not be reached (").Append(detail).Append(").").ToString(), e);
    }
}
