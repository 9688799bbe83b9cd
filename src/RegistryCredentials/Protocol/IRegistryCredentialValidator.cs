namespace RegistryCredentials;

/// <summary>Checks a credential against its registry (a <c>/v2/</c> ping answered with a Basic or Bearer challenge).</summary>
public interface IRegistryCredentialValidator
{
    /// <summary>Checks whether the registry accepts the credential.</summary>
    /// <param name="entry">The entry, with its scope, type and TLS settings.</param>
    /// <param name="credential">The credential its provider made from the secret.</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <returns>What was found; never throws for a rejecting or unreachable registry.</returns>
    ValueTask<RegistryValidationResult> ValidateAsync(RegistryEntry entry, RegistryCredential credential, CancellationToken cancellationToken = default);
}
