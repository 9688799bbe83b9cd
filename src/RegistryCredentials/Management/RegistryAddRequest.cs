namespace RegistryCredentials;

/// <summary>What <see cref="IRegistryManager.AddAsync"/> stores: anchorectl's <c>registry add</c> arguments.</summary>
public sealed class RegistryAddRequest
{
    /// <summary>The scope, <c>host[:port][/path][/*]</c>, without a URL scheme.</summary>
    public required string Scope { get; init; }

    /// <summary>The user name.</summary>
    public required string Username { get; init; }

    /// <summary>The password (or key); write-only: it can never be read back.</summary>
    public required RegistrySecret Password { get; init; }

    /// <summary>The account; null for <see cref="RegistryCredentialsOptions.Account"/>.</summary>
    public string? Account { get; init; }

    /// <summary>The type; null to guess it from the host (<see cref="RegistryType.Guess(RegistryScope)"/>).</summary>
    public RegistryType? Type { get; init; }

    /// <summary>A display name; null for the scope.</summary>
    public string? Name { get; init; }

    /// <summary>An e-mail address, if any.</summary>
    public string? Email { get; init; }

    /// <summary>Whether TLS certificates are verified (anchorectl's <c>--secure-connection</c>). Default true.</summary>
    public bool VerifyTls { get; init; } = true;

    /// <summary>Whether the registry is reached over plain HTTP (never implied). Default false.</summary>
    public bool InsecureHttp { get; init; }

    /// <summary>PEM CA certificates to trust for this registry instead of the system store; null for none.</summary>
    public string? CaCertificates { get; init; }

    /// <summary>Whether the entry starts active. Default true.</summary>
    public bool IsActive { get; init; } = true;

    /// <summary>Whether the credential is checked against the registry before it is stored (anchorectl's <c>--validate</c>). Default true.</summary>
    public bool Validate { get; init; } = true;

    /// <summary>
    /// Whether an existing entry with the same scope is replaced (Rancher's "the newest credential wins") instead of
    /// refused with a conflict. Default false.
    /// </summary>
    public bool Replace { get; init; }

    /// <summary>Describes the request without the password.</summary>
    /// <returns>The scope and user.</returns>
    public override string ToString() => $"add {Scope} (user {Username})";
}
