namespace RegistryCredentials;

/// <summary>The outcome of resolving an image reference.</summary>
public enum RegistryResolutionKind
{
    /// <summary>No entry matches: pull anonymously.</summary>
    Anonymous,

    /// <summary>An entry matches: use <see cref="RegistryResolution.Credential"/>.</summary>
    Credential,

    /// <summary>The pull must not happen; <see cref="RegistryResolution.DenialReason"/> says why.</summary>
    Denied,
}
