using System.ComponentModel;
using System.Text.Json.Serialization;

namespace RegistryCredentials.AspNetCore.Internal;

/// <summary>The <c>detail</c> object of <see cref="ApiErrorResponse"/>: Anchore's <c>error_codes</c> plus the problem's members.</summary>
[Description("Details of the error: error_codes (as Anchore Engine always sends) and the problem's title and extension members.")]
internal sealed class ApiErrorDetail
{
    [JsonPropertyName("error_codes")]
    [Description("The reason of the failure (the problem's code, such as Conflict or NotFound).")]
    public required IReadOnlyList<string> ErrorCodes { get; init; }

    [JsonPropertyName("title")]
    [Description("The problem's title.")]
    public string? Title { get; init; }

    [JsonExtensionData]
    public Dictionary<string, object?>? Members { get; init; }
}
