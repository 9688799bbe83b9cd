namespace RegistryCredentials.Internal;

/// <summary>One entry in a resolver index snapshot, with its credential once made (for non-expiring credentials).</summary>
internal sealed class IndexEntry(RegistryRecord record)
{
    public RegistryRecord Record { get; } = record;

    public RegistryEntry Entry => Record.Entry;

    /// <summary>The decrypted secret, kept for the life of the snapshot.</summary>
    public RegistrySecret? Secret { get; set; }

    /// <summary>A credential without expiry, reused until the entry changes.</summary>
    public RegistryCredential? Credential { get; set; }
}
