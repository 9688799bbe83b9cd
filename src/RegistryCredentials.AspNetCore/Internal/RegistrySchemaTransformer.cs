using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace RegistryCredentials.AspNetCore.Internal;

/// <summary>Adds examples to the API's schemas and marks <c>registry_pass</c> write-only.</summary>
internal sealed class RegistrySchemaTransformer : IOpenApiSchemaTransformer
{
    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.JsonPropertyInfo is { } property)
        {
            if (property.DeclaringType == typeof(RegistryConfigurationRequest) && property.Name == "registry_pass")
            {
                schema.WriteOnly = true;
            }

            if (property.DeclaringType == typeof(RegistryConfiguration) && property.Name is "created_at" or "last_updated")
            {
                schema.Format = "date-time";
            }

            return Task.CompletedTask;
        }

        var type = context.JsonTypeInfo.Type;
        if (type == typeof(RegistryConfigurationRequest))
        {
            if (schema.Properties is { } properties && properties.TryGetValue("registry_pass", out var password) && password is OpenApiSchema passwordSchema)
            {
                passwordSchema.WriteOnly = true;
            }

            schema.Examples = Examples(ApiExamples.Request());
        }
        else if (type == typeof(RegistryConfiguration))
        {
            schema.Examples = Examples(ApiExamples.Response());
        }
        else if (type == typeof(RegistrySettingsDocument))
        {
            schema.Examples = Examples(ApiExamples.Settings());
        }
        else if (type == typeof(RegistryResolveResult))
        {
            schema.Examples = Examples(ApiExamples.Resolution());
        }
        else if (type == typeof(ApiErrorResponse))
        {
            schema.Examples = Examples(ApiExamples.Error());
        }
        else if (type == typeof(AntiforgeryTokenDocument))
        {
            schema.Examples = Examples(ApiExamples.AntiforgeryToken());
        }

        return Task.CompletedTask;
    }

    private static List<System.Text.Json.Nodes.JsonNode> Examples(System.Text.Json.Nodes.JsonNode? example) => example is null ? [] : [example];
}
