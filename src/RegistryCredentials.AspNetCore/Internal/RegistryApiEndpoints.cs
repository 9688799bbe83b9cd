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
                "Anchore's POST /registries. The credential is checked against the registry first unless ?validate=false; a refused request "
                + "stores nothing. An existing entry for the same scope is a conflict (409) unless ?replace=true, which replaces it "
                + "(Rancher's \"the newest credential wins\"), keeps its created_at and answers 200.")
            .WithMetadata(new RegistryRequestBodyMetadata(typeof(RegistryConfigurationRequest)))
            .Produces<RegistryConfiguration[]>(StatusCodes.Status201Created, Json)
            .Produces<RegistryConfiguration[]>(StatusCodes.Status200OK, Json)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        PolicyEndpoints.Map(group, mapped);

        group.MapGet("_resolve", ResolveAsync)
            .WithSummary("Say how an image reference resolves")
            .WithDescription("Which entry a pull of the image would use, or anonymous, or denied and why. Never returns a secret.")
            .Produces<RegistryResolveResult>(StatusCodes.Status200OK, Json)
            .ProducesProblem(StatusCodes.Status400BadRequest);

        group.MapGet("_antiforgery", GetAntiforgeryToken)
            .WithSummary("Get an antiforgery token")
            .WithDescription("For browser code: POST, PUT and DELETE from a browser must send request_token in the header named header_name.")
            .Produces<AntiforgeryTokenDocument>(StatusCodes.Status200OK, Json);

        group.MapGet("{**registry}", GetAsync)
            .WithSummary("Get a registry")
            .WithDescription(
                "Anchore's GET /registries/{registry}; the scope URL-encoded (docker.io%2Facme%2F*) or with raw slashes (docker.io/acme/*). "
                + "The ETag is the entry's version.")
            .Produces<RegistryConfiguration[]>(StatusCodes.Status200OK, Json)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapPut("{**registry}", UpdateAsync)
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

        group.MapDelete("{**registry}", DeleteAsync)
            .WithSummary("Delete a registry")
            .WithDescription(
                "Anchore's DELETE /registries/{registry}: removes the entry and its secret. Deleting an entry that does not exist succeeds "
                + "too (204), as in Anchore, so cleanup scripts can repeat it. If-Match with the ETag makes the delete conditional "
                + "(412 when the entry changed, 404 when it does not exist).")
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

        // The same two actions with a scope written with raw slashes (docker.io/acme/*/activate): the scope is every
        // segment but the last. Not in the OpenAPI document, which describes the encoded form above.
        group.MapPost("{**path}", ActionAsync).ExcludeFromDescription();
    }

    private static async Task<IResult> ListAsync(HttpContext context)
    {
        var entries = await Manager(context).ListAsync(RequestAccount.Get(context), context.RequestAborted).ConfigureAwait(false);
        return Entries(entries);
    }

    private static async Task<IResult> CreateAsync(HttpContext context)
    {
        var body = await ReadBodyAsync<RegistryConfigurationRequest>(context).ConfigureAwait(false);
        var validate = BooleanParameter(context, "validate", true);
        var replace = BooleanParameter(context, "replace", false);
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
                Replace = replace,
            },
            context.RequestAborted).ConfigureAwait(false);

        EntityTags.Set(context, entry);
        var collection = (context.Request.PathBase + context.Request.Path).Value?.TrimEnd('/') ?? string.Empty;
        context.Response.Headers.Location = collection + "/" + Uri.EscapeDataString(entry.Scope.Value);
        var replaced = entry.Version > 1; // a new entry is at version 1; a replaced one kept its history
        var status = replaced ? StatusCodes.Status200OK : StatusCodes.Status201Created;
        return Results.Json(new[] { RegistryConfiguration.From(entry) }, ApiJson.Options, Json, status);
    }

    private static async Task<IResult> GetAsync(HttpContext context, string registry)
    {
        var entry = await Manager(context).GetAsync(Scope(context, registry), RequestAccount.Get(context), context.RequestAborted).ConfigureAwait(false);
        return Entry(context, entry);
    }

    private static async Task<IResult> UpdateAsync(HttpContext context, string registry)
    {
        var scope = Scope(context, registry);
        var body = await ReadBodyAsync<RegistryConfigurationRequest>(context).ConfigureAwait(false);
        var validate = BooleanParameter(context, "validate", true);
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
        var scope = Scope(context, registry);
        var manager = Manager(context);
        var account = RequestAccount.Get(context);
        if (context.Request.Headers.IfMatch.Count == 0)
        {
            try
            {
                await manager.DeleteAsync(scope, account, cancellationToken: context.RequestAborted).ConfigureAwait(false);
            }
            catch (RegistryNotFoundException)
            {
                // Anchore deletes whatever records match and answers 200 when there are none (anchore-engine,
                // anchore_engine/services/catalog/catalog_impl.py, system_registries_registry, DELETE), so cleanup
                // scripts may repeat a delete.
            }

            return Results.NoContent();
        }

        // If-Match, as PUT takes it, is always checked: a missing entry is 404 (as for PUT), the version named must be the
        // stored one (* names any), and the store deletes only that version (a change between this read and the delete
        // is a concurrency conflict, hence 412, never a lost update).
        var current = await manager.GetAsync(scope, account, context.RequestAborted).ConfigureAwait(false);
        if (EntityTags.ParseIfMatch(context) is { } versions && !versions.Contains(current.Version))
        {
            throw new RegistryConcurrencyException(account, scope, versions.Count > 0 ? versions[0] : -1, current.Version);
        }

        await manager.DeleteAsync(scope, account, current.Version, context.RequestAborted).ConfigureAwait(false);
        return Results.NoContent();
    }

    private static async Task<IResult> ActivateAsync(HttpContext context, string registry)
    {
        var entry = await Manager(context).ActivateAsync(Scope(context, registry), RequestAccount.Get(context), context.RequestAborted).ConfigureAwait(false);
        return Entry(context, entry);
    }

    private static async Task<IResult> DeactivateAsync(HttpContext context, string registry)
    {
        var entry = await Manager(context).DeactivateAsync(Scope(context, registry), RequestAccount.Get(context), context.RequestAborted).ConfigureAwait(false);
        return Entry(context, entry);
    }

    /// <summary><c>POST {prefix}/host/path/activate</c> (raw slashes): the last segment is the action, the rest the scope.</summary>
    private static Task<IResult> ActionAsync(HttpContext context, string path)
    {
        var slash = path.LastIndexOf('/');
        var action = slash < 0 ? path : path[(slash + 1)..];
        return slash > 0 && action is "activate" or "deactivate"
            ? action == "activate" ? ActivateAsync(context, path[..slash]) : DeactivateAsync(context, path[..slash])
            : throw new ApiProblemException(
                StatusCodes.Status404NotFound, RegistryProblemTypes.NotFound, "No such action",
                "POST takes the collection (add a registry) or {registry}/activate and {registry}/deactivate.");
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

    private static IRegistryManager Manager(HttpContext context) => context.RequestServices.GetRequiredService<IRegistryManager>();

    private static IResult Entries(IReadOnlyList<RegistryEntry> entries) =>
        Results.Json(entries.Select(RegistryConfiguration.From).ToArray(), ApiJson.Options, Json);

    private static IResult Entry(HttpContext context, RegistryEntry entry)
    {
        EntityTags.Set(context, entry);
        return Results.Json(new[] { RegistryConfiguration.From(entry) }, ApiJson.Options, Json);
    }

    /// <summary>The scope from its route value: raw slashes or <c>%2F</c>, each segment decoded once (<see cref="RouteScope"/>).</summary>
    private static RegistryScope Scope(HttpContext context, string registry) => RouteScope.Parse(context, registry);

    private static RegistryType? ParseType(string? type) =>
        string.IsNullOrWhiteSpace(type) ? null : RegistryType.Parse(type.Trim());

    /// <summary>
    /// <c>?validate=true|false</c> (anchorectl's <c>--validate</c>; anchore-cli sends Python's <c>True</c>/<c>False</c>, which
    /// parse too) or <c>?replace=true|false</c>.
    /// </summary>
    private static bool BooleanParameter(HttpContext context, string name, bool defaultValue)
    {
        var values = context.Request.Query[name];
        if (values.Count == 0)
        {
            return defaultValue;
        }

        return values.Count == 1 && bool.TryParse(values[0], out var value)
            ? value
            : throw ApiProblemException.InvalidField(name, $"The query parameter {name} must be true or false.");
    }

    private static Task<T> ReadBodyAsync<T>(HttpContext context)
        where T : class => RequestBody.ReadJsonAsync<T>(context, MaxBodyBytes);
}
