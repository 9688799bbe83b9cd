
namespace RegistryCredentials.Cli.Interop;

/// <summary>
/// Resolves the credential of a scope rather than of an image (the helper protocol and <c>export --all</c> ask per
/// registry): the resolver is asked for a probe repository inside the scope, so the allow-list, deactivation and providers
/// apply exactly as for a pull.
/// </summary>
internal static class CredentialLookup
{
    /// <summary>Two segments, so that Docker Hub adds no <c>library/</c>.</summary>
    public const string ProbeRepository = "regcred-probe/scope";

    /// <exception cref="ImageReferenceFormatException">The scope has glob host labels (no image can be named there).</exception>
    public static ValueTask<RegistryResolution> ResolveScopeAsync(
        IRegistryCredentialResolver resolver,
        RegistryScope scope,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(resolver);
        return resolver.ResolveAsync(ProbeImage(scope), null, cancellationToken);
    }

    /// <summary>The probe image inside a scope: the allow-list, deactivation and providers apply to it as to a pull there.</summary>
    /// <exception cref="ImageReferenceFormatException">The scope has glob host labels (no image can be named there).</exception>
    public static ImageReference ProbeImage(RegistryScope scope)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var repository = scope.Kind switch
        {
            RegistryScopeKind.Registry => ProbeRepository,
            RegistryScopeKind.Repository => scope.Path,
            _ => scope.Path + "/" + ProbeRepository,
        };
        return ImageReference.Parse(scope.Registry + "/" + repository);
    }

    /// <summary>
    /// Whether an entry's scope covers everything another scope (asked for by a server address) covers: the registry
    /// covers all; a subtree covers itself, the subtrees and repositories below it; a repository covers only itself.
    /// </summary>
    public static bool Covers(RegistryScope entry, RegistryScope asked)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(asked);
        return entry.Kind switch
        {
            RegistryScopeKind.Registry => true,
            RegistryScopeKind.Repository => asked.Kind == RegistryScopeKind.Repository && string.Equals(entry.Path, asked.Path, StringComparison.Ordinal),
            _ => asked.Kind != RegistryScopeKind.Registry
                && ((asked.Kind == RegistryScopeKind.Subtree && string.Equals(entry.Path, asked.Path, StringComparison.Ordinal))
                    || asked.Path.StartsWith(entry.Path + "/", StringComparison.Ordinal)),
        };
    }
}
