using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace RegistryCredentials.AspNetCore.Internal;

/// <summary>
/// Runs around every API endpoint: no caching, the authorization check, the request's account, antiforgery for browser
/// requests that change state, and problem responses for the manager's errors.
/// </summary>
internal sealed class RegistryApiFilter(
    MappedRegistryEndpoints mapped,
    IOptionsMonitor<RegistryCredentialsOptions> coreOptions,
    IAntiforgery antiforgery,
    ILogger logger) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext invocationContext, EndpointFilterDelegate next)
    {
        var context = invocationContext.HttpContext;
        var request = context.Request;
        var headers = context.Response.Headers;
        headers.CacheControl = "no-store";
        headers.XContentTypeOptions = "nosniff";
        mapped.EnsureProtected(context);

        var options = mapped.Options;
        var account = options.AccountSelector(context);
        if (account is null)
        {
            if (!options.AllowAnonymous)
            {
                Log.AccountMissing(logger, request.Method, request.Path.Value ?? string.Empty);
                return Problems.Create(
                    context, StatusCodes.Status403Forbidden, RegistryProblemTypes.AccountRequired, "No account",
                    "The request has no account: sign in (the host's account selector found no user name).");
            }

            account = coreOptions.CurrentValue.Account;
        }

        if (!RegistryAccounts.IsValid(account))
        {
            Log.AccountInvalid(logger, request.Method, request.Path.Value ?? string.Empty);
            return Problems.Create(
                context, StatusCodes.Status403Forbidden, RegistryProblemTypes.AccountRequired, "No valid account",
                "The request's account name is not valid (1-128 letters, digits, '.', '_', '-' "
                + "or '@'): the host must map it in RegistryCredentialsApiOptions.AccountSelector.");
        }

        RequestAccount.Set(context, account);
        if (ChangesState(request.Method) && options.AntiforgeryRequired(context) && !await antiforgery.IsRequestValidAsync(context).ConfigureAwait(false))
        {
            Log.AntiforgeryRejected(logger, request.Method, request.Path.Value ?? string.Empty);
            return Problems.Create(
                context, StatusCodes.Status400BadRequest, RegistryProblemTypes.AntiforgeryTokenInvalid, "Antiforgery token missing or invalid",
                "A state-changing request from a browser needs the antiforgery token: GET the "
                + "_antiforgery endpoint of this API and send request_token in the header it names.");
        }

        try
        {
            return await next(invocationContext).ConfigureAwait(false);
        }
        catch (Exception e) when (Problems.FromException(context, e) is { } problem)
        {
            Report(context, account, problem, e);
            return problem;
        }
    }

    private void Report(HttpContext context, string account, ProblemHttpResult problem, Exception exception)
    {
        var path = context.Request.Path.Value ?? string.Empty;
        var type = problem.ProblemDetails.Type ?? string.Empty;
        if (problem.StatusCode >= StatusCodes.Status500InternalServerError)
        {
            // The problem's detail is generic; the cause (which may name files or hosts) goes to the log only.
            Log.ServerFailure(logger, exception, context.Request.Method, path, problem.StatusCode, type, account);
            return;
        }

        Log.ProblemReturned(logger, context.Request.Method, path, problem.StatusCode, type, account);
    }

    private static bool ChangesState(string method) =>
        !(HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method) || HttpMethods.IsTrace(method));
}
