using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace RegistryCredentials.AspNetCore.Internal;

/// <summary>
/// Documents what the handlers read themselves (<c>?validate</c>, <c>?replace</c>, <c>If-Match</c>,
/// <c>x-anchore-account</c>), the <c>ETag</c> of entry responses, both error bodies (RFC 9457 problems and Anchore's
/// <c>ApiErrorResponse</c>), and gives each operation a stable id.
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

            var content = new Dictionary<string, OpenApiMediaType>(StringComparer.Ordinal) { ["application/json"] = new() { Schema = schema } };
            if (HttpMethods.IsPatch(description.HttpMethod ?? string.Empty))
            {
                content["application/merge-patch+json"] = new() { Schema = schema }; // RFC 7396
            }

            operation.RequestBody = new OpenApiRequestBody { Required = true, Content = content };
        }

        var method = description.HttpMethod ?? string.Empty;
        var path = (description.RelativePath ?? string.Empty).Replace("{**", "{", StringComparison.Ordinal);
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

        if (HttpMethods.IsPost(method) && isCollection)
        {
            Parameters(operation).Add(new OpenApiParameter
            {
                Name = "replace",
                In = ParameterLocation.Query,
                Description = "Replace an existing entry for the same scope (Rancher: the newest credential wins), keeping its created_at; "
                    + "the answer is then 200. Default false: an existing entry is a 409 conflict.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.Boolean, Default = JsonValue.Create(false) },
            });
        }

        if (operation.Parameters?.FirstOrDefault(p => p.Name == "registry") is OpenApiParameter registry)
        {
            registry.Description = "The scope, host[:port][/path][/*]: URL-encoded in one segment (docker.io%2Facme%2F*) or with raw slashes "
                + "(docker.io/acme/*), as Anchore's API definition declares it (format: path). Each segment is decoded once: %252F is not a slash.";
        }

        Parameters(operation).Add(new OpenApiParameter
        {
            Name = RegistryApiFilter.AsAccountHeader,
            In = ParameterLocation.Header,
            Description = "Anchore's header: act as this account, if the host's ActAsAccountPolicy allows the caller; 403 otherwise (never ignored).",
            Schema = new OpenApiSchema { Type = JsonSchemaType.String },
        });

        var isSettings = path.EndsWith("_settings", StringComparison.Ordinal);
        if ((HttpMethods.IsPut(method) || HttpMethods.IsPatch(method)) && isSettings)
        {
            Parameters(operation).Add(new OpenApiParameter
            {
                Name = "If-Match",
                In = ParameterLocation.Header,
                Description = "The policy's ETag (the version of the account's own stored policy, \"0\" when it has none): "
                    + "change it only if it has not changed since; 412 otherwise.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String },
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
            await AddAnchoreErrorBodiesAsync(responses, context, cancellationToken).ConfigureAwait(false);
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
                else if (status == "200" && isSettings && response is OpenApiResponse settings)
                {
                    settings.Headers ??= new Dictionary<string, IOpenApiHeader>(StringComparer.Ordinal);
                    settings.Headers["ETag"] = new OpenApiHeader
                    {
                        Description = "The version of the account's own stored policy (\"0\" when it has none), for If-Match.",
                        Schema = new OpenApiSchema { Type = JsonSchemaType.String },
                    };
                }
            }
        }
    }

    private static IList<IOpenApiParameter> Parameters(OpenApiOperation operation) => operation.Parameters ??= [];

    /// <summary>Every error response offers both bodies: application/problem+json, and application/json (Anchore's ApiErrorResponse).</summary>
    private static async Task AddAnchoreErrorBodiesAsync(
        OpenApiResponses responses, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        IOpenApiSchema? schema = null;
        foreach (var (status, response) in responses)
        {
            if (response is not OpenApiResponse { Content: { } content } || !content.ContainsKey(ErrorResponses.ProblemJson)
                || status.Length != 3 || status[0] < '4')
            {
                continue;
            }

            if (schema is null)
            {
                schema = await context.GetOrCreateSchemaAsync(typeof(ApiErrorResponse), null, cancellationToken).ConfigureAwait(false);
                if (context.Document is { } document)
                {
                    document.AddComponent(nameof(ApiErrorResponse), schema);
                    schema = new OpenApiSchemaReference(nameof(ApiErrorResponse), document);
                }
            }

            content["application/json"] = new OpenApiMediaType { Schema = schema };
            response.Description = (response.Description is { Length: > 0 } d ? d + ". " : string.Empty)
                + "application/problem+json (RFC 9457) when the request's Accept lists it; otherwise Anchore's ApiErrorResponse as application/json.";
        }
    }

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
            _ when path.EndsWith("_settings", StringComparison.Ordinal) => HttpMethods.IsGet(method) ? "GetRegistrySettings"
                : HttpMethods.IsPatch(method) ? "PatchRegistrySettings" : "UpdateRegistrySettings",
            _ when path.EndsWith("_resolve", StringComparison.Ordinal) => "ResolveImage",
            _ when path.EndsWith("_antiforgery", StringComparison.Ordinal) => "GetRegistryAntiforgeryToken",
            _ => method + path,
        };
    }
}
