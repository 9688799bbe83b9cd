using System.ComponentModel;
using System.Text.Json.Serialization;

namespace RegistryCredentials.AspNetCore.Internal;

/// <summary>
/// Anchore's error body, for clients that do not ask for <c>application/problem+json</c>. Its fields are those of
/// <c>ApiErrorResponse</c> in Anchore's API definition (anchore-engine, <c>anchore_engine/services/apiext/swagger/swagger.yaml</c>:
/// <c>code</c>, <c>error_type</c>, <c>message</c>, <c>detail</c>) and those the engine actually sends
/// (<c>anchore_engine/common/helpers.py</c>, <c>make_response_error</c>: <c>message</c>, <c>httpcode</c>, and <c>detail</c>
/// with <c>error_codes</c>), which anchore-cli prints as Error, HTTP Code and Detail (<c>anchorecli/cli/utils.py</c>,
/// <c>format_error_output</c>).
/// </summary>
[Description("Anchore's ApiErrorResponse: the error body for clients that do not accept application/problem+json.")]
internal sealed class ApiErrorResponse
{
    [JsonPropertyName("message")]
    [Description("What went wrong (the problem's detail).")]
    public required string Message { get; init; }

    [JsonPropertyName("httpcode")]
    [Description("The HTTP status code, as Anchore Engine sends it.")]
    public required int HttpCode { get; init; }

    [JsonPropertyName("code")]
    [Description("The HTTP status code again, as Anchore's API definition names it.")]
    public required int Code { get; init; }

    [JsonPropertyName("error_type")]
    [Description("The problem type (a urn:registry-credentials:problem:… URI).")]
    public required string ErrorType { get; init; }

    [JsonPropertyName("detail")]
    [Description("error_codes, then the problem's title and members (field, registry, code, transient, traceId, …).")]
    public required ApiErrorDetail Detail { get; init; }
}
