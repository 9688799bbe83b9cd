using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace RegistryServer.Hosting;

/// <summary>
/// The server's health at one address, for load balancers and Kubernetes probes: <c>store</c> (reachable),
/// <c>schema</c> (one this server knows) and <c>secret-key</c> (loaded, and the one the store's secrets are under).
/// 200 when all are healthy, 503 otherwise; the body names each check's status and a fixed description, never an error
/// message (the address is anonymous); the failures are logged with their exceptions.
/// </summary>
internal static class RegistryHealthChecks
{
    public const string Store = "store";
    public const string Schema = "schema";
    public const string SecretKey = "secret-key";

    public static IServiceCollection AddRegistryHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck<StoreHealthCheck>(Store)
            .AddCheck<SchemaHealthCheck>(Schema)
            .AddCheck<SecretKeyHealthCheck>(SecretKey);
        return services;
    }

    public static IEndpointConventionBuilder MapRegistryHealthChecks(this IEndpointRouteBuilder endpoints, string pattern) =>
        endpoints.MapHealthChecks(pattern, new HealthCheckOptions { ResponseWriter = WriteAsync }).AllowAnonymous();

    private static async Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        context.Response.Headers.CacheControl = "no-store";
        await using var json = new Utf8JsonWriter(context.Response.Body);
        json.WriteStartObject();
        json.WriteString("status", report.Status.ToString());
        json.WriteStartObject("checks");
        foreach (var (name, entry) in report.Entries)
        {
            json.WriteStartObject(name);
            json.WriteString("status", entry.Status.ToString());
            json.WriteString("description", entry.Description);
            json.WriteEndObject();
        }

        json.WriteEndObject();
        json.WriteEndObject();
        await json.FlushAsync(context.RequestAborted);
    }
}
