using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace RegistryCredentials.Internal;

/// <summary>
/// The pieces of the distribution/reference grammar shared by <see cref="ImageReference"/> and
/// <see cref="RegistryScope"/>: registry hosts and ports, repository path components, tags, digests.
/// Every method reports an error message instead of throwing so that <c>TryParse</c> never throws.
/// </summary>
internal static class Grammar
{
    /// <summary>
    /// The longest repository path the distribution grammar accepts (<c>RepositoryNameTotalLengthMax</c> in
    /// distribution/reference, checked on the path without the registry).
    /// </summary>
    public const int NameTotalLengthMax = 255;

    /// <summary>The longest registry host name (DNS).</summary>
    public const int HostLengthMax = 253;

    /// <summary>The longest tag the distribution grammar accepts.</summary>
    public const int TagLengthMax = 128;

    /// <summary>The canonical name of Docker Hub.</summary>
    public const string DockerHub = "docker.io";

    /// <summary>
    /// The host that serves Docker Hub's Registry HTTP API: what Docker, containerd and skopeo send <c>/v2/</c> requests
    /// to (<c>docker.io</c> itself is not a registry API endpoint).
    /// </summary>
    public const string DockerHubApiHost = "registry-1.docker.io";

    /// <summary>The <c>host[:port]</c> to send Registry API requests to for a normalised registry name.</summary>
    public static string ApiHostOf(string registry) =>
        string.Equals(registry, DockerHub, StringComparison.Ordinal) ? DockerHubApiHost : registry;

    private static readonly System.Buffers.SearchValues<char> Ipv6Characters =
        System.Buffers.SearchValues.Create("0123456789abcdefABCDEF:");

    public static bool IsDockerHubAlias(ReadOnlySpan<char> registry) =>
        registry.Equals("docker.io", StringComparison.OrdinalIgnoreCase)
        || registry.Equals("index.docker.io", StringComparison.OrdinalIgnoreCase)
        || registry.Equals("registry-1.docker.io", StringComparison.OrdinalIgnoreCase);

    public static bool ContainsWhitespace(ReadOnlySpan<char> value)
    {
        foreach (var c in value)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c))
            {
                return true;
            }
        }

        return false;
    }

    public static bool HasScheme(ReadOnlySpan<char> value, out string scheme)
    {
        var i = value.IndexOf("://", StringComparison.Ordinal);
        scheme = i > 0 ? value[..i].ToString() : string.Empty;
        return i >= 0;
    }

    /// <summary>
    /// Parses <c>host[:port]</c>: a DNS name (labels of letters, digits and inner hyphens), an IPv4
    /// address, or a bracketed IPv6 address; with <paramref name="allowGlobLabels"/> a DNS label may be <c>*</c>.
    /// </summary>
    /// <returns>null on success, else the message that names what is wrong.</returns>
    public static string? ParseHostPort(
        ReadOnlySpan<char> value,
        bool allowGlobLabels,
        out string host,
        out int? port,
        out bool isGlob)
    {
        host = string.Empty;
        port = null;
        isGlob = false;
        if (value.IsEmpty)
        {
            return "the registry host is empty";
        }

        ReadOnlySpan<char> hostPart;
        ReadOnlySpan<char> portPart = default;
        var hasPort = false;
        if (value[0] == '[')
        {
            var close = value.IndexOf(']');
            if (close < 0)
            {
                return $"the IPv6 host '{value}' has no closing ']'";
            }

            // distribution/reference's ipv6address is \[[a-fA-F0-9:]+\]: hex digits and colons only, so no zone
            // (fe80::1%eth0) and no dotted IPv4 tail (::ffff:192.0.2.1); what matches must still be an IPv6 address.
            var inner = value[1..close];
            if (inner.IsEmpty || inner.ContainsAnyExcept(Ipv6Characters) || !IPAddress.TryParse(inner, out var address)
                || address.AddressFamily != AddressFamily.InterNetworkV6)
            {
                return $"'{value[..(close + 1)]}' is not a valid bracketed IPv6 address";
            }

            host = "[" + address.ToString() + "]";
            var rest = value[(close + 1)..];
            if (!rest.IsEmpty)
            {
                if (rest[0] != ':')
                {
                    return $"unexpected '{rest}' after the IPv6 address";
                }

                hasPort = true;
                portPart = rest[1..];
            }
        }
        else
        {
            var colon = value.IndexOf(':');
            hostPart = colon >= 0 ? value[..colon] : value;
            if (colon >= 0)
            {
                hasPort = true;
                portPart = value[(colon + 1)..];
            }

            var error = CheckDnsOrIPv4(hostPart, allowGlobLabels, out isGlob);
            if (error is not null)
            {
                return error;
            }

            host = hostPart.ToString();
        }

        if (hasPort)
        {
            if (portPart.IsEmpty)
            {
                return $"the port after '{host}:' is empty";
            }

            foreach (var c in portPart)
            {
                if (!char.IsAsciiDigit(c))
                {
                    return $"the port '{portPart}' is not a number";
                }
            }

            if (portPart.Length > 5 || !int.TryParse(portPart, NumberStyles.None, CultureInfo.InvariantCulture, out var p) || p < 1 || p > 65535)
            {
                return $"the port '{portPart}' is out of range (1-65535)";
            }

            port = p;
        }

        return null;
    }

    private static string? CheckDnsOrIPv4(ReadOnlySpan<char> host, bool allowGlobLabels, out bool isGlob)
    {
        isGlob = false;
        if (host.IsEmpty)
        {
            return "the registry host is empty";
        }

        if (host.Length > HostLengthMax)
        {
            return $"the registry host is longer than {HostLengthMax} characters";
        }

        var remaining = host;
        while (true)
        {
            var dot = remaining.IndexOf('.');
            var label = dot >= 0 ? remaining[..dot] : remaining;
            if (label.IsEmpty)
            {
                return $"the registry host '{host}' has an empty label";
            }

            if (label.Length == 1 && label[0] == '*')
            {
                if (!allowGlobLabels)
                {
                    return $"the registry host '{host}' contains '*', which is allowed only in registry scopes";
                }

                isGlob = true;
            }
            else
            {
                if (label.Length > 63)
                {
                    return $"the label '{label}' of the registry host is longer than 63 characters";
                }

                if (label.Contains('*'))
                {
                    return $"'*' must be a whole label of the registry host, not part of '{label}'";
                }

                foreach (var c in label)
                {
                    if (!char.IsAsciiLetterOrDigit(c) && c != '-')
                    {
                        return $"the registry host '{host}' contains the character '{c}'";
                    }
                }

                if (label[0] == '-' || label[^1] == '-')
                {
                    return $"the label '{label}' of the registry host starts or ends with '-'";
                }
            }

            if (dot < 0)
            {
                break;
            }

            remaining = remaining[(dot + 1)..];
        }

        return null;
    }

    /// <summary>Checks one repository path component: <c>[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*</c>.</summary>
    public static string? CheckPathComponent(ReadOnlySpan<char> component, ReadOnlySpan<char> wholePath)
    {
        if (component.IsEmpty)
        {
            return $"the repository path '{wholePath}' has an empty component";
        }

        for (var i = 0; i < component.Length; i++)
        {
            var c = component[i];
            if (char.IsAsciiLetterUpper(c))
            {
                return $"the repository path '{wholePath}' must be lower-case";
            }

            if (char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c))
            {
                continue;
            }

            if (c is not ('.' or '_' or '-'))
            {
                return $"the repository path '{wholePath}' contains the character '{c}'";
            }

            // A separator: '.', '_', '__' or a run of '-', between alphanumerics.
            var start = i;
            if (c == '-')
            {
                while (i + 1 < component.Length && component[i + 1] == '-')
                {
                    i++;
                }
            }
            else if (c == '_' && i + 1 < component.Length && component[i + 1] == '_')
            {
                i++;
            }

            var previousOk = start > 0 && char.IsAsciiLetterOrDigit(component[start - 1]);
            var nextOk = i + 1 < component.Length && char.IsAsciiLetterOrDigit(component[i + 1]);
            if (!previousOk || !nextOk)
            {
                return $"the separator '{component[start..(i + 1)]}' in the repository path '{wholePath}' must stand between letters or digits";
            }
        }

        return null;
    }

    /// <summary>Checks a whole repository path: components separated by single '/'.</summary>
    public static string? CheckPath(ReadOnlySpan<char> path)
    {
        if (path.IsEmpty)
        {
            return "the repository path is empty";
        }

        var remaining = path;
        while (true)
        {
            var slash = remaining.IndexOf('/');
            var component = slash >= 0 ? remaining[..slash] : remaining;
            var error = CheckPathComponent(component, path);
            if (error is not null)
            {
                return error;
            }

            if (slash < 0)
            {
                return null;
            }

            remaining = remaining[(slash + 1)..];
        }
    }

    /// <summary>Checks a tag: <c>[\w][\w.-]{0,127}</c>.</summary>
    public static string? CheckTag(ReadOnlySpan<char> tag)
    {
        if (tag.IsEmpty)
        {
            return "the tag after ':' is empty";
        }

        if (tag.Length > TagLengthMax)
        {
            return $"the tag is longer than {TagLengthMax} characters";
        }

        for (var i = 0; i < tag.Length; i++)
        {
            var c = tag[i];
            var word = char.IsAsciiLetterOrDigit(c) || c == '_';
            if (!word && (i == 0 || (c != '.' && c != '-')))
            {
                return i == 0
                    ? $"the tag '{tag}' must start with a letter, digit or '_'"
                    : $"the tag '{tag}' contains the character '{c}'";
            }
        }

        return null;
    }

    /// <summary>
    /// Checks a digest <c>algorithm:hex</c>: the algorithm grammar, at least 32 hex digits, and for the
    /// registered algorithms (sha256, sha384, sha512) the exact lower-case length.
    /// </summary>
    public static string? CheckDigest(ReadOnlySpan<char> digest)
    {
        var colon = digest.IndexOf(':');
        if (colon < 0)
        {
            return $"the digest '{digest}' is not of the form algorithm:hex";
        }

        var algorithm = digest[..colon];
        var hex = digest[(colon + 1)..];
        if (algorithm.IsEmpty)
        {
            return $"the digest '{digest}' has no algorithm";
        }

        // algorithm-component ([-_+.] algorithm-component)*, component = [A-Za-z][A-Za-z0-9]*
        var expectComponentStart = true;
        foreach (var c in algorithm)
        {
            if (expectComponentStart)
            {
                if (!char.IsAsciiLetter(c))
                {
                    return $"the digest algorithm '{algorithm}' is not valid";
                }

                expectComponentStart = false;
            }
            else if (c is '-' or '_' or '+' or '.')
            {
                expectComponentStart = true;
            }
            else if (!char.IsAsciiLetterOrDigit(c))
            {
                return $"the digest algorithm '{algorithm}' is not valid";
            }
        }

        if (expectComponentStart)
        {
            return $"the digest algorithm '{algorithm}' is not valid";
        }

        var expected = algorithm switch
        {
            "sha256" => 64,
            "sha384" => 96,
            "sha512" => 128,
            _ => 0,
        };
        foreach (var c in hex)
        {
            var ok = expected > 0 ? char.IsAsciiHexDigitLower(c) || char.IsAsciiDigit(c) : char.IsAsciiHexDigit(c);
            if (!ok)
            {
                return expected > 0
                    ? $"the {algorithm} digest must be lower-case hexadecimal"
                    : $"the digest '{digest}' must be hexadecimal after '{algorithm}:'";
            }
        }

        if (expected > 0 && hex.Length != expected)
        {
            return $"the {algorithm} digest must have {expected} hex digits, not {hex.Length}";
        }

        if (hex.Length < 32)
        {
            return $"the digest '{digest}' must have at least 32 hex digits";
        }

        return null;
    }

    /// <summary>Formats <c>host[:port]</c>.</summary>
    public static string FormatRegistry(string host, int? port) =>
        port is { } p ? host + ":" + p.ToString(CultureInfo.InvariantCulture) : host;
}
