using Microsoft.AspNetCore.Http;

namespace RegistryCredentials.AspNetCore;

/// <summary>
/// Options of the Registries HTTP API and the management page, set with
/// <see cref="RegistryCredentialsAspNetCoreBuilderExtensions.AddHttpApi"/>. They are read when the endpoints are mapped.
/// </summary>
public sealed class RegistryCredentialsApiOptions
{
    /// <summary>
    /// Gives the account (tenant) of a request; its entries are the only ones the request sees or changes. Default:
    /// <see cref="AuthenticatedUserName"/>. A request whose account is null is refused with 403, unless
    /// <see cref="AllowAnonymous"/> is true, in which case it uses <see cref="RegistryCredentialsOptions.Account"/>. The
    /// name must be a valid account name (<see cref="RegistryAccounts.IsValid"/>); map user names that are not.
    /// </summary>
    public Func<HttpContext, string?> AccountSelector { get; set; } = AuthenticatedUserName;

    /// <summary>
    /// False (the default): start-up fails when an endpoint of the API or the page has no authorization policy (none
    /// chained with <c>RequireAuthorization</c>, no <c>[Authorize]</c> data and no fallback policy) or allows anonymous
    /// access. True: the host explicitly allows anonymous access, and anonymous requests share
    /// <see cref="RegistryCredentialsOptions.Account"/>.
    /// </summary>
    public bool AllowAnonymous { get; set; }

    /// <summary>
    /// An authorization policy that writing the settings (<c>PATCH</c> or <c>PUT {prefix}/_settings</c>) requires in addition
    /// to the group's, whichever account's policy is written. Null (the default): no extra policy.
    /// </summary>
    public string? SettingsPolicy { get; set; }

    /// <summary>
    /// The authorization policy a caller must satisfy to act as another account with Anchore's <c>x-anchore-account</c>
    /// request header ("change the resource scope of the request to that account, if permissions allow"). The policy is
    /// evaluated with the named account (a <see cref="string"/>) as the resource, so a handler may allow some accounts
    /// only. Null (the default): no caller may; a request with the header naming another account is refused with 403,
    /// never served as the caller's own account. The header naming the caller's own account needs no policy.
    /// </summary>
    public string? ActAsAccountPolicy { get; set; }

    /// <summary>
    /// The host's admin policy for policies: says whether the request may read or change the policy (default registry,
    /// allow-list) of <c>account</c>, another account than its own or <see cref="RegistryPolicy.GlobalAccount"/> (the global
    /// policy), named with <c>?account=</c> on <c>{prefix}/_settings</c>. Default: <see cref="OwnPolicyOnly"/>, so an account
    /// changes only its own policy (and reads its own and the global one); a refusal is 403 and changes nothing.
    /// </summary>
    public Func<HttpContext, string, bool> PolicyAdministration { get; set; } = OwnPolicyOnly;

    /// <summary>
    /// Says whether a state-changing request (POST, PUT, DELETE) must carry an antiforgery token. Default:
    /// <see cref="IsBrowserRequest"/>, so requests from browsers (whose cookies or cached credentials travel by
    /// themselves) need the token the page fetches from <c>GET {prefix}/_antiforgery</c>, and other API clients
    /// (scripts, services with bearer tokens) do not.
    /// </summary>
    public Func<HttpContext, bool> AntiforgeryRequired { get; set; } = IsBrowserRequest;

    /// <summary>The default <see cref="PolicyAdministration"/>: refuses every other account's and the global policy.</summary>
    /// <param name="context">The request.</param>
    /// <param name="account">The account whose policy the request names.</param>
    /// <returns>False.</returns>
    public static bool OwnPolicyOnly(HttpContext context, string account) => false;

    /// <summary>The default <see cref="AccountSelector"/>: the authenticated user's name, or null.</summary>
    /// <param name="context">The request.</param>
    /// <returns>The name, or null when the user is not authenticated or has no name.</returns>
    public static string? AuthenticatedUserName(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.User.Identity is { IsAuthenticated: true, Name: { Length: > 0 } name } ? name : null;
    }

    /// <summary>
    /// The default <see cref="AntiforgeryRequired"/>: true when the request carries a <c>Cookie</c> header, or an
    /// <c>Origin</c> or <c>Sec-Fetch-Site</c> header (which browsers add to the requests they send).
    /// </summary>
    /// <param name="context">The request.</param>
    /// <returns>True when the request looks like it comes from a browser.</returns>
    public static bool IsBrowserRequest(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var headers = context.Request.Headers;
        return headers.Cookie.Count > 0 || headers.Origin.Count > 0 || headers.ContainsKey("Sec-Fetch-Site");
    }
}
