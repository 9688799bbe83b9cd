using System.Text.Json;
using System.Text.Json.Nodes;

namespace RegistryCredentials.AspNetCore.Internal;

/// <summary>The examples of the OpenAPI document, made from the API's own types so they match the wire format.</summary>
internal static class ApiExamples
{
    private static readonly string Created = RegistryConfiguration.Timestamp(new DateTimeOffset(2025, 1, 15, 9, 30, 0, TimeSpan.Zero));
    private static readonly string Updated = RegistryConfiguration.Timestamp(new DateTimeOffset(2025, 3, 2, 14, 5, 0, TimeSpan.Zero));

    public static RegistryConfiguration Entry { get; } = new()
    {
        Registry = "registry.example.com:5000/team/*",
        RegistryName = "Team registry",
        RegistryType = "docker_v2",
        RegistryUser = "ci-puller",
        RegistryVerify = true,
        CreatedAt = Created,
        LastUpdated = Updated,
        UserId = "alice",
        RegistryEmail = "ci@example.com",
        Active = true,
        Version = 3,
    };

    public static JsonNode? Request() => Node(new RegistryConfigurationRequest
    {
        Registry = "registry.example.com:5000/team/*",
        RegistryName = "Team registry",
        RegistryType = "docker_v2",
        RegistryUser = "ci-puller",
        RegistryPass = "<password or access token>",
        RegistryVerify = true,
        RegistryEmail = "ci@example.com",
    });

    public static JsonNode? Response() => Node(Entry);

    public static JsonNode? Settings() => Node(new RegistrySettingsDocument
    {
        DefaultRegistry = "registry.example.com:5000",
        AllowedRegistries = ["registry.example.com:5000", "*.azurecr.io", "docker.io"],
    });

    public static JsonNode? Resolution() => Node(new RegistryResolveResult
    {
        Image = "registry.example.com:5000/team/app:1.4",
        Registry = "registry.example.com:5000",
        Repository = "team/app",
        Result = "credential",
        Message = "Pull registry.example.com:5000/team/app with the credential of registry.example.com:5000/team/* (user ci-puller).",
        Entry = Entry,
    });

    public static JsonNode? Error() => Node(new ApiErrorResponse
    {
        Message = "registry.example.com:5000/team already exists for account alice.",
        HttpCode = 409,
        Code = 409,
        ErrorType = "urn:registry-credentials:problem:conflict",
        Detail = new ApiErrorDetail
        {
            ErrorCodes = ["Conflict"],
            Title = "Conflict",
            Members = new(StringComparer.Ordinal) { ["registry"] = "registry.example.com:5000/team", ["code"] = "Conflict", ["transient"] = false },
        },
    });

    public static JsonNode? AntiforgeryToken() => Node(new AntiforgeryTokenDocument
    {
        HeaderName = "RequestVerificationToken",
        RequestToken = "CfDJ8…",
    });

    private static JsonNode? Node<T>(T value) => JsonSerializer.SerializeToNode(value, ApiJson.Options);
}
