namespace RegistryCredentials;

/// <summary>
/// What <see cref="IRegistryManager.UpdateAsync"/> changes. The scope identifies the entry and never changes;
/// every other property left null keeps its stored value, the password included.
/// </summary>
public sealed class RegistryUpdateRequest
{
    /// <summary>The scope of the entry to update.</summary>
    public required string Scope { get; init; }

    /// <summary>The account; null for <see cref="RegistryCredentialsOptions.Account"/>.</summary>
    public string? Account { get; init; }

    /// <summary>A new user name, or null to keep it.</summary>
    public string? Username { get; init; }

    /// <summary>A new password, or null to keep the stored one.</summary>
    public RegistrySecret? Password { get; init; }

    /// <summary>A new type, or null to keep it.</summary>
    public RegistryType? Type { get; init; }

    /// <summary>A new display name, or null to keep it.</summary>
    public string? Name { get; init; }

    /// <summary>A new e-mail address, empty to remove it, or null to keep it.</summary>
    public string? Email { get; init; }

    /// <summary>New TLS verification, or null to keep it.</summary>
    public bool? VerifyTls { get; init; }

    /// <summary>New plain-HTTP setting, or null to keep it.</summary>
    public bool? InsecureHttp { get; init; }

    /// <summary>New PEM CA certificates, empty to remove them, or null to keep them.</summary>
    public string? CaCertificates { get; init; }

    /// <summary>Whether the credential is checked against the registry before it is stored. Default true.</summary>
    public bool Validate { get; init; } = true;

    /// <summary>When given, update only if the stored entry is still at this version.</summary>
    public long? ExpectedVersion { get; init; }

    /// <summary>Describes the request without the password.</summary>
    /// <returns>The scope.</returns>
    public override string ToString() => $"update {Scope}" + (Password is null ? string.Empty : " (new password)");
}
