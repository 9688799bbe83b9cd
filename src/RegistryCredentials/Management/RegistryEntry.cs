using System.Text;

namespace RegistryCredentials;

/// <summary>
/// A stored registry entry: everything about a credential except the secret, which is write-only and
/// lives beside the entry in the store, encrypted. Instances are immutable; copy one with
/// <c>with { … }</c>.
/// </summary>
public sealed record class RegistryEntry
{
    /// <summary>The account (tenant) that owns the entry; see <see cref="RegistryAccounts"/>.</summary>
    public required string Account { get; init; }

    /// <summary>The key of the entry, unique within its account.</summary>
    public required RegistryScope Scope { get; init; }

    /// <summary>A display name; defaults to the scope.</summary>
    public required string Name { get; init; }

    /// <summary>How the credential is turned into what a pull needs.</summary>
    public required RegistryType Type { get; init; }

    /// <summary>The user name (or access key id, <c>_json_key</c>, <c>awsauto</c> … depending on the type).</summary>
    public required string Username { get; init; }

    /// <summary>An e-mail address to go with the credential, if any.</summary>
    public string? Email { get; init; }

    /// <summary>Whether TLS certificates are verified when talking to the registry. True unless turned off.</summary>
    public bool VerifyTls { get; init; } = true;

    /// <summary>
    /// Whether the registry is reached over plain HTTP. False unless explicitly set: credentials are never sent
    /// over plain HTTP otherwise, and an HTTPS registry is never silently downgraded.
    /// </summary>
    public bool InsecureHttp { get; init; }

    /// <summary>
    /// PEM certificates (one or more CA certificates) to trust for this registry and its token realm instead of the
    /// system store, or null. Lets a private CA be trusted without turning <see cref="VerifyTls"/> off.
    /// </summary>
    public string? CaCertificates { get; init; }

    /// <summary>Whether the entry is used. A deactivated entry keeps its secret and, unless configured otherwise, denies pulls it matches.</summary>
    public bool IsActive { get; init; } = true;

    /// <summary>When the entry was first added.</summary>
    public required DateTimeOffset CreatedOn { get; init; }

    /// <summary>When the entry was last changed.</summary>
    public required DateTimeOffset UpdatedOn { get; init; }

    /// <summary>The concurrency version: 1 when added, one more for every update. Stores assign it.</summary>
    public long Version { get; init; }

    /// <summary>Describes the entry without any secret.</summary>
    /// <returns>For example <c>docker.io/acme (docker_v2, user ci, active, v3)</c>.</returns>
    public override string ToString()
    {
        var text = new StringBuilder()
            .Append(Scope.Value)
            .Append(" (").Append(Type.Value)
            .Append(", user ").Append(Username)
            .Append(IsActive ? ", active" : ", inactive");
        if (!VerifyTls)
        {
            text.Append(", TLS unverified");
        }

        if (InsecureHttp)
        {
            text.Append(", plain HTTP");
        }

        if (CaCertificates is not null)
        {
            text.Append(", own CA");
        }

        return text.Append(", v").Append(Version).Append(')').ToString();
    }
}
