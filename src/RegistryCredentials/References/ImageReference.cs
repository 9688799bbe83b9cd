using System.Diagnostics.CodeAnalysis;
using RegistryCredentials.Internal;

namespace RegistryCredentials;

/// <summary>
/// A parsed container image reference following the distribution/reference grammar:
/// <c>[registry[:port]/]path[:tag][@digest]</c>.
/// </summary>
/// <remarks>
/// The first path segment names a registry only when it is <c>localhost</c>, contains <c>.</c> or <c>:</c>,
/// or contains an upper-case letter; otherwise the image is on Docker Hub (<c>docker.io</c>), and a
/// single-segment Docker Hub name gets <c>library/</c>. <c>index.docker.io</c>, <c>registry-1.docker.io</c>
/// and <c>docker.io</c> are one registry. Instances are immutable and thread-safe.
/// </remarks>
public sealed class ImageReference : IEquatable<ImageReference>
{
    private const string LibraryPrefix = "library/";

    private ImageReference(string registry, string host, int? port, string repository, string? tag, string? digest, bool registryImplicit, string pathAsWritten)
    {
        Registry = registry;
        Host = host;
        Port = port;
        Repository = repository;
        Tag = tag;
        Digest = digest;
        IsRegistryImplicit = registryImplicit;
        PathAsWritten = pathAsWritten;
    }

    /// <summary>
    /// The registry as <c>host[:port]</c>, normalised: Docker Hub aliases become <c>docker.io</c>, DNS hosts are
    /// lower-case, IPv6 hosts are bracketed.
    /// </summary>
    public string Registry { get; }

    /// <summary>
    /// The <c>host[:port]</c> that serves the registry's HTTP API: <c>registry-1.docker.io</c> for Docker Hub, otherwise
    /// <see cref="Registry"/>.
    /// </summary>
    public string ApiHost => Internal.Grammar.ApiHostOf(Registry);

    /// <summary>The registry host without the port (an IPv6 host keeps its brackets).</summary>
    public string Host { get; }

    /// <summary>The registry port, or null when none was written.</summary>
    public int? Port { get; }

    /// <summary>The repository path, lower-case, with <c>library/</c> added for single-segment Docker Hub names.</summary>
    public string Repository { get; }

    /// <summary>The tag, or null when none was written (a pull then uses <c>latest</c> unless a digest is given).</summary>
    public string? Tag { get; }

    /// <summary>The digest (<c>algorithm:hex</c>), or null when none was written.</summary>
    public string? Digest { get; }

    /// <summary>True when the reference named no registry and so defaulted to Docker Hub (or to a configured default registry).</summary>
    public bool IsRegistryImplicit { get; }

    /// <summary>True when the registry is Docker Hub.</summary>
    public bool IsDockerHub => ReferenceEquals(Registry, Grammar.DockerHub);

    /// <summary>The repository path as written, without the <c>library/</c> Docker Hub adds; what a default registry receives.</summary>
    internal string PathAsWritten { get; }

    /// <summary>
    /// The familiar name Docker shows: <c>nginx</c> for <c>docker.io/library/nginx</c>, <c>acme/app</c> for
    /// <c>docker.io/acme/app</c>, else <c>registry/repository</c>.
    /// </summary>
    public string FamiliarName
    {
        get
        {
            if (!IsDockerHub)
            {
                return Registry + "/" + Repository;
            }

            // A 64-hex official name keeps "library/": alone it would read as an image id and not parse back.
            return Repository.StartsWith(LibraryPrefix, StringComparison.Ordinal) && Repository.IndexOf('/', LibraryPrefix.Length) < 0
                && !IsIdentifier(Repository[LibraryPrefix.Length..])
                ? Repository[LibraryPrefix.Length..]
                : Repository;
        }
    }

    /// <summary>Parses an image reference.</summary>
    /// <param name="reference">The text, such as <c>nginx</c> or <c>quay.io/ns/app:1.2@sha256:…</c>.</param>
    /// <returns>The parsed reference.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="reference"/> is null.</exception>
    /// <exception cref="ImageReferenceFormatException">The text is not a valid reference; the message names the offending part.</exception>
    public static ImageReference Parse(string reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        if (!TryParseCore(reference, out var result, out var part, out var reason))
        {
            throw new ImageReferenceFormatException(reference, part, reason);
        }

        return result;
    }

    /// <summary>Parses an image reference without throwing.</summary>
    /// <param name="reference">The text to parse; null gives false.</param>
    /// <param name="result">The parsed reference when the method returns true.</param>
    /// <returns>True when <paramref name="reference"/> is a valid image reference.</returns>
    public static bool TryParse([NotNullWhen(true)] string? reference, [NotNullWhen(true)] out ImageReference? result)
    {
        if (reference is null)
        {
            result = null;
            return false;
        }

        return TryParseCore(reference, out result, out _, out _);
    }

    private static bool TryParseCore(string s, [NotNullWhen(true)] out ImageReference? result, out ImageReferencePart part, out string reason)
    {
        result = null;
        part = ImageReferencePart.Reference;
        reason = string.Empty;
        if (s.Length == 0)
        {
            reason = "it is empty";
            return false;
        }

        if (Grammar.ContainsWhitespace(s))
        {
            reason = "it contains whitespace";
            return false;
        }

        if (Grammar.HasScheme(s, out var scheme))
        {
            reason = $"drop the scheme '{scheme}://' and write the registry as host[:port]/repository";
            return false;
        }

        if (IsIdentifier(s))
        {
            // As ParseNormalizedNamed: a bare 64-hex string is an image id, never a repository name.
            part = ImageReferencePart.Repository;
            reason = "a 64-character hexadecimal string is an image id, not a repository name";
            return false;
        }

        var span = s.AsSpan();
        string? digest = null;
        var at = span.IndexOf('@');
        if (at >= 0)
        {
            var digestSpan = span[(at + 1)..];
            part = ImageReferencePart.Digest;
            var error = Grammar.CheckDigest(digestSpan);
            if (error is not null)
            {
                reason = error;
                return false;
            }

            digest = digestSpan.ToString();
            span = span[..at];
        }

        string? tag = null;
        var lastSlash = span.LastIndexOf('/');
        var lastColon = span.LastIndexOf(':');
        if (lastColon > lastSlash && !(span.Length > 0 && span[0] == '[' && lastSlash < 0 && span.IndexOf(']') > lastColon))
        {
            var tagSpan = span[(lastColon + 1)..];
            part = ImageReferencePart.Tag;
            var error = Grammar.CheckTag(tagSpan);
            if (error is not null)
            {
                reason = error;
                return false;
            }

            tag = tagSpan.ToString();
            span = span[..lastColon];
        }

        if (span.IsEmpty)
        {
            part = ImageReferencePart.Repository;
            reason = "the repository name is missing";
            return false;
        }

        string registry;
        string host;
        int? port = null;
        bool registryImplicit;
        ReadOnlySpan<char> path;
        var firstSlash = span.IndexOf('/');
        var first = firstSlash >= 0 ? span[..firstSlash] : default;
        if (firstSlash >= 0 && IsRegistrySegment(first))
        {
            part = ImageReferencePart.Registry;
            var error = Grammar.ParseHostPort(first, allowGlobLabels: false, out host, out port, out _);
            if (error is not null)
            {
                reason = error;
                return false;
            }

            if (Grammar.IsDockerHubAlias(host) && port is null)
            {
                registry = host = Grammar.DockerHub;
            }
            else
            {
                // Lower-casing a single-label host without port would turn it into a Docker Hub path on re-parse;
                // with a port the ':' keeps it a registry, so it is lower-cased like any other DNS host.
                var lower = host.ToLowerInvariant();
                if (lower != host && port is null && !IsRegistrySegment(lower))
                {
                    lower = host;
                }

                host = lower;
                registry = Grammar.FormatRegistry(host, port);
            }

            registryImplicit = false;
            path = span[(firstSlash + 1)..];
        }
        else
        {
            registry = host = Grammar.DockerHub;
            registryImplicit = true;
            path = span;
        }

        part = ImageReferencePart.Repository;
        var pathError = Grammar.CheckPath(path);
        if (pathError is not null)
        {
            reason = pathError;
            return false;
        }

        var pathAsWritten = path.ToString();
        var repository = ReferenceEquals(registry, Grammar.DockerHub) && path.IndexOf('/') < 0
            ? LibraryPrefix + pathAsWritten
            : pathAsWritten;
        // distribution/reference checks RepositoryNameTotalLengthMax on the path alone (library/ included on Docker Hub).
        if (repository.Length > Grammar.NameTotalLengthMax)
        {
            reason = $"the repository path '{repository}' is longer than {Grammar.NameTotalLengthMax} characters";
            return false;
        }

        result = new ImageReference(registry, host, port, repository, tag, digest, registryImplicit, pathAsWritten);
        return true;
    }

    /// <summary>distribution/reference's identifier, <c>^[a-f0-9]{64}$</c>.</summary>
    private static bool IsIdentifier(string s)
    {
        if (s.Length != 64)
        {
            return false;
        }

        foreach (var c in s)
        {
            if (!char.IsAsciiDigit(c) && !char.IsAsciiHexDigitLower(c))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsRegistrySegment(ReadOnlySpan<char> segment)
    {
        if (segment.Equals("localhost", StringComparison.Ordinal) || segment.IndexOfAny('.', ':') >= 0)
        {
            return true;
        }

        foreach (var c in segment)
        {
            if (char.IsAsciiLetterUpper(c))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The familiar form Docker prints: <see cref="FamiliarName"/> with the tag and digest.</summary>
    /// <returns>For example <c>nginx:1.27</c> or <c>acme/app@sha256:…</c>.</returns>
    public string ToFamiliarString() => Append(FamiliarName);

    /// <summary>The fully-qualified form, <c>registry/repository[:tag][@digest]</c>, which parses back to an equal reference.</summary>
    /// <returns>The fully-qualified reference.</returns>
    public override string ToString() => Append(Registry + "/" + Repository);

    private string Append(string name)
    {
        if (Tag is not null)
        {
            name += ":" + Tag;
        }

        if (Digest is not null)
        {
            name += "@" + Digest;
        }

        return name;
    }

    /// <inheritdoc />
    public bool Equals(ImageReference? other) =>
        other is not null
        && string.Equals(Registry, other.Registry, StringComparison.OrdinalIgnoreCase)
        && string.Equals(Repository, other.Repository, StringComparison.Ordinal)
        && string.Equals(Tag, other.Tag, StringComparison.Ordinal)
        && string.Equals(Digest, other.Digest, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as ImageReference);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(
        StringComparer.OrdinalIgnoreCase.GetHashCode(Registry),
        Repository,
        Tag,
        Digest);

    /// <summary>Compares two references for equality.</summary>
    /// <param name="left">The first reference.</param>
    /// <param name="right">The second reference.</param>
    /// <returns>True when both are null or equal.</returns>
    public static bool operator ==(ImageReference? left, ImageReference? right) => Equals(left, right);

    /// <summary>Compares two references for inequality.</summary>
    /// <param name="left">The first reference.</param>
    /// <param name="right">The second reference.</param>
    /// <returns>True when they differ.</returns>
    public static bool operator !=(ImageReference? left, ImageReference? right) => !Equals(left, right);
}
