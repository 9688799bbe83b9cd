namespace RegistryCredentials;

/// <summary>
/// The result of <see cref="IRegistryCredentialResolver.ResolveAsync(ImageReference, string?, CancellationToken)"/>:
/// a credential with the entry that matched, anonymous, or denied with a reason. A value type, so that
/// resolving allocates nothing.
/// </summary>
public readonly struct RegistryResolution : IEquatable<RegistryResolution>
{
    internal RegistryResolution(
        RegistryResolutionKind kind,
        ImageReference image,
        string registry,
        string repository,
        RegistryEntry? entry,
        RegistryCredential? credential,
        RegistryDenialReason denialReason,
        object? source = null)
    {
        Source = source;
        Kind = kind;
        Image = image;
        Registry = registry;
        Repository = repository;
        Entry = entry;
        Credential = credential;
        DenialReason = denialReason;
    }

    /// <summary>
    /// The resolver's own record of the entry that produced the credential, for
    /// <see cref="IRegistryCredentialResolver.ReportRejectedAsync"/>.
    /// </summary>
    internal object? Source { get; }

    /// <summary>The outcome.</summary>
    public RegistryResolutionKind Kind { get; }

    /// <summary>The reference that was resolved.</summary>
    public ImageReference? Image { get; }

    /// <summary>
    /// The registry the pull goes to (<c>host[:port]</c>): the reference's, or the configured default registry for a
    /// reference that named none.
    /// </summary>
    public string? Registry { get; }

    /// <summary>
    /// The <c>host[:port]</c> to send the pull's Registry API requests to: <c>registry-1.docker.io</c> when
    /// <see cref="Registry"/> is Docker Hub, otherwise <see cref="Registry"/>; null when there is no registry.
    /// </summary>
    public string? ApiHost => Registry is null ? null : Internal.Grammar.ApiHostOf(Registry);

    /// <summary>The repository path at <see cref="Registry"/>.</summary>
    public string? Repository { get; }

    /// <summary>The entry that matched, for <see cref="RegistryResolutionKind.Credential"/> and for denials caused by an entry.</summary>
    public RegistryEntry? Entry { get; }

    /// <summary>The credential to use, for <see cref="RegistryResolutionKind.Credential"/>.</summary>
    public RegistryCredential? Credential { get; }

    /// <summary>Why the pull is denied, or <see cref="RegistryDenialReason.None"/>.</summary>
    public RegistryDenialReason DenialReason { get; }

    /// <summary>True for <see cref="RegistryResolutionKind.Credential"/>.</summary>
    public bool HasCredential => Kind == RegistryResolutionKind.Credential;

    /// <summary>True for <see cref="RegistryResolutionKind.Denied"/>.</summary>
    public bool IsDenied => Kind == RegistryResolutionKind.Denied;

    /// <summary>A sentence for people and logs; never contains a secret.</summary>
    public string Message => Kind switch
    {
        RegistryResolutionKind.Credential => $"Pull {Registry}/{Repository} with the credential of {Entry?.Scope} (user {Entry?.Username}).",
        RegistryResolutionKind.Anonymous => $"No credential matches {Registry}/{Repository}: pull anonymously.",
        _ => DenialReason switch
        {
            RegistryDenialReason.RegistryNotAllowed => $"The registry {Registry} is not on the allow-list.",
            RegistryDenialReason.EntryInactive => $"The matching registry entry {Entry?.Scope} is deactivated.",
            RegistryDenialReason.NoProvider => $"No credential provider is registered for type '{Entry?.Type}' of entry {Entry?.Scope}.",
            _ => "Denied.",
        },
    };

    /// <summary>Returns <see cref="Message"/>.</summary>
    /// <returns>A sentence without secrets.</returns>
    public override string ToString() => Message;

    /// <inheritdoc />
    public bool Equals(RegistryResolution other) =>
        Kind == other.Kind && Equals(Image, other.Image) && string.Equals(Registry, other.Registry, StringComparison.Ordinal)
        && string.Equals(Repository, other.Repository, StringComparison.Ordinal) && ReferenceEquals(Entry, other.Entry)
        && ReferenceEquals(Credential, other.Credential) && DenialReason == other.DenialReason;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is RegistryResolution other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Kind, Image, Registry, Repository, Entry, DenialReason);

    /// <summary>Compares two resolutions.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    /// <returns>True when equal.</returns>
    public static bool operator ==(RegistryResolution left, RegistryResolution right) => left.Equals(right);

    /// <summary>Compares two resolutions.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    /// <returns>True when they differ.</returns>
    public static bool operator !=(RegistryResolution left, RegistryResolution right) => !left.Equals(right);
}
