namespace RegistryCredentials;

/// <summary>The part of an image reference that a <see cref="ImageReferenceFormatException"/> names.</summary>
public enum ImageReferencePart
{
    /// <summary>The reference as a whole (empty, whitespace, a URL scheme).</summary>
    Reference,

    /// <summary>The registry host and port.</summary>
    Registry,

    /// <summary>The repository path.</summary>
    Repository,

    /// <summary>The tag after <c>:</c>.</summary>
    Tag,

    /// <summary>The digest after <c>@</c>.</summary>
    Digest,
}
