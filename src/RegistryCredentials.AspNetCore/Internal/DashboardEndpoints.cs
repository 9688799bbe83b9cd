using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace RegistryCredentials.AspNetCore.Internal;

/// <summary>
/// Serves the management page: one HTML document, one script and one style sheet, all from the assembly, under a
/// Content-Security-Policy that allows nothing inline and nothing from another origin.
/// </summary>
internal static class DashboardEndpoints
{
    /// <summary>Scripts, styles and API calls from this origin only; no inline code, no frames, no other form targets.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
        + "img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    public static void Map(RouteGroupBuilder group, IServiceProvider services)
    {
        var mapped = services.GetRequiredService<MappedRegistryEndpoints>();
        group.AddEndpointFilter(async (invocation, next) =>
        {
            var context = invocation.HttpContext;
            mapped.EnsureProtected(context);
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            headers.CacheControl = "no-cache";
            return await next(invocation).ConfigureAwait(false);
        });

        group.MapGet(string.Empty, (HttpContext context) => Page(context, mapped));
        group.MapGet(DashboardAsset.Script.Name, (HttpContext context) => File(context, DashboardAsset.Script));
        group.MapGet(DashboardAsset.Styles.Name, (HttpContext context) => File(context, DashboardAsset.Styles));
    }

    private static IResult Page(HttpContext context, MappedRegistryEndpoints mapped)
    {
        var pathBase = context.Request.PathBase.Value ?? string.Empty;
        var pagePath = (pathBase + context.Request.Path.Value).TrimEnd('/');
        var apiPath = pathBase + mapped.ApiPath(context.RequestServices);
        var html = DashboardAsset.Page.Text
            .Replace("{{base}}", HtmlEncoder.Default.Encode(pagePath), StringComparison.Ordinal)
            .Replace("{{api}}", HtmlEncoder.Default.Encode(apiPath), StringComparison.Ordinal);
        return Results.Bytes(Encoding.UTF8.GetBytes(html), DashboardAsset.Page.ContentType);
    }

    private static IResult File(HttpContext context, DashboardAsset asset)
    {
        context.Response.Headers.ETag = asset.ETag;
        if (context.Request.Headers.IfNoneMatch.Contains(asset.ETag))
        {
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }

        return Results.Bytes(asset.Content, asset.ContentType);
    }
}
