namespace RegistryCredentials;

/// <summary>What a <see cref="RegistryScope"/> covers, as Anchore Enterprise defines repository-path credentials.</summary>
public enum RegistryScopeKind
{
    /// <summary><c>host[:port]</c> (or <c>host[:port]/*</c>): every repository of the registry.</summary>
    Registry,

    /// <summary><c>host[:port]/path</c>: exactly the one repository <c>path</c>.</summary>
    Repository,

    /// <summary>
    /// <c>host[:port]/path/*</c>: every repository below <c>path</c>, by whole segments, not <c>path</c> itself.
    /// </summary>
    Subtree,
}
