using System.ComponentModel;
using System.Text.Json.Serialization;

namespace RegistryCredentials.AspNetCore.Internal;

/// <summary>Anchore's <c>RegistryConfigurationRequest</c> (<c>POST {prefix}</c>, <c>PUT {prefix}/{registry}</c>), plus <c>registry_email</c>.</summary>
[Description("A registry credential to add or update. registry_pass is write-only: no response ever contains it.")]
internal sealed class RegistryConfigurationRequest
{
    [JsonPropertyName("registry")]
    [
        Description(
            "The scope, host[:port][/path][/*], without a scheme (drop https://). Required "
            + "on POST; on PUT it may be left out, and must equal the path's scope otherwise.")]
    public string? Registry { get; set; }

    [JsonPropertyName("registry_name")]
    [Description("A display name; defaults to the scope.")]
    public string? RegistryName { get; set; }

    [JsonPropertyName("registry_type")]
    [Description("docker_v2, awsecr, gcr, acr or another provider's type; guessed from the host when left out.")]
    public string? RegistryType { get; set; }

    [JsonPropertyName("registry_user")]
    [Description("The user name (or access key id, _json_key, …). Required on POST.")]
    public string? RegistryUser { get; set; }

    [JsonPropertyName("registry_pass")]
    [Description("The password or token. Write-only. Required on POST; on PUT, left out or empty keeps the stored one.")]
    public string? RegistryPass { get; set; }

    [JsonPropertyName("registry_verify")]
    [Description("Whether TLS certificates are verified. Default true.")]
    public bool? RegistryVerify { get; set; }

    [JsonPropertyName("registry_email")]
    [Description("An e-mail address to go with the credential; on PUT, empty removes it.")]
    public string? RegistryEmail { get; set; }

    /// <summary>Describes the request without the password.</summary>
    public override string ToString() => $"registry {Registry} (user {RegistryUser})";
}
