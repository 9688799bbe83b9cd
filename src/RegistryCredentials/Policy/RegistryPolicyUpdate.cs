namespace RegistryCredentials;

/// <summary>
/// A partial change of a <see cref="RegistryPolicy"/>: a field left null keeps its value (JSON merge patch, RFC 7396).
/// </summary>
public sealed class RegistryPolicyUpdate
{
    /// <summary>
    /// The new default registry (<c>host[:port]</c>, without <c>*</c> or a path); null keeps the current one; an empty
    /// string or a Docker Hub name (<c>docker.io</c>) sets Docker Hub.
    /// </summary>
    public string? DefaultRegistry { get; init; }

    /// <summary>
    /// The new allow-list (scopes, at most <see cref="MaxAllowedRegistries"/>); null keeps the current one; an empty list
    /// clears it, allowing every registry. Blank items are skipped, duplicates kept once.
    /// </summary>
    public IReadOnlyList<string>? AllowedRegistries { get; init; }

    /// <summary>
    /// When set, the update applies only if the account's own stored policy is at this version (<c>0</c>: it has none
    /// stored yet, whatever global or configured policy is in force); otherwise it fails with
    /// <see cref="RegistryErrorReason.Concurrency"/> and nothing changes. The check and the write are one step in the
    /// store. Null (the default): the update is merged into whatever is stored, retried when another writer wins.
    /// </summary>
    public long? ExpectedVersion { get; init; }

    /// <summary>The most scopes an allow-list may hold.</summary>
    public const int MaxAllowedRegistries = 1000;

    /// <summary>True when the update changes nothing (both fields null).</summary>
    public bool IsEmpty => DefaultRegistry is null && AllowedRegistries is null;
}
