using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace RegistryCredentials.AspNetCore.Internal;

/// <summary>
/// Runs around every API endpoint: no caching, the authorization check, the request's account, antiforgery for browser
/// requests that change state, Anchore's <c>x-anchore-account</c>, and error responses for the manager's errors (RFC 9457
/// problems or Anchore's error body, as the client accepts).
/// </summary>
internal sealed class RegistryApiFilter(
    MappedRegistryEndpoints mapped,
    IOptionsMonitor<RegistryCredentialsOptions> coreOptions,
    IAntiforgery antiforgery,
    ILogger logger) : IEndpointFilter
{
    /// <summary>Anchore's header for acting as another account (its API definition's <c>AsAccountParameter</c>).</summary>
    public const string AsAccountHeader = "x-anchore-account";

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
                return ErrorResponses.Negotiate(context, Problems.Create(
                    context, StatusCodes.Status403Forbidden, RegistryProblemTypes.AccountRequired, "No account",
                    "The request has no account: sign in (the host's account selector found no user name)."));
            }

            account = coreOptions.CurrentValue.Account;
        }

        if (!RegistryAccounts.IsValid(account))
        {
            Log.AccountInvalid(logger, request.Method, request.Path.Value ?? string.Empty);
            return ErrorResponses.Negotiate(context, Problems.Create(
                context, StatusCodes.Status403Forbidden, RegistryProblemTypes.AccountRequired, "No valid account",
                "The request's account name is not valid (1-128 letters, digits, '.', '_', '-' or '@'): "
                + "the host must map it in RegistryCredentialsApiOptions.AccountSelector."));
        }

        if (request.Headers.ContainsKey(AsAccountHeader))
        {
            var (actAs, refusal) = await ActAsAsync(context, account).ConfigureAwait(false);
            if (refusal is not null)
            {
                return ErrorResponses.Negotiate(context, refusal);
            }

            account = actAs;
        }

        RequestAccount.Set(context, account);
        if (ChangesState(request.Method) && options.AntiforgeryRequired(context) && !await antiforgery.IsRequestValidAsync(context).ConfigureAwait(false))
        {
            Log.AntiforgeryRejected(logger, request.Method, request.Path.Value ?? string.Empty);
            return ErrorResponses.Negotiate(context, Problems.Create(
                context, StatusCodes.Status400BadRequest, RegistryProblemTypes.AntiforgeryTokenInvalid, "Antiforgery token missing or invalid",
                "A state-changing request from a browser needs the antiforgery token: "
                + "GET the _antiforgery endpoint of this API and send request_token in the header it names."));
        }

        try
        {
            return await next(invocationContext).ConfigureAwait(false);
        }
        catch (Exception e) when (Problems.FromException(context, e) is { } problem)
        {
            Report(context, account, problem, e);
            return ErrorResponses.Negotiate(context, problem);
        }
    }

    /// <summary>
    /// Anchore's <c>x-anchore-account</c> (its API definition: "An account name to change the resource scope of the request
    /// to that account, if permissions allow"): the account the request acts as, or the 400/403 problem that refuses it.
    /// Never ignored: without the host's <see cref="RegistryCredentialsApiOptions.ActAsAccountPolicy"/> allowing it, a
    /// request naming another account is refused rather than served as the caller's own.
    /// </summary>
    private async Task<(string Account, ProblemHttpResult? Refusal)> ActAsAsync(HttpContext context, string caller)
    {
        var request = context.Request;
        var path = request.Path.Value ?? string.Empty;
        var values = request.Headers[AsAccountHeader];
        var target = values.Count == 1 ? values[0]?.Trim() : null;
        if (string.IsNullOrEmpty(target) || !RegistryAccounts.IsValid(target))
        {
            return (caller, Problems.Create(
                context, StatusCodes.Status400BadRequest, RegistryProblemTypes.InvalidField, "Invalid field",
                $"The {AsAccountHeader} header must name one valid account (1-128 letters, digits, '.', '_', '-' or '@').",
                [new("field", AsAccountHeader)]));
        }

        if (string.Equals(target, caller, StringComparison.Ordinal))
        {
            return (caller, null);
        }

        var policy = mapped.Options.ActAsAccountPolicy;
        var allowed = false;
        if (policy is not null)
        {
            var authorization = context.RequestServices.GetService(typeof(IAuthorizationService)) as IAuthorizationService
                ?? throw RegistryApiErrors.Misconfigured(
                    "ActAsAccountPolicy is set but no authorization services are registered (services.AddAuthorization()).");
            allowed = (await authorization.AuthorizeAsync(context.User, target, policy).ConfigureAwait(false)).Succeeded;
        }

        if (!allowed)
        {
            Log.ActAsRefused(logger, request.Method, path, caller, target);
            return (caller, Problems.Create(
                context, StatusCodes.Status403Forbidden, RegistryProblemTypes.AccountForbidden, "Not allowed to act as that account",
                policy is null
                    ? $"This server does not let callers act as another account ({AsAccountHeader}: {target}); send the request without the header."
                    : $"You may not act as the account '{target}' ({AsAccountHeader}); the host's policy '{policy}' refused it.",
                [new("account", target)]));
        }

        Log.ActingAs(logger, request.Method, path, caller, target);
        return (target, null);
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
