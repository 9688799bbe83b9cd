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

    /// <summary>Refuses a user name with <c>:</c>, which HTTP Basic authentication cannot carry.</summary>
    /// <param name="entry">The entry about to be stored.</param>
    /// <param name="secret">Its secret.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A completed task when the check passed.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="entry"/> or <paramref name="secret"/> is null.</exception>
    /// <exception cref="RegistryCredentialsException">
    /// <see cref="RegistryErrorReason.InvalidEntry"/>, <see cref="RegistryCredentialsException.Field"/> <c>Username</c>: the user name contains <c>:</c>.
    /// </exception>
    public override ValueTask CheckEntryAsync(RegistryEntry entry, RegistrySecret secret, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(secret);
        if (entry.Username.Contains(':', StringComparison.Ordinal))
        {
            throw new RegistryCredentialsException(
                RegistryErrorReason.InvalidEntry,
                "A docker_v2 user name cannot contain ':' (HTTP Basic authentication separates user and password with it).",
                null)
            {
                Field = nameof(RegistryEntry.Username),
            };
        }

        return ValueTask.CompletedTask;
    }
}
