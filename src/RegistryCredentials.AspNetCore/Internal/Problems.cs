using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace RegistryCredentials.AspNetCore.Internal;

/// <summary>RFC 9457 problem responses, one stable <c>type</c> per error of the manager.</summary>
internal static class Problems
{
    public static ProblemHttpResult Create(
        HttpContext context,
        int status,
        string type,
        string title,
        string detail,
        IEnumerable<KeyValuePair<string, object?>>? extensions = null)
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
        return TypedResults.Problem(
            detail: detail,
            instance: context.Request.PathBase + context.Request.Path,
            statusCode: status,
            title: title,
            type: type,
            extensions: all);
    }

    /// <summary>
    /// The problem for an exception the handlers, the manager or the resolver threw, or null for one outside the failure
    /// model (a bug: left to the host's error handling). Status, type and title come from <see cref="RegistryErrorCatalog"/>
    /// (the one table the command line uses too); this method only adds what HTTP says better: the finer types of
    /// malformed scopes and image references, 412 for a version conflict under <c>If-Match</c>, the wire name of the field
    /// at fault, and <c>code</c> (the reason) and <c>transient</c> on every problem. A 5xx problem does not repeat the
    /// exception's message (it may name server paths or hosts): the filter logs it.
    /// </summary>
    public static ProblemHttpResult? FromException(HttpContext context, Exception exception)
    {
        if (exception is ApiProblemException api)
        {
            return Create(context, api.Status, api.Type, api.Title, api.Message, api.Field is null ? null : [new("field", api.Field)]);
        }

        var reason = RegistryErrorCatalog.ReasonOf(exception);
        if (reason == RegistryErrorReason.Unspecified && exception is not RegistryCredentialsException)
        {
            return null;
        }

        var mapping = RegistryErrorCatalog.For(reason);
        var status = mapping.HttpStatus;
        var type = mapping.ProblemType;
        var title = mapping.Title;
        string detail;
        var extensions = new List<KeyValuePair<string, object?>>();
        switch (exception)
        {
            case RegistryCredentialsException e when status >= StatusCodes.Status500InternalServerError:
                detail = $"{title}. The server logged the cause; " + (e.IsTransient ? "retry the request later." : "its operator must fix it.");
                break;
            case RegistryScopeFormatException e:
                (type, title, detail) = (RegistryProblemTypes.InvalidScope, "Invalid registry scope", e.Message);
                extensions.Add(new("scope", e.Scope));
                break;
            case ImageReferenceFormatException e:
                (type, title, detail) = (RegistryProblemTypes.InvalidImageReference, "Invalid image reference", e.Message);
                extensions.Add(new("part", e.Part.ToString()));
                break;
            case RegistryConcurrencyException e when context.Request.Headers.IfMatch.Count > 0:
                (status, type, title) = (StatusCodes.Status412PreconditionFailed, RegistryProblemTypes.PreconditionFailed, "The entry has changed");
                detail = $"The entry is at version {e.ActualVersion} (ETag \"{e.ActualVersion}\"), not "
                    + $"the one If-Match named: somebody else changed it. Read it again and retry.";
                extensions.Add(new("registry", e.Scope?.Value));
                break;
            case RegistryCredentialsException e when e.Reason == RegistryErrorReason.Concurrency && context.Request.Headers.IfMatch.Count > 0:
                // A policy (_settings) not at the version If-Match named: the message names both versions.
                (status, type, title) = (StatusCodes.Status412PreconditionFailed, RegistryProblemTypes.PreconditionFailed, "The policy has changed");
                detail = e.Message;
                break;
            case RegistryValidationException e:
                detail = $"{e.Outcome}: {e.Result?.Message} Nothing was stored. Fix the credential, or skip the check with ?validate=false.";
                extensions.AddRange([new("registry", e.Scope?.Value), new("outcome", e.Outcome?.ToString()), new("reason", e.Result?.Message)]);
                break;
            case RegistryEntryException e:
                detail = e.Message;
                extensions.Add(new("registry", e.Scope?.Value));
                break;
            case RegistryTypeNotSupportedException e:
                detail = e.Message;
                extensions.Add(new("registry_type", e.Type?.Value));
                break;
            case RegistryFieldException e:
                detail = FieldMessage(e);
                extensions.AddRange([new("field", FieldName(e.ParamName)), new("problem", e.Problem.ToString())]);
                break;
            case ArgumentException e:
                detail = FieldMessage(e);
                extensions.Add(new("field", FieldName(e.ParamName)));
                break;
            case RegistryCredentialsException e:
                detail = e.Message;
                if (e.Field is not null)
                {
                    extensions.Add(new("field", FieldName(e.Field)));
                }

                if (e is RegistryAuthenticationException authentication)
                {
                    extensions.Add(new("outcome", authentication.Outcome.ToString()));
                }

                break;
            default:
                detail = exception.Message;
                break;
        }

        extensions.Add(new("code", reason.ToString()));
        extensions.Add(new("transient", exception is RegistryCredentialsException failure ? failure.IsTransient : mapping.IsTransient));
        return Create(context, status, type, title, detail, extensions);
    }

    /// <summary>The message without the " (Parameter 'x')" suffix.</summary>
    private static string FieldMessage(ArgumentException e)
    {
        var message = e.Message;
        var suffix = message.LastIndexOf(" (Parameter '", StringComparison.Ordinal);
        return suffix > 0 ? message[..suffix] : message;
    }

    /// <summary>The wire name of a manager's parameter or a request property (<see cref="RegistryCredentialsException.Field"/>).</summary>
    private static string? FieldName(string? parameter) => parameter switch
    {
        "Username" or "username" => "registry_user",
        "Name" or "name" => "registry_name",
        "Email" or "email" => "registry_email",
        "value" or "Type" or "type" => "registry_type",
        "Password" or "password" => "registry_pass",
        "Scope" or "scope" => "registry",
        "VerifyTls" => "registry_verify",
        nameof(RegistryPolicyUpdate.DefaultRegistry) => PolicyPatch.DefaultRegistry,
        nameof(RegistryPolicyUpdate.AllowedRegistries) => PolicyPatch.AllowedRegistries,
        null or "entry" => null,

        _ => parameter,
    };
}
