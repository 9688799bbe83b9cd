
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
        ArgumentNullException.ThrowIfNull(scope);
        var repository = scope.Path.Length == 0 ? ProbeRepository : scope.Path + "/" + ProbeRepository;
        return resolver.ResolveAsync(ImageReference.Parse(scope.Registry + "/" + repository), null, cancellationToken);
    }

    /// <summary>Whether a scope path covers a repository path by whole segments.</summary>
    public static bool PathCovers(string prefix, string path) =>
        prefix.Length == 0
        || string.Equals(prefix, path, StringComparison.Ordinal)
        || path.StartsWith(prefix + "/", StringComparison.Ordinal);
}
