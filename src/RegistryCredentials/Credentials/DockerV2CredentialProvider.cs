namespace RegistryCredentials;

/// <summary>The built-in provider for <see cref="RegistryType.DockerV2"/>: hands out the stored user name and password.</summary>
public sealed class DockerV2CredentialProvider : RegistryCredentialProvider
{
    /// <inheritdoc />
    public override RegistryType Type => RegistryType.DockerV2;

    /// <inheritdoc />
    public override ValueTask<RegistryCredential> GetCredentialAsync(RegistryEntry entry, RegistrySecret secret, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return ValueTask.FromResult(RegistryCredential.FromUsernamePassword(entry.Username, secret));
    }

    /// <inheritdoc />
    public override ValueTask CheckEntryAsync(RegistryEntry entry, RegistrySecret secret, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (entry.Username.Contains(':', StringComparison.Ordinal))
        {
            throw new ArgumentException("A docker_v2 user name cannot contain ':' (HTTP Basic authentication separates user and password with it).", nameof(entry));
        }

        return ValueTask.CompletedTask;
    }
}
