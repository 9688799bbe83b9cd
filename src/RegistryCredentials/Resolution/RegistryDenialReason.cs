namespace RegistryCredentials;

/// <summary>Why a resolution was denied.</summary>
public enum RegistryDenialReason
{
    /// <summary>Not denied.</summary>
    None,

    /// <summary>The registry is not on the configured allow-list (<see cref="RegistryCredentialsOptions.AllowedRegistries"/>).</summary>
    RegistryNotAllowed,

    /// <summary>The most specific matching entry is deactivated.</summary>
    EntryInactive,

    /// <summary>The matching entry's type has no registered <see cref="RegistryCredentialProvider"/>.</summary>
    NoProvider,
}
