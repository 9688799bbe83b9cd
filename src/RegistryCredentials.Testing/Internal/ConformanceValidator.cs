namespace RegistryCredentials.Testing.Internal;

/// <summary>
/// The credential validator of the provider suite's host: answers what the test chose (valid unless told otherwise), so
/// that the manager's validation on add and update asks the provider for a credential without a real registry, and shows
/// the host every credential it was given.
/// </summary>
internal sealed class ConformanceValidator(RegistryProviderTestHost host) : IRegistryCredentialValidator
{
    public ValueTask<RegistryValidationResult> ValidateAsync(RegistryEntry entry, RegistryCredential credential, CancellationToken cancellationToken = default)
    {
        host.Observe(credential);
        return ValueTask.FromResult(host.ValidationResult);
    }
}
