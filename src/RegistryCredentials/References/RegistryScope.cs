using System.Diagnostics.CodeAnalysis;
using RegistryCredentials.Internal;

namespace RegistryCredentials;

/// <summary>
/// The key of a registry entry: <c>host[:port]</c> plus an optional repository path, written
/// <c>host[:port][/path][/*]</c>. Host labels may be <c>*</c> globs (<c>*.azurecr.io</c>).
/// </summary>
/// <remarks>
/// <para>
/// As Anchore Enterprise defines repository-path credentials: <c>host</c> (or <c>host/*</c>) covers every repository of
/// the registry; <c>host/path</c> names exactly the one repository <c>path</c>; <c>host/path/*</c> covers every
/// repository below <c>path</c> by whole segments, not <c>path</c> itself (<c>docker.io/acme/*</c> covers
/// <c>docker.io/acme/app</c>, never <c>docker.io/acmecorp/app</c>). These are distinct scopes and may coexist.
/// </para>
/// <para>
/// Hosts compare case-insensitively and Docker Hub aliases are one host (<c>docker.io</c>). On Docker Hub a one-segment
/// repository follows the image-reference rule: <c>docker.io/nginx</c> names <c>docker.io/library/nginx</c>, as a pull of
/// <c>nginx</c> does, and is written so; <see cref="Note"/> then says so, because <c>docker.io/acme/*</c> may have been meant.
/// </para>
/// </remarks>
[System.Text.Json.Serialization.JsonConverter(typeof(RegistryScopeJsonConverter))]
public sealed class RegistryScope : IEquatable<RegistryScope>
{
    /// <summary>
    /// The longest scope text accepted: a 253-character host, a port, and a 255-character repository path with a
    /// trailing <c>/*</c>.
    /// </summary>
    public const int MaxLength = Grammar.HostLengthMax + 6 + 1 + Grammar.NameTotalLengthMax + 2;

    private const string SubtreeSuffix = "/*";

    private RegistryScope(string host, int? port, string path, RegistryScopeKind kind, int globLabels, string? note)
    {
        Host = host;
        Port = port;
        Path = path;
        Kind = kind;
        GlobLabelCount = globLabels;
        Note = note;
        Registry = Grammar.FormatRegistry(host, port);
        SecretBinding = path.Length == 0 ? Registry : Registry + "/" + path;
        Value = kind switch
        {
            RegistryScopeKind.Registry => Registry,
            RegistryScopeKind.Repository => SecretBinding,
            _ => SecretBinding + SubtreeSuffix,
        };
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

    /// <summary>
    /// The repository path without a trailing <c>/*</c>: the one repository of a <see cref="RegistryScopeKind.Repository"/>
    /// scope, the root below which a <see cref="RegistryScopeKind.Subtree"/> scope applies, or empty for a whole registry.
    /// </summary>
    public string Path { get; }

    /// <summary>What the scope covers: the whole registry, one repository, or every repository below a path.</summary>
    public RegistryScopeKind Kind { get; }

    /// <summary>
    /// The canonical text of the scope: <c>host[:port]</c>, <c>host[:port]/path</c> or <c>host[:port]/path/*</c>. It parses
    /// back to an equal scope and is the key an entry is stored under.
    /// </summary>
    public string Value { get; }

    /// <summary>True when the host has at least one <c>*</c> label.</summary>
    public bool IsGlob => GlobLabelCount > 0;

    /// <summary>
    /// A remark for the person who wrote the scope, or null: set when a one-segment Docker Hub path such as
    /// <c>docker.io/acme</c> was read as the one repository <c>docker.io/library/acme</c> while <c>docker.io/acme/*</c>
    /// (every repository of the <c>acme</c> namespace) may have been meant. Not part of equality.
    /// </summary>
    public string? Note { get; }

    /// <summary>How many host labels are <c>*</c>.</summary>
    internal int GlobLabelCount { get; }

    /// <summary>How many labels the host has.</summary>
    internal int LabelCount { get; }

    /// <summary>
    /// The text a secret is bound to (as associated data): <c>host[:port][/path]</c> without the <c>/*</c>, which is what
    /// every path scope was written as before exact repositories and subtrees were told apart, so that secrets stored then
    /// still open after the stores' migration renamed their scopes. A repository and the subtree below it share it.
    /// </summary>
    internal string SecretBinding { get; }

    /// <summary>Parses a scope.</summary>
    /// <param name="scope">The text, such as <c>docker.io/acme/*</c>, <c>quay.io/ns/app</c>, <c>*.azurecr.io</c> or <c>localhost:5000</c>.</param>
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
            reason = $"drop the scheme '{scheme}://' and write the registry address as host[:port][/path][/*]";
            return false;
        }

        var span = s.AsSpan();
        var subtree = false;
        if (span.EndsWith(SubtreeSuffix, StringComparison.Ordinal))
        {
            span = span[..^2];
            subtree = true;
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

        if (slash >= 0 && path.IsEmpty && !subtree)
        {
            // "host/" is the registry, as "host" and "host/*" are.
            slash = -1;
        }

        if (slash >= 0)
        {
            if (path.Contains('*'))
            {
                reason = StarReason(hostPort, path);
                return false;
            }

            if (!subtree && path.EndsWith('/') && !path.EndsWith("//", StringComparison.Ordinal))
            {
                var root = path.TrimEnd('/');
                reason = $"a trailing '/' is ambiguous: write '{hostPort}/{root}' for the one repository '{root}', "
                    + $"or '{hostPort}/{root}/*' for every repository below it";
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
        var kind = normalisedPath.Length == 0 ? RegistryScopeKind.Registry
            : subtree ? RegistryScopeKind.Subtree
            : RegistryScopeKind.Repository;
        string? note = null;
        if (kind == RegistryScopeKind.Repository && ReferenceEquals(host, Grammar.DockerHub) && !normalisedPath.Contains('/'))
        {
            // The image-reference rule: on Docker Hub a one-segment name is an official image, "nginx" is "library/nginx".
            note = $"on Docker Hub '{Grammar.DockerHub}/{normalisedPath}' names the one repository "
                + $"'{Grammar.DockerHub}/library/{normalisedPath}', as a pull of '{normalisedPath}' does; "
                + $"for every repository of the '{normalisedPath}' namespace write '{Grammar.DockerHub}/{normalisedPath}/*'";
            normalisedPath = "library/" + normalisedPath;
        }

        // As distribution/reference: the limit is on the repository path, not on registry and path together.
        if (normalisedPath.Length > Grammar.NameTotalLengthMax)
        {
            reason = $"the repository path is longer than {Grammar.NameTotalLengthMax} characters";
            return false;
        }

        reason = string.Empty;
        result = new RegistryScope(host, port, normalisedPath, kind, globs, note);
        return true;
    }

    private static string StarReason(ReadOnlySpan<char> hostPort, ReadOnlySpan<char> path)
    {
        const string Rule = "'*' is allowed only as a whole host label or as the final path segment '/*'";
        var star = path.IndexOf('*');
        var before = path[..star].TrimEnd('/');
        if (star > 0 && path[star - 1] != '/' && path[(star + 1)..].TrimStart('*').IsEmpty && !before.IsEmpty)
        {
            // "host/org*": a prefix inside a segment, which no scope expresses; the whole segment is what Anchore means.
            return $"{Rule}, not a prefix inside a segment: for every repository below '{before}' write '{hostPort}/{before}/*'";
        }

        return Rule;
    }

    /// <summary>
    /// True when this scope covers <paramref name="image"/>: hosts match (exactly or label by label for globs), the ports
    /// are equal, and the repository is the scope's one repository, lies below its subtree by whole segments, or the scope
    /// is the whole registry.
    /// </summary>
    /// <param name="image">The image reference.</param>
    /// <returns>Whether an entry with this scope applies to the image.</returns>
    public bool Matches(ImageReference image)
    {
        ArgumentNullException.ThrowIfNull(image);
        return Matches(image.Host, image.Port, image.Repository);
    }

    internal bool Matches(string host, int? port, ReadOnlySpan<char> repository) =>
        Port == port && HostMatches(host) && PathMatches(repository);

    /// <summary>Whether the repository is covered by this scope's path, whatever the host.</summary>
    internal bool PathMatches(ReadOnlySpan<char> repository) => Kind switch
    {
        RegistryScopeKind.Registry => true,
        RegistryScopeKind.Repository => repository.Equals(Path, StringComparison.Ordinal),
        _ => IsBelow(Path, repository),
    };

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

    /// <summary>True when <paramref name="repository"/> lies strictly below <paramref name="root"/> by whole segments.</summary>
    internal static bool IsBelow(ReadOnlySpan<char> root, ReadOnlySpan<char> repository) =>
        repository.Length > root.Length + 1
        && repository[root.Length] == '/'
        && repository.StartsWith(root, StringComparison.Ordinal);

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
