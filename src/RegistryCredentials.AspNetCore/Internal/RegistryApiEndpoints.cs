using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace RegistryCredentials.AspNetCore.Internal;

/// <summary>
/// The handlers of the Registries HTTP API. Entry routes take the scope URL-encoded in one segment
/// (<c>docker.io%2Facme</c>); the literal routes start with <c>_</c>, which no scope can (host labels are letters,
/// digits and <c>-</c>), so they never clash with one.
/// </summary>
internal static class RegistryApiEndpoints
{
    public const string Tag = "Registries";

    private const string Json = "application/json";
    private const long MaxBodyBytes = 1024 * 1024;

    public static void Map(RouteGroupBuilder group, IServiceProvider services)
    {
        var mapped = services.GetRequiredService<MappedRegistryEndpoints>();
        var logger = services.GetService<ILoggerFactory>()?.CreateLogger("RegistryCredentials.AspNetCore")
            ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
        group.AddEndpointFilter(new RegistryApiFilter(
            mapped,
            services.GetRequiredService<IOptionsMonitor<RegistryCredentialsOptions>>(),
            services.GetRequiredService<IAntiforgery>(),
            logger));

        group.MapGet(string.Empty, new Func<HttpContext, Task<IResult>>(ListAsync))
            .WithMetadata(RegistryEndpointMetadata.ApiRoot)
            .WithSummary("List the registries of the account")
            .WithDescription("Anchore's GET /registries: every entry of the request's account, ordered by scope, without passwords.")
            .Produces<RegistryConfiguration[]>(StatusCodes.Status200OK, Json);

        group.MapPost(string.Empty, new Func<HttpContext, Task<IResult>>(CreateAsync))
            .WithSummary("Add a registry")
            .WithDescription(
                "Anchore's POST /registries. The credential is checked against the registry first unless ?validate=false; a refused request stores nothing.")
            .WithMetadata(new RegistryRequestBodyMetadata(typeof(RegistryConfigurationRequest)))
            .Produces<RegistryConfiguration[]>(StatusCodes.Status201Created, Json)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        var putSettings = group.MapPut("_settings", new Func<HttpContext, Task<IResult>>(PutSettingsAsync))
            .WithSummary("Change the settings")
            .WithDescription("Replaces the default registry and the allow-list. They apply to every account of the process.")
            .WithMetadata(new RegistryRequestBodyMetadata(typeof(RegistrySettingsDocument)))
            .Produces<RegistrySettingsDocument>(StatusCodes.Status200OK, Json)
            .ProducesProblem(StatusCodes.Status400BadRequest);
        if (mapped.Options.SettingsPolicy is { } policy)
        {
            putSettings.RequireAuthorization(policy);
        }

        group.MapGet("_settings", GetSettings)
            .WithSummary("Read the settings")
            .WithDescription("The default registry (Rancher's registry.default) and the allow-list (registry.whitelist) in effect.")
            .Produces<RegistrySettingsDocument>(StatusCodes.Status200OK, Json);

        group.MapGet("_resolve", ResolveAsync)
            .WithSummary("Say how an image reference resolves")
            .WithDescription("Which entry a pull of the image would use, or anonymous, or denied and why. Never returns a secret.")
            .Produces<RegistryResolveResult>(StatusCodes.Status200OK, Json)
            .ProducesProblem(StatusCodes.Status400BadRequest);

        group.MapGet("_antiforgery", GetAntiforgeryToken)
            .WithSummary("Get an antiforgery token")
            .WithDescription("For browser code: POST, PUT and DELETE from a browser must send request_token in the header named header_name.")
            .Produces<AntiforgeryTokenDocument>(StatusCodes.Status200OK, Json);

        group.MapGet("{registry}", GetAsync)
            .WithSummary("Get a registry")
            .WithDescription("Anchore's GET /registries/{registry}; the scope URL-encoded (docker.io%2Facme). The ETag is the entry's version.")
            .Produces<RegistryConfiguration[]>(StatusCodes.Status200OK, Json)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapPut("{registry}", UpdateAsync)
            .WithSummary("Update a registry")
            .WithDescription(
                "Anchore's PUT /registries/{registry}. The scope never changes; fields left out keep their values, and a left-out or empty "
                + "registry_pass keeps the stored password. If-Match with the ETag makes the update conditional (412 when the entry changed).")
            .WithMetadata(new RegistryRequestBodyMetadata(typeof(RegistryConfigurationRequest)))
            .Produces<RegistryConfiguration[]>(StatusCodes.Status200OK, Json)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        group.MapDelete("{registry}", DeleteAsync)
            .WithSummary("Delete a registry")
            .WithDescription(
                "Anchore's DELETE /registries/{registry}: removes the entry and its secret. "
                + "If-Match with the ETag makes the delete conditional (412 when the entry changed).")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);

        group.MapPost("{registry}/activate", ActivateAsync)
            .WithSummary("Activate a registry")
            .WithDescription("Rancher's activate: the entry is used again; no password needed.")
            .Produces<RegistryConfiguration[]>(StatusCodes.Status200OK, Json)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapPost("{registry}/deactivate", DeactivateAsync)
            .WithSummary("Deactivate a registry")
            .WithDescription("Rancher's deactivate: the entry and its secret are kept, and pulls it matches are denied.")
            .Produces<RegistryConfiguration[]>(StatusCodes.Status200OK, Json)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static async Task<IResult> ListAsync(HttpContext context)
    {
        var entries = await Manager(context).ListAsync(RequestAccount.Get(context), context.RequestAborted).ConfigureAwait(false);
        return Entries(entries);
    }

    private static async Task<IResult> CreateAsync(HttpContext context)
    {
        var body = await ReadBodyAsync<RegistryConfigurationRequest>(context).ConfigureAwait(false);
        var validate = ValidateParameter(context);
        if (string.IsNullOrWhiteSpace(body.Registry))
        {
            throw ApiProblemException.InvalidField("registry", "The registry (host[:port][/path], without https://) is required.");
        }

        if (string.IsNullOrEmpty(body.RegistryUser))
        {
            throw ApiProblemException.InvalidField("registry_user", "The user name (registry_user) is required.");
        }

        if (string.IsNullOrEmpty(body.RegistryPass))
        {
            throw ApiProblemException.InvalidField("registry_pass", "The password (registry_pass) is required.");
        }

        var entry = await Manager(context).AddAsync(
            new RegistryAddRequest
            {
                Scope = body.Registry.Trim(),
                Account = RequestAccount.Get(context),
                Username = body.RegistryUser,
                Password = RegistrySecret.FromString(body.RegistryPass),
                Type = ParseType(body.RegistryType),
                Name = body.RegistryName,
                Email = body.RegistryEmail,
                VerifyTls = body.RegistryVerify ?? true,
                Validate = validate,
            },
            context.RequestAborted).ConfigureAwait(false);

        EntityTags.Set(context, entry);
        var collection = (context.Request.PathBase + context.Request.Path).Value?.TrimEnd('/') ?? string.Empty;
        context.Response.Headers.Location = collection + "/" + Uri.EscapeDataString(entry.Scope.Value);
        return Results.Json(new[] { RegistryConfiguration.From(entry) }, ApiJson.Options, Json, StatusCodes.Status201Created);
    }

    private static async Task<IResult> GetAsync(HttpContext context, string registry)
    {
        var entry = await Manager(context).GetAsync(Scope(registry), RequestAccount.Get(context), context.RequestAborted).ConfigureAwait(false);
        return Entry(context, entry);
    }

    private static async Task<IResult> UpdateAsync(HttpContext context, string registry)
    {
        var scope = Scope(registry);
        var body = await ReadBodyAsync<RegistryConfigurationRequest>(context).ConfigureAwait(false);
        var validate = ValidateParameter(context);
        if (!string.IsNullOrWhiteSpace(body.Registry) && !RegistryScope.Parse(body.Registry.Trim()).Equals(scope))
        {
            throw ApiProblemException.InvalidField(
                "registry",
                $"The body names the registry '{body.Registry}' but the path names "
                + $"'{scope.Value}': the scope of an entry never changes (delete it and add another).");
        }

        var manager = Manager(context);
        var account = RequestAccount.Get(context);
        long? expectedVersion = null;
        if (EntityTags.ParseIfMatch(context) is { } versions)
        {
            var current = await manager.GetAsync(scope, account, context.RequestAborted).ConfigureAwait(false);
            expectedVersion = versions.Contains(current.Version) ? current.Version : -1;
            if (expectedVersion < 0)
            {
                throw new RegistryConcurrencyException(account, scope, versions.Count > 0 ? versions[0] : -1, current.Version);
            }
        }

        var entry = await manager.UpdateAsync(
            new RegistryUpdateRequest
            {
                Scope = scope.Value,
                Account = account,
                Username = string.IsNullOrEmpty(body.RegistryUser) ? null : body.RegistryUser,
                Password = string.IsNullOrEmpty(body.RegistryPass) ? null : RegistrySecret.FromString(body.RegistryPass),
                Type = ParseType(body.RegistryType),
                Name = body.RegistryName,
                Email = body.RegistryEmail,
                VerifyTls = body.RegistryVerify,
                Validate = validate,
                ExpectedVersion = expectedVersion,
            },
            context.RequestAborted).ConfigureAwait(false);
        return Entry(context, entry);
    }

    private static async Task<IResult> DeleteAsync(HttpContext context, string registry)
    {
        var scope = Scope(registry);
        var manager = Manager(context);
        var account = RequestAccount.Get(context);
        if (EntityTags.ParseIfMatch(context) is not { } versions)
        {
            await manager.DeleteAsync(scope, account, cancellationToken: context.RequestAborted).ConfigureAwait(false);
            return Results.NoContent();
        }

        // If-Match, as PUT takes it: the version named must be the stored one, and the store deletes only that version
        // (a change between this read and the delete is a concurrency conflict, hence 412, never a lost update).
        var current = await manager.GetAsync(scope, account, context.RequestAborted).ConfigureAwait(false);
        if (!versions.Contains(current.Version))
        {
            throw new RegistryConcurrencyException(account, scope, versions.Count > 0 ? versions[0] : -1, current.Version);
        }

        await manager.DeleteAsync(scope, account, current.Version, context.RequestAborted).ConfigureAwait(false);
        return Results.NoContent();
    }

    private static async Task<IResult> ActivateAsync(HttpContext context, string registry) =>
        Entry(context, await Manager(context).ActivateAsync(Scope(registry), RequestAccount.Get(context), context.RequestAborted).ConfigureAwait(false));

    private static async Task<IResult> DeactivateAsync(HttpContext context, string registry) =>
        Entry(context, await Manager(context).DeactivateAsync(Scope(registry), RequestAccount.Get(context), context.RequestAborted).ConfigureAwait(false));

    private static IResult GetSettings(HttpContext context) =>
        Results.Json(CurrentSettings(context), ApiJson.Options, Json);

    private static async Task<IResult> PutSettingsAsync(HttpContext context)
    {
        var body = await ReadBodyAsync<RegistrySettingsDocument>(context).ConfigureAwait(false);
        var settings = SettingsRules.Check(body);
        await context.RequestServices.GetRequiredService<IRegistrySettingsStore>().SaveAsync(settings, context.RequestAborted).ConfigureAwait(false);
        var logger = context.RequestServices.GetService<ILoggerFactory>()?.CreateLogger("RegistryCredentials.AspNetCore");
        if (logger is not null)
        {
            var account = RequestAccount.Get(context);
            Log.SettingsChanged(logger, account, settings.DefaultRegistry, settings.AllowedRegistries.Count);
        }

        return Results.Json(CurrentSettings(context), ApiJson.Options, Json);
    }

    private static async Task<IResult> ResolveAsync(HttpContext context, [FromQuery] string? image)
    {
        if (string.IsNullOrWhiteSpace(image))
        {
            throw ApiProblemException.InvalidField("image", "Give the image reference to resolve: ?image=nginx:latest.");
        }

        var reference = ImageReference.Parse(image.Trim());
        var resolver = context.RequestServices.GetRequiredService<IRegistryCredentialResolver>();
        var resolution = await resolver.ResolveAsync(reference, RequestAccount.Get(context), context.RequestAborted).ConfigureAwait(false);
        return Results.Json(RegistryResolveResult.From(image.Trim(), resolution), ApiJson.Options, Json);
    }

    private static IResult GetAntiforgeryToken(HttpContext context)
    {
        var tokens = context.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(context);
        context.Response.Headers.CacheControl = "no-store";
        return Results.Json(
            new AntiforgeryTokenDocument
            {
                HeaderName = tokens.HeaderName ?? "RequestVerificationToken",
                RequestToken = tokens.RequestToken ?? string.Empty,
            },
            ApiJson.Options,
            Json);
    }

    private static RegistrySettingsDocument CurrentSettings(HttpContext context) =>
        RegistrySettingsDocument.From(context.RequestServices.GetRequiredService<IOptionsMonitor<RegistryCredentialsOptions>>().CurrentValue);

    private static IRegistryManager Manager(HttpContext context) => context.RequestServices.GetRequiredService<IRegistryManager>();

    private static IResult Entries(IReadOnlyList<RegistryEntry> entries) =>
        Results.Json(entries.Select(RegistryConfiguration.From).ToArray(), ApiJson.Options, Json);

    private static IResult Entry(HttpContext context, RegistryEntry entry)
    {
        EntityTags.Set(context, entry);
        return Results.Json(new[] { RegistryConfiguration.From(entry) }, ApiJson.Options, Json);
    }

    /// <summary>The scope from its route segment; <c>%2F</c> stays encoded in the path, so it is decoded here.</summary>
    private static RegistryScope Scope(string registry) =>
        RegistryScope.Parse(registry.Contains('%', StringComparison.Ordinal) ? Uri.UnescapeDataString(registry) : registry);

    private static RegistryType? ParseType(string? type) =>
        string.IsNullOrWhiteSpace(type) ? null : RegistryType.Parse(type.Trim());

    /// <summary><c>?validate=true|false</c>, default true (anchorectl's <c>--validate</c>).</summary>
    private static bool ValidateParameter(HttpContext context)
    {
        var values = context.Request.Query["validate"];
        if (values.Count == 0)
        {
            return true;
        }

        return values.Count == 1 && bool.TryParse(values[0], out var validate)
            ? validate
            : throw ApiProblemException.InvalidField("validate", "The query parameter validate must be true or false.");
    }

    private static Task<T> ReadBodyAsync<T>(HttpContext context)
        where T : class => RequestBody.ReadJsonAsync<T>(context, MaxBodyBytes);
}
