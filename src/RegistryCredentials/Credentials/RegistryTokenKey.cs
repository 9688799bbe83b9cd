namespace RegistryCredentials;

/// <summary>
/// The key of a token in <see cref="RegistryTokenCache"/>. Only the cache makes keys
/// (<see cref="RegistryTokenCache.CreateKey"/>), from the entry the token belongs to, the provider that makes it and the
/// parts that tell its tokens apart. Because every key names its entry, the manager's eviction when the entry is updated,
/// deactivated or deleted drops it: a provider cannot forget to put the entry into its keys.
/// </summary>
/// <remarks>
/// The parts are kept only as a keyed hash, so a part may be a secret (a provider that must not hand out a token made
/// with an entry's old password puts the password into the key). <see cref="ToString"/> shows the account, scope and
/// provider, never the parts.
/// </remarks>
public sealed class RegistryTokenKey : IEquatable<RegistryTokenKey>
{
    private readonly string _discriminator;
    private readonly int _hashCode;

    internal RegistryTokenKey(string account, RegistryScope? scope, RegistryType? provider, string discriminator)
    {
        Account = account;
        Scope = scope;
        Provider = provider;
        _discriminator = discriminator;
        _hashCode = HashCode.Combine(
            StringComparer.Ordinal.GetHashCode(account),
            scope,
            provider,
            StringComparer.Ordinal.GetHashCode(discriminator));
    }

    /// <summary>The account of the entry the token belongs to.</summary>
    public string Account { get; }

    /// <summary>The scope of the entry the token belongs to; null for the library's anonymous registry tokens, which belong to no entry.</summary>
    public RegistryScope? Scope { get; }

    /// <summary>The type of the provider that makes the token; null for the registry bearer tokens the library fetches itself.</summary>
    public RegistryType? Provider { get; }

    /// <summary>Whether the key belongs to an entry (and, when <paramref name="provider"/> is given, to that provider).</summary>
    internal bool BelongsTo(string account, RegistryScope scope, RegistryType? provider) =>
        Scope is not null
        && string.Equals(Account, account, StringComparison.Ordinal)
        && string.Equals(Scope.Value, scope.Value, StringComparison.Ordinal)
        && (provider is null || provider == Provider);

    /// <inheritdoc />
    public bool Equals(RegistryTokenKey? other) =>
        other is not null
        && (ReferenceEquals(this, other)
            || (_hashCode == other._hashCode
                && string.Equals(Account, other.Account, StringComparison.Ordinal)
                && Scope == other.Scope
                && Provider == other.Provider
                && string.Equals(_discriminator, other._discriminator, StringComparison.Ordinal)));

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as RegistryTokenKey);

    /// <inheritdoc />
    public override int GetHashCode() => _hashCode;

    /// <summary>Describes the key without its parts.</summary>
    /// <returns>For example <c>default reg.example.com/team/* (gcr)</c>.</returns>
    public override string ToString() => $"{Account} {Scope?.Value ?? "(no entry)"} ({Provider?.Value ?? "registry token"})";
}
