using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace RegistryCredentials.Azure.Internal;

/// <summary>
/// ACR's <c>POST https://&lt;registry&gt;/oauth2/exchange</c> (what <c>az acr login</c> does): the form
/// <c>grant_type=access_token</c>, <c>service</c>, <c>tenant</c> and <c>access_token</c> (an Entra ID token) answers
/// <c>{"refresh_token": "…"}</c>. Sent only over HTTPS to the entry's own host through the core's
/// <see cref="IRegistryHttpSender"/> (the entry's TLS policy; a request with a body is never redirected).
/// </summary>
internal sealed class AcrTokenExchange(IRegistryHttpSender http)
{
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

        HttpResponseMessage response;
        byte[] body;
        try
        {
            response = await http.SendAsync(request, entry, cancellationToken).ConfigureAwait(false);
            body = await http.ReadBodyAsync(response, "answer of /oauth2/exchange", cancellationToken).ConfigureAwait(false);
        }
        catch (RegistryAuthenticationException e)
        {
            throw new AzureCredentialException(e.Outcome, e.Message, e);
        }

        using (response)
        {
            var where = endpoint.GetLeftPart(UriPartial.Path);
            if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            {
                throw new AzureCredentialException(
                    RegistryValidationOutcome.Unauthorized,
                    $"{where} refused the Entra ID token ({(int)response.StatusCode}{ErrorDetail(body, accessToken)}): "
                    + $"does the identity have a pull role (AcrPull) on the registry?");
            }

            if ((int)response.StatusCode is >= 300 and < 400)
            {
                throw new AzureCredentialException(
                    RegistryValidationOutcome.ProtocolError,
                    $"{where} answered with a redirect ({(int)response.StatusCode}); an Entra ID token is never sent on to another address.");
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
}
