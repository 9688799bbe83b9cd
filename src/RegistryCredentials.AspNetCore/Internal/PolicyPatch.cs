using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace RegistryCredentials.AspNetCore.Internal;

/// <summary>
/// Reads a settings write as a JSON merge patch (RFC 7396) into a <see cref="RegistryPolicyUpdate"/>: a member left out keeps
/// its value, null removes it (the default registry goes back to Docker Hub, the allow-list is cleared), a value sets it.
/// Strict: any other member (Rancher's <c>{id, value}</c> setting shape included) or a value of the wrong kind is refused
/// with 400 before anything is read from the store, so a write can never clear a field by accident.
/// </summary>
internal static class PolicyPatch
{
    public const string DefaultRegistry = "default_registry";
    public const string AllowedRegistries = "allowed_registries";

    public static RegistryPolicyUpdate Read(JsonNode? body)
    {
        if (body is not JsonObject members)
        {
            throw Invalid("The body must be a JSON object with default_registry and/or allowed_registries.");
        }

        var unknown = members.Select(m => m.Key).Where(k => k is not (DefaultRegistry or AllowedRegistries)).ToArray();
        if (unknown.Length > 0)
        {
            var rancher = unknown.Contains("id") || unknown.Contains("value")
                ? " This is not Rancher's setting shape {id, value}: send {\"default_registry\": ...} or {\"allowed_registries\": [...]}."
                : string.Empty;
            throw Invalid($"Unknown member(s) {string.Join(", ", unknown.Select(k => "'" + k + "'"))}: a settings write takes only "
                + $"{DefaultRegistry} and {AllowedRegistries}.{rancher} Nothing was changed.");
        }

        string? defaultRegistry = null;
        if (members.TryGetPropertyValue(DefaultRegistry, out var defaultNode))
        {
            defaultRegistry = defaultNode switch
            {
                null => string.Empty, // merge patch null: remove, back to Docker Hub
                JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
                _ => throw ApiProblemException.InvalidField(DefaultRegistry, "default_registry must be a string (host[:port]) or null. Nothing was changed."),
            };
        }

        IReadOnlyList<string>? allowed = null;
        if (members.TryGetPropertyValue(AllowedRegistries, out var allowedNode))
        {
            allowed = allowedNode switch
            {
                null => [], // merge patch null: remove, the allow-list is cleared
                JsonArray items => Items(items),
                _ => throw ApiProblemException.InvalidField(
                    AllowedRegistries, "allowed_registries must be an array of strings, or [] to clear it. Nothing was changed."),
            };
        }

        return new RegistryPolicyUpdate { DefaultRegistry = defaultRegistry, AllowedRegistries = allowed };
    }

    private static string[] Items(JsonArray items)
    {
        var result = new string[items.Count];
        for (var i = 0; i < items.Count; i++)
        {
            result[i] = items[i] is JsonValue value && value.GetValueKind() == JsonValueKind.String
                ? value.GetValue<string>()
                : throw ApiProblemException.InvalidField(AllowedRegistries, $"allowed_registries[{i}] must be a string (a scope). Nothing was changed.");
        }

        return result;
    }

    private static ApiProblemException Invalid(string detail) =>
        new(StatusCodes.Status400BadRequest, RegistryProblemTypes.InvalidBody, "Invalid settings", detail);
}
