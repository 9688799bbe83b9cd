namespace RegistryCredentials;

/// <summary>Conveniences over <see cref="IRegistryCredentialResolver"/>.</summary>
public static class RegistryCredentialResolverExtensions
{
    /// <summary>Parses and resolves a reference such as <c>nginx</c> or <c>quay.io/ns/app:1.2</c>.</summary>
    /// <param name="resolver">The resolver.</param>
    /// <param name="image">The reference text.</param>
    /// <param name="account">The account whose entries apply; null for the configured one.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The resolution.</returns>
    /// <exception cref="ImageReferenceFormatException">The text is not a valid reference.</exception>
    public static ValueTask<RegistryResolution> ResolveAsync(
        this IRegistryCredentialResolver resolver,
        string image,
        string? account = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(resolver);
        return resolver.ResolveAsync(ImageReference.Parse(image), account, cancellationToken);
    }
}
