using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace RegistryCredentials.AspNetCore.Internal;

/// <summary>
/// The scope named by the <c>{registry}</c> part of an entry's URL. Anchore's API definition declares that parameter
/// with <c>format: path</c> (anchore-engine, <c>anchore_engine/services/apiext/swagger/swagger.yaml</c>,
/// <c>/registries/{registry}</c>), so a client may send <c>docker.io/acme/*</c> with raw slashes as well as
/// URL-encoded in one segment (<c>docker.io%2Facme%2F*</c>, as anchore-cli's <c>quote(registry, "")</c> does).
/// <para>
/// Each segment is percent-decoded exactly once, from the request target as the client sent it: servers leave
/// <c>%2F</c> encoded in the decoded path but turn <c>%252F</c> into <c>%2F</c> there too, so only the raw target tells a
/// double-encoded <c>%252F</c> (a literal <c>%2F</c>, which no scope contains) from an encoded slash.
/// </para>
/// </summary>
internal static class RouteScope
{
    /// <summary>The scope text of the route value <paramref name="routeValue"/> (the last segments of the path).</summary>
    public static string Text(HttpContext context, string routeValue)
    {
        var segments = routeValue.Split('/');
        if (RawSegments(context, segments.Length) is { } raw && PathDecode(raw) == routeValue)
        {
            return Uri.UnescapeDataString(raw);
        }

        // No raw target (or one the server rewrote, such as dot segments): the decoded path, with %2F decoded here.
        return routeValue.Contains('%', StringComparison.Ordinal) ? Uri.UnescapeDataString(routeValue) : routeValue;
    }

    /// <summary>The scope of the route value; a malformed one is a <see cref="RegistryScopeFormatException"/>.</summary>
    public static RegistryScope Parse(HttpContext context, string routeValue) => RegistryScope.Parse(Text(context, routeValue));

    /// <summary>The last <paramref name="count"/> segments of the raw request target's path, still encoded.</summary>
    private static string? RawSegments(HttpContext context, int count)
    {
        var target = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (string.IsNullOrEmpty(target) || target[0] != '/')
        {
            return null;
        }

        var end = target.IndexOfAny(['?', '#']);
        var path = end < 0 ? target : target[..end];
        var start = path.Length;
        for (var i = 0; i < count; i++)
        {
            if (start <= 0)
            {
                return null;
            }

            start = path.LastIndexOf('/', start - 1);
            if (start < 0)
            {
                return null;
            }
        }

        return path[(start + 1)..];
    }

    /// <summary>Decodes as servers decode a path: every escape but <c>%2F</c>, which stays as it is.</summary>
    private static string PathDecode(string raw)
    {
        var parts = raw.Split("%2F", StringSplitOptions.None);
        for (var i = 0; i < parts.Length; i++)
        {
            var lower = parts[i].Split("%2f", StringSplitOptions.None);
            parts[i] = string.Join("%2f", lower.Select(Uri.UnescapeDataString));
        }

        return string.Join("%2F", parts);
    }
}
