using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace RegistryCredentials.AspNetCore.Internal;

/// <summary>RFC 9457 problem responses, one stable <c>type</c> per error of the manager.</summary>
internal static class Problems
{
    public static ProblemHttpResult Create(HttpContext context, int status, string type, string title, string detail, IEnumerable<KeyValuePair<string, object?>>? extensions = null)
    {
        var all = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (extensions is not null)
        {
            foreach (var (key, value) in extensions)
            {
                all[key] = value;
            }
        }

        all["traceId"] = context.TraceIdentifier;
        return TypedResults.Problem(detail: detail, instance: context.Request.PathBase + context.Request.Path, statusCode: status, title: title, type: type, extensions: all);
    }

    /// <summary>The problem for an exception the handlers or the manager threw, or null for an unexpected one.</summary>
    public static ProblemHttpResult? FromException(HttpContext context, Exception exception) => exception switch
    {
        ApiProblemException e => Create(context, e.Status, e.Type, e.Title, e.Message, e.Field is null ? null : [new("field", e.Field)]),
        RegistryScopeFormatException e => Create(
            context, StatusCodes.Status400BadRequest, RegistryProblemTypes.InvalidScope, "Invalid registry scope", e.Message, [new("scope", e.Scope)]),
        ImageReferenceFormatException e => Create(
            context, StatusCodes.Status400BadRequest, RegistryProblemTypes.InvalidImageReference, "Invalid image reference", e.Message, [new("part", e.Part.ToString())]),
        RegistryNotFoundException e => Create(
            context, StatusCodes.Status404NotFound, RegistryProblemTypes.NotFound, "Registry entry not found", e.Message, [new("registry", e.Scope?.Value)]),
        RegistryConcurrencyException e when context.Request.Headers.IfMatch.Count > 0 => Create(
            context, StatusCodes.Status412PreconditionFailed, RegistryProblemTypes.PreconditionFailed, "The entry has changed",
            $"The entry is at version {e.ActualVersion} (ETag \"{e.ActualVersion}\"), not the one If-Match named: somebody else changed it. Read it again and retry.",
            [new("registry", e.Scope?.Value)]),
        RegistryConflictException e => Create(
            context, StatusCodes.Status409Conflict, RegistryProblemTypes.Conflict, "Registry entry conflict", e.Message, [new("registry", e.Scope?.Value)]),
        RegistryValidationException e => Create(
            context, StatusCodes.Status422UnprocessableEntity, RegistryProblemTypes.ValidationFailed, "The registry did not accept the credential",
            $"{e.Outcome}: {e.Result?.Message} Nothing was stored. Fix the credential, or skip the check with ?validate=false.",
            [new("registry", e.Scope?.Value), new("outcome", e.Outcome?.ToString()), new("reason", e.Result?.Message)]),
        RegistryTypeNotSupportedException e => Create(
            context, StatusCodes.Status400BadRequest, RegistryProblemTypes.TypeNotSupported, "Registry type not supported", e.Message, [new("registry_type", e.Type?.Value)]),
        RegistryFieldException e => Create(
            context, StatusCodes.Status400BadRequest, RegistryProblemTypes.InvalidField, "Invalid field", FieldMessage(e),
            [new("field", FieldName(e.ParamName)), new("problem", e.Problem.ToString())]),
        ArgumentException e => Create(
            context, StatusCodes.Status400BadRequest, RegistryProblemTypes.InvalidField, "Invalid field", FieldMessage(e), [new("field", FieldName(e.ParamName))]),
        _ => null,
    };

    /// <summary>The message without the " (Parameter 'x')" suffix.</summary>
    private static string FieldMessage(ArgumentException e)
    {
        var message = e.Message;
        var suffix = message.LastIndexOf(" (Parameter '", StringComparison.Ordinal);
        return suffix > 0 ? message[..suffix] : message;
    }

    /// <summary>The wire name of a manager's parameter.</summary>
    private static string? FieldName(string? parameter) => parameter switch
    {
        "Username" or "username" => "registry_user",
        "Name" or "name" => "registry_name",
        "Email" or "email" => "registry_email",
        "value" or "Type" or "type" => "registry_type",
        "Password" or "password" => "registry_pass",
        null or "entry" => null, // a provider refusing the entry's settings: the message says which

        _ => parameter,
    };
}
