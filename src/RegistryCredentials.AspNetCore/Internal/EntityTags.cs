using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace RegistryCredentials.AspNetCore.Internal;

/// <summary>An entry's <c>ETag</c> is its version, <c>"3"</c>; <c>If-Match</c> is compared strongly (RFC 9110).</summary>
internal static class EntityTags
{
    public static string Format(long version) => "\"" + version.ToString(CultureInfo.InvariantCulture) + "\"";

    public static void Set(HttpContext context, RegistryEntry entry) => context.Response.Headers.ETag = Format(entry.Version);

    /// <summary>
    /// The versions <c>If-Match</c> accepts: null when the header is absent or <c>*</c> (any existing entry), otherwise
    /// the strong, numeric tags it lists (weak or foreign tags never match, so they contribute nothing).
    /// </summary>
    public static IReadOnlyList<long>? ParseIfMatch(HttpContext context)
    {
        var header = context.Request.Headers.IfMatch;
        if (header.Count == 0)
        {
            return null;
        }

        if (!EntityTagHeaderValue.TryParseList(header, out var tags))
        {
            return [];
        }

        var versions = new List<long>();
        foreach (var tag in tags)
        {
            if (tag.Equals(EntityTagHeaderValue.Any))
            {
                return null;
            }

            var value = tag.Tag.AsSpan().Trim('"');
            if (!tag.IsWeak && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var version))
            {
                versions.Add(version);
            }
        }

        return versions;
    }
}
