namespace RegistryCredentials.Testing;

/// <summary>
/// An entry for <see cref="RegistryProviderConformanceTests"/>: what the provider under test needs to make an expiring
/// credential from its fake upstream, a secret made up for this run, an image the entry covers, and the pieces of the
/// secret that must never appear anywhere.
/// </summary>
public sealed class RegistryProviderTestEntry
{
    /// <summary>The scope, such as <c>123456789012.dkr.ecr.us-east-1.amazonaws.com</c>.</summary>
    public required string Scope { get; init; }

    /// <summary>The provider's type.</summary>
    public required RegistryType Type { get; init; }

    /// <summary>The user name (which selects, for most providers, how the secret is used).</summary>
    public required string Username { get; init; }

    /// <summary>The secret, made up for this run, that the fake upstream accepts.</summary>
    public required string Secret { get; init; }

    /// <summary>An image the entry covers, such as <c>&lt;scope&gt;/team/app:1</c>.</summary>
    public required string Image { get; init; }

    /// <summary>PEM certificates the entry trusts (a test CA), if the upstream needs them.</summary>
    public string? CaCertificates { get; init; }

    /// <summary>Whether the registry is plain HTTP.</summary>
    public bool InsecureHttp { get; init; }

    /// <summary>Pieces of <see cref="Secret"/> (or other forms of it, such as the lines of a private key) that must not appear either.</summary>
    public IReadOnlyList<string> SecretFragments { get; init; } = [];

    /// <summary>The request that adds the entry.</summary>
    /// <param name="validate">Whether the manager validates it (with the suite's validator, which asks the provider for a credential).</param>
    /// <returns>The request.</returns>
    public RegistryAddRequest ToAddRequest(bool validate = false) => new()
    {
        Scope = Scope,
        Type = Type,
        Username = Username,
        Password = Secret,
        CaCertificates = CaCertificates,
        InsecureHttp = InsecureHttp,
        Email = "conformance@example.com",
        Validate = validate,
    };

    /// <summary>Describes the entry without its secret.</summary>
    /// <returns>For example <c>gcr entry us-docker.pkg.dev/acme (user _json_key)</c>.</returns>
    public override string ToString() => $"{Type} entry {Scope} (user {Username})";
}
