using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace RegistryCredentials.AspNetCore.Internal;

/// <summary>
/// Chooses the error body: an RFC 9457 problem when the client lists <c>application/problem+json</c> in <c>Accept</c>
/// (the management page does), otherwise Anchore's <see cref="ApiErrorResponse"/>, which anchore-cli and clients
/// generated from Anchore's API definition parse. The status code is the same either way.
/// </summary>
internal static class ErrorResponses
{
    public const string ProblemJson = "application/problem+json";

    public static bool AcceptsProblem(HttpRequest request)
    {
        var accept = request.Headers.Accept;
        if (accept.Count == 0 || !MediaTypeHeaderValue.TryParseList(accept, out var types))
        {
            return false;
        }

        // Only an explicit application/problem+json counts: */* and application/* are what clients send by default.
        return types.Any(t => t.MediaType.Equals(ProblemJson, StringComparison.OrdinalIgnoreCase) && t.Quality is not 0);
    }

    public static IResult Negotiate(HttpContext context, ProblemHttpResult problem) =>
        AcceptsProblem(context.Request) ? problem : Anchore(problem);

    public static IResult Anchore(ProblemHttpResult problem)
    {
        var details = problem.ProblemDetails;
        var status = problem.StatusCode;
        var members = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (key, value) in details.Extensions)
        {
            if (key is not "error_codes" and not "title")
            {
                members[key] = value;
            }
        }

        var type = details.Type ?? "about:blank";
        var code = details.Extensions.TryGetValue("code", out var reason) && reason is string text ? text : type[(type.LastIndexOf(':') + 1)..];
        var body = new ApiErrorResponse
        {
            Message = details.Detail ?? details.Title ?? "The request failed.",
            HttpCode = status,
            Code = status,
            ErrorType = type,
            Detail = new ApiErrorDetail { ErrorCodes = [code], Title = details.Title, Members = members },
        };
        return Results.Json(body, ApiJson.Options, "application/json", status);
    }
}
