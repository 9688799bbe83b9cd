using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace RegistryCredentials.AspNetCore.Internal;

/// <summary>
/// <c>{prefix}/_settings</c>: the policy of an account, kept in the store through <see cref="IRegistryPolicyManager"/>, the
/// same one <c>regcred settings</c> changes. <c>PATCH</c> (JSON merge patch, <c>application/merge-patch+json</c>, or any JSON media type such as
/// <c>application/json</c>) and <c>PUT</c> both change only the members sent. <c>?account=</c> names another account or
/// <c>*</c> (the global policy), which the host's <see cref="RegistryCredentialsApiOptions.PolicyAdministration"/> must allow.
/// The <c>ETag</c> is the version of the account's own stored policy (<c>"0"</c> while it has none and a global or
/// configured one is in force); a write with <c>If-Match</c> applies only at that version (412 otherwise, nothing changed).
/// </summary>
internal static class PolicyEndpoints
{
    private const string Json = "application/json";
    private const long MaxBodyBytes = 1024 * 1024;

    public static void Map(RouteGroupBuilder group, MappedRegistryEndpoints mapped)
    {
        var patch = group.MapPatch("_settings", new Func<HttpContext, Task<IResult>>(WriteAsync))
            .WithSummary("Change the policy")
            .WithDescription("A JSON merge patch (RFC 7396) of the account's policy: members left out are kept, null removes (Docker Hub; "
                + "allow-list cleared), [] clears the allow-list. Unknown members are refused with 400 and nothing changes. "
                + "?account=NAME or ?account=* (global) needs the host's admin policy. If-Match with the ETag makes the change "
                + "conditional (412 when the policy changed).")
            .WithMetadata(new RegistryRequestBodyMetadata(typeof(RegistrySettingsDocument)))
            .Produces<RegistrySettingsDocument>(StatusCodes.Status200OK, Json)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);
        var put = group.MapPut("_settings", new Func<HttpContext, Task<IResult>>(WriteAsync))
            .WithSummary("Change the policy (as PATCH)")
            .WithDescription("The same as PATCH: only the members sent change; an omitted allowed_registries is kept, never cleared. "
                + "If-Match with the ETag makes the change conditional (412 when the policy changed).")
            .WithMetadata(new RegistryRequestBodyMetadata(typeof(RegistrySettingsDocument)))
            .Produces<RegistrySettingsDocument>(StatusCodes.Status200OK, Json)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);
        if (mapped.Options.SettingsPolicy is { } policy)
        {
            patch.RequireAuthorization(policy);
            put.RequireAuthorization(policy);
        }

        group.MapGet("_settings", new Func<HttpContext, Task<IResult>>(ReadAsync))
            .WithSummary("Read the policy")
            .WithDescription("The default registry (Rancher's registry.default) and the allow-list (registry.whitelist) in force for the account: "
                + "its own stored policy, else the global one, else configuration. The ETag is the version of the account's own "
                + "stored policy (\"0\" when it has none), for If-Match.")
            .Produces<RegistrySettingsDocument>(StatusCodes.Status200OK, Json)
            .ProducesProblem(StatusCodes.Status403Forbidden);
    }

    private static async Task<IResult> ReadAsync(HttpContext context)
    {
        var target = Target(context, write: false);
        var policy = await Policies(context).GetPolicyAsync(target, context.RequestAborted).ConfigureAwait(false);
        context.Response.Headers.ETag = EntityTags.Format(OwnVersion(policy, target));
        return Results.Json(RegistrySettingsDocument.From(policy), ApiJson.Options, Json);
    }

    /// <summary>The version of the account's own stored policy: 0 when the one in force is the global or configured one.</summary>
    private static long OwnVersion(RegistryPolicy policy, string account) => policy.Account == account ? policy.Version : 0;

    private static async Task<IResult> WriteAsync(HttpContext context)
    {
        var target = Target(context, write: true);
        var update = PolicyPatch.Read(await RequestBody.ReadJsonAsync<JsonNode>(context, MaxBodyBytes).ConfigureAwait(false));
        if (EntityTags.ParseIfMatch(context) is { } versions)
        {
            // As for an entry's PUT: the tag must name the version stored now, and the store writes only over that version.
            var current = OwnVersion(await Policies(context).GetPolicyAsync(target, context.RequestAborted).ConfigureAwait(false), target);
            if (!versions.Contains(current))
            {
                throw new RegistryCredentialsException(
                    RegistryErrorReason.Concurrency,
                    $"The policy of account '{target}' is at version {current} (ETag \"{current}\"), not the one If-Match named: "
                    + "somebody else changed it. Nothing was changed; read it again and retry.",
                    null);
            }

            update = new RegistryPolicyUpdate
            {
                DefaultRegistry = update.DefaultRegistry,
                AllowedRegistries = update.AllowedRegistries,
                ExpectedVersion = current,
            };
        }

        RegistryPolicy policy;
        try
        {
            policy = await Policies(context).UpdatePolicyAsync(update, target, context.RequestAborted).ConfigureAwait(false);
        }
        catch (RegistryFieldException e) when (e.Problem == RegistryFieldProblem.Invalid)
        {
            // A scope the grammar refuses: the same problem type as an entry's invalid scope.
            var field = e.Field == nameof(RegistryPolicyUpdate.DefaultRegistry) ? PolicyPatch.DefaultRegistry : PolicyPatch.AllowedRegistries;
            var detail = e.Message.Replace($" (Parameter '{e.ParamName}')", string.Empty, StringComparison.Ordinal)
                .Replace(nameof(RegistryPolicyUpdate.AllowedRegistries) + "[", PolicyPatch.AllowedRegistries + "[", StringComparison.Ordinal);
            throw new ApiProblemException(StatusCodes.Status400BadRequest, RegistryProblemTypes.InvalidScope, "Invalid registry scope", detail, field);
        }

        if (context.RequestServices.GetService<ILoggerFactory>()?.CreateLogger("RegistryCredentials.AspNetCore") is { } logger
            && logger.IsEnabled(LogLevel.Information))
        {
            var caller = RequestAccount.Get(context);
            var allowedCount = policy.AllowedRegistries.Count;
            Log.SettingsChanged(logger, caller, policy.Account, policy.DefaultRegistry, allowedCount);
        }

        context.Response.Headers.ETag = EntityTags.Format(OwnVersion(policy, target));
        return Results.Json(RegistrySettingsDocument.From(policy), ApiJson.Options, Json);
    }

    /// <summary>The account whose policy the request names: its own unless <c>?account=</c> says another, which the host must allow.</summary>
    private static string Target(HttpContext context, bool write)
    {
        var own = RequestAccount.Get(context);
        var named = context.Request.Query["account"];
        if (named.Count == 0)
        {
            return own;
        }

        var account = named.Count == 1 ? named[0]?.Trim() : null;
        if (account is null || (account != RegistryPolicy.GlobalAccount && !RegistryAccounts.IsValid(account)))
        {
            throw ApiProblemException.InvalidField("account", "The query parameter account must be one account name, or * for the global policy.");
        }

        if (account == own || (!write && account == RegistryPolicy.GlobalAccount))
        {
            return account;
        }

        var options = context.RequestServices.GetRequiredService<MappedRegistryEndpoints>().Options;
        return options.PolicyAdministration(context, account)
            ? account
            : throw new ApiProblemException(
                StatusCodes.Status403Forbidden,
                RegistryProblemTypes.NotAllowed,
                "Forbidden",
                account == RegistryPolicy.GlobalAccount
                    ? "Changing the global policy needs the host's admin policy (PolicyAdministration). Nothing was changed."
                    : $"The policy of account '{account}' is not yours: changing or reading it needs the host's admin policy "
                        + "(PolicyAdministration). Nothing was changed.");
    }

    private static IRegistryPolicyManager Policies(HttpContext context) => context.RequestServices.GetRequiredService<IRegistryPolicyManager>();
}
