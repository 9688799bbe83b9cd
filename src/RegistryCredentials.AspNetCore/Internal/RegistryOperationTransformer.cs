using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace RegistryCredentials.AspNetCore.Internal;

/// <summary>
/// Documents what the handlers read themselves (<c>?validate</c>, <c>If-Match</c>), the <c>ETag</c> of entry responses,
/// and gives each operation a stable id.
/// </summary>
internal sealed class RegistryOperationTransformer : IOpenApiOperationTransformer
{
    public async Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var description = context.Description;
        var metadata = description.ActionDescriptor.EndpointMetadata;
        if (!metadata.OfType<RegistryEndpointMetadata>().Contains(RegistryEndpointMetadata.Api))
        {
            return;
        }

        if (metadata.OfType<RegistryRequestBodyMetadata>().FirstOrDefault() is { } body)
        {
            IOpenApiSchema schema = await context.GetOrCreateSchemaAsync(body.Type, null, cancellationToken).ConfigureAwait(false);
            if (context.Document is { } document)
            {
                // A component, like the response types, rather than a copy in every operation.
                var id = body.Type.Name;
                document.AddComponent(id, schema);
                schema = new OpenApiSchemaReference(id, document);
            }

            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Content = new Dictionary<string, OpenApiMediaType>(StringComparer.Ordinal) { ["application/json"] = new() { Schema = schema } },
            };
        }

        var method = description.HttpMethod ?? string.Empty;
        var path = description.RelativePath ?? string.Empty;
        var isEntry = path.EndsWith("{registry}", StringComparison.Ordinal);
        var isCollection = !path.Contains('{', StringComparison.Ordinal) && !path.Contains("/_", StringComparison.Ordinal) && !path.StartsWith('_');
        operation.OperationId ??= OperationId(method, path, isEntry, isCollection);

        if ((HttpMethods.IsPost(method) && isCollection) || (HttpMethods.IsPut(method) && isEntry))
        {
            Parameters(operation).Add(new OpenApiParameter
            {
                Name = "validate",
                In = ParameterLocation.Query,
                Description = "Check the credential against the registry before storing it (anchorectl's --validate). Default true.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.Boolean, Default = JsonValue.Create(true) },
            });
        }

        if ((HttpMethods.IsPut(method) || HttpMethods.IsDelete(method)) && isEntry)
        {
            Parameters(operation).Add(new OpenApiParameter
            {
                Name = "If-Match",
                In = ParameterLocation.Header,
                Description = $"The entry's ETag (its version, such as \"3\"): "
                    + $"{(HttpMethods.IsPut(method) ? "update" : "delete")} only if it has not changed since; 412 otherwise.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String },
            });
        }

        if (operation.Responses is { } responses)
        {
            foreach (var (status, response) in responses)
            {
                if (status is "200" or "201" && (isEntry || path.EndsWith("activate", StringComparison.Ordinal) || (isCollection && HttpMethods.IsPost(method)))
                    && response is OpenApiResponse concrete && !HttpMethods.IsDelete(method))
                {
                    concrete.Headers ??= new Dictionary<string, IOpenApiHeader>(StringComparer.Ordinal);
                    concrete.Headers["ETag"] = new OpenApiHeader
                    {
                        Description = "The entry's version, for If-Match.",
                        Schema = new OpenApiSchema { Type = JsonSchemaType.String },
                    };
                }
            }
        }
    }

    private static IList<IOpenApiParameter> Parameters(OpenApiOperation operation) => operation.Parameters ??= [];

    private static string OperationId(string method, string path, bool isEntry, bool isCollection)
    {
        if (isCollection)
        {
            return HttpMethods.IsPost(method) ? "CreateRegistry" : "ListRegistries";
        }

        if (isEntry)
        {
            return HttpMethods.IsGet(method) ? "GetRegistry" : HttpMethods.IsPut(method) ? "UpdateRegistry" : "DeleteRegistry";
        }

        return path switch
        {
            _ when path.EndsWith("/deactivate", StringComparison.Ordinal) => "DeactivateRegistry",
            _ when path.EndsWith("/activate", StringComparison.Ordinal) => "ActivateRegistry",
            _ when path.EndsWith("_settings", StringComparison.Ordinal) => HttpMethods.IsPut(method) ? "UpdateRegistrySettings" : "GetRegistrySettings",
            _ when path.EndsWith("_resolve", StringComparison.Ordinal) => "ResolveImage",
            _ when path.EndsWith("_antiforgery", StringComparison.Ordinal) => "GetRegistryAntiforgeryToken",
            _ => method + path,
        };
    }
}
