using System.Diagnostics.CodeAnalysis;
using RegistryCredentials.Internal;

namespace RegistryCredentials;

/// <summary>
/// The key of a registry entry: <c>host[:port]</c> plus an optional repository path, written
/// <c>host[:port][/path][/*]</c>. Host labels may be <c>*</c> globs (<c>*.azurecr.io</c>).
/// </summary>
/// <remarks>
/// Hosts compare case-insensitively and Docker Hub aliases are one host (<c>docker.io</c>). The spellings
/// <c>docker.io/acme</c>, <c>docker.io/acme/</c> and <c>docker.io/acme/*</c> are one scope, written
/// <c>docker.io/acme</c>; it covers <c>docker.io/acme</c> and everything below it, never <c>docker.io/acmecorp</c>.
/// </remarks>
[System.Text.Json.Serialization.JsonConverter(typeof(RegistryScopeJsonConverter))]
public sealed class RegistryScope : IEquatable<RegistryScope>
{
    /// <summary>The longest scope text accepted: a 255-character name plus a trailing <c>/*</c>.</summary>
    public const int MaxLength = Grammar.NameTotalLengthMax + 2;

    private RegistryScope(string host, int? port, string path, int globLabels)
    {
        Host = host;
        Port = port;
        Path = path;
        GlobLabelCount = globLabels;
        Registry = Grammar.FormatRegistry(host, port);
        Value = path.Length == 0 ? Registry : Registry + "/" + path;
        LabelCount = host.StartsWith('[') ? 1 : host.AsSpan().Count('.') + 1;
    }

    /// <summary>The host, lower-case; may contain <c>*</c> labels.</summary>
    public string Host { get; }

    /// <summary>The port, or null when none was written.</summary>
    public int? Port { get; }

    /// <summary><c>host[:port]</c>.</summary>
    public string Registry { get; }

    /// <summary>
    /// The <c>host[:port]</c> that serves the registry's HTTP API: <c>registry-1.docker.io</c> for Docker Hub (whose scope
    /// is <c>docker.io</c>), otherwise <see cref="Registry"/>.
    /// </summary>
    public string ApiHost => Internal.Grammar.ApiHostOf(Registry);

    /// <summary>The repository path prefix without a trailing <c>/*</c>, or empty for a whole registry.</summary>
    public string Path { get; }

    /// <summary>The normalised text of the scope, <c>host[:port][/path]</c>.</summary>
    public string Value { get; }

    /// <summary>True when the host has at least one <c>*</c> label.</summary>
    public bool IsGlob => GlobLabelCount > 0;

    /// <summary>How many host labels are <c>*</c>.</summary>
    internal int GlobLabelCount { get; }

    /// <summary>How many labels the host has.</summary>
    internal int LabelCount { get; }

    /// <summary>Parses a scope.</summary>
    /// <param name="scope">The text, such as <c>docker.io/acme/*</c>, <c>*.azurecr.io</c> or <c>localhost:5000</c>.</param>
    /// <returns>The parsed scope.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="scope"/> is null.</exception>
    /// <exception cref="RegistryScopeFormatException">The text is not a valid scope; the message says why.</exception>
    public static RegistryScope Parse(string scope)
    {
        ArgumentNullException.ThrowIfNull(scope);
        if (!TryParseCore(scope, out var result, out var reason))
        {
            throw new RegistryScopeFormatException(scope, reason, nameof(scope));
        }

        return result;
    }

    /// <summary>Parses a scope without throwing.</summary>
    /// <param name="scope">The text to parse; null gives false.</param>
    /// <param name="result">The parsed scope when the method returns true.</param>
    /// <returns>True when <paramref name="scope"/> is a valid scope.</returns>
    public static bool TryParse([NotNullWhen(true)] string? scope, [NotNullWhen(true)] out RegistryScope? result)
    {
        if (scope is null)
        {
            result = null;
            return false;
        }

        return TryParseCore(scope, out result, out _);
    }

    private static bool TryParseCore(string s, [NotNullWhen(true)] out RegistryScope? result, out string reason)
    {
        result = null;
        if (s.Length == 0)
        {
            reason = "it is empty";
            return false;
        }

        if (s.Length > MaxLength)
        {
            reason = $"it is longer than {MaxLength} characters";
            return false;
        }

        if (Grammar.ContainsWhitespace(s))
        {
            reason = "it contains whitespace";
            return false;
        }

        if (Grammar.HasScheme(s, out var scheme))
        {
            reason = $"drop the scheme '{scheme}://' and write the registry address as host[:port][/path]";
            return false;
        }

        var span = s.AsSpan();
        if (span.EndsWith("/*", StringComparison.Ordinal))
        {
            span = span[..^2];
        }
        else if (span.EndsWith('/'))
        {
            span = span[..^1];
        }

        var slash = span.IndexOf('/');
        var hostPort = slash >= 0 ? span[..slash] : span;
        var path = slash >= 0 ? span[(slash + 1)..] : default;
        var hostError = Grammar.ParseHostPort(hostPort, allowGlobLabels: true, out var host, out var port, out var isGlob);
        if (hostError is not null)
        {
            reason = hostError;
            return false;
        }

        if (slash >= 0)
        {
            if (path.Contains('*'))
            {
                reason = "'*' is allowed only as a whole host label or as the final path segment '/*'";
                return false;
            }

            var pathError = Grammar.CheckPath(path);
            if (pathError is not null)
            {
                reason = pathError;
                return false;
            }
        }

        host = port is null && Grammar.IsDockerHubAlias(host) ? Grammar.DockerHub : host.ToLowerInvariant();
        var globs = 0;
        if (isGlob)
        {
            foreach (var label in host.Split('.'))
            {
                if (label == "*")
                {
                    globs++;
                }
            }
        }

        var normalisedPath = path.ToString();

        // The name limit covers the whole registry/repository, port included, as for an image reference.
        var nameLength = Grammar.FormatRegistry(host, port).Length + (normalisedPath.Length == 0 ? 0 : 1 + normalisedPath.Length);
        if (nameLength > Grammar.NameTotalLengthMax)
        {
            reason = $"it is longer than {Grammar.NameTotalLengthMax} characters without '/*'";
            return false;
        }

        reason = string.Empty;
        result = new RegistryScope(host, port, normalisedPath, globs);
        return true;
    }

    /// <summary>
    /// True when this scope covers <paramref name="image"/>: hosts match (exactly or label by label for globs), the
    /// ports are equal, and the path is a whole-segment prefix of the repository.
    /// </summary>
    /// <param name="image">The image reference.</param>
    /// <returns>Whether an entry with this scope applies to the image.</returns>
    public bool Matches(ImageReference image)
    {
        ArgumentNullException.ThrowIfNull(image);
        return Matches(image.Host, image.Port, image.Repository);
    }

    internal bool Matches(string host, int? port, ReadOnlySpan<char> repository) =>
        Port == port && HostMatches(host) && PathCovers(Path, repository);

    internal bool HostMatches(string host)
    {
        if (!IsGlob)
        {
            return string.Equals(Host, host, StringComparison.OrdinalIgnoreCase);
        }

        if (host.StartsWith('['))
        {
            return false;
        }

        var pattern = Host.AsSpan();
        var candidate = host.AsSpan();
        while (true)
        {
            var pd = pattern.IndexOf('.');
            var cd = candidate.IndexOf('.');
            if ((pd < 0) != (cd < 0))
            {
                return false;
            }

            var pl = pd < 0 ? pattern : pattern[..pd];
            var cl = cd < 0 ? candidate : candidate[..cd];
            if (!(pl is "*" || pl.Equals(cl, StringComparison.OrdinalIgnoreCase)))
            {
                return false;
            }

            if (pd < 0)
            {
                return true;
            }

            pattern = pattern[(pd + 1)..];
            candidate = candidate[(cd + 1)..];
        }
    }

    internal static bool PathCovers(ReadOnlySpan<char> prefix, ReadOnlySpan<char> repository) =>
        prefix.IsEmpty
        || (repository.StartsWith(prefix, StringComparison.Ordinal)
            && (repository.Length == prefix.Length || repository[prefix.Length] == '/'));

    /// <summary>Returns <see cref="Value"/>.</summary>
    /// <returns>The normalised scope text.</returns>
    public override string ToString() => Value;

    /// <inheritdoc />
    public bool Equals(RegistryScope? other) => other is not null && string.Equals(Value, other.Value, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as RegistryScope);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Value);

    /// <summary>Compares two scopes for equality.</summary>
    /// <param name="left">The first scope.</param>
    /// <param name="right">The second scope.</param>
    /// <returns>True when both are null or equal.</returns>
    public static bool operator ==(RegistryScope? left, RegistryScope? right) => Equals(left, right);

    /// <summary>Compares two scopes for inequality.</summary>
    /// <param name="left">The first scope.</param>
    /// <param name="right">The second scope.</param>
    /// <returns>True when they differ.</returns>
    public static bool operator !=(RegistryScope? left, RegistryScope? right) => !Equals(left, right);
}
