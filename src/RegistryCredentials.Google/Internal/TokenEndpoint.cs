using System.Net;

namespace RegistryCredentials.Google.Internal;

/// <summary>Where JWT assertions may go: HTTPS anywhere, plain HTTP only to a loopback address.</summary>
internal static class TokenEndpoint
{
    /// <summary>Google's OAuth token endpoint, for keys without <c>token_uri</c>.</summary>
    public const string Default = "https://oauth2.googleapis.com/token";

    /// <summary>Returns null when <paramref name="uri"/> is acceptable, otherwise why not (the URI holds no secret).</summary>
    public static string? Check(Uri uri)
    {
        if (!uri.IsAbsoluteUri)
        {
            return $"the token URI '{uri}' is not an absolute URI";
        }

        if (string.Equals(uri.Scheme, Uri.UriSchemeHttps, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        if (string.Equals(uri.Scheme, Uri.UriSchemeHttp, StringComparison.OrdinalIgnoreCase) && IsLoopback(uri))
        {
            return null;
        }

        return $"the token URI '{uri.GetLeftPart(UriPartial.Path)}' must use https (plain http is accepted only for a loopback address)";
    }

    private static bool IsLoopback(Uri uri) =>
        string.Equals(uri.IdnHost, "localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(uri.IdnHost, out var address) && IPAddress.IsLoopback(address));
}
