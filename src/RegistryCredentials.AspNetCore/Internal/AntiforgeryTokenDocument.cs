using System.ComponentModel;
using System.Text.Json.Serialization;

namespace RegistryCredentials.AspNetCore.Internal;

/// <summary>What <c>GET {prefix}/_antiforgery</c> answers: the header a browser sends its state-changing calls with.</summary>
[Description("An antiforgery request token: send it in the named header with POST, PUT and DELETE from a browser.")]
internal sealed class AntiforgeryTokenDocument
{
    [JsonPropertyName("header_name")]
    [Description("The request header to send the token in.")]
    public required string HeaderName { get; init; }

    [JsonPropertyName("request_token")]
    [Description("The token.")]
    public required string RequestToken { get; init; }
}
