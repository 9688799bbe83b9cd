namespace RegistryCredentials;

/// <summary>
/// What an <see cref="IRegistryStore"/> keeps for one entry: the entry and its secret as protected
/// (encrypted) bytes from <see cref="ISecretProtector"/>. A store never sees the secret in clear.
/// </summary>
public sealed class RegistryRecord
{
    /// <summary>Creates a record.</summary>
    /// <param name="entry">The entry.</param>
    /// <param name="protectedSecret">The protected secret; not empty.</param>
    public RegistryRecord(RegistryEntry entry, ReadOnlyMemory<byte> protectedSecret)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (protectedSecret.IsEmpty)
        {
            throw new ArgumentException("A record needs its protected secret.", nameof(protectedSecret));
        }

        Entry = entry;
        ProtectedSecret = protectedSecret;
    }

    /// <summary>The entry.</summary>
    public RegistryEntry Entry { get; }

    /// <summary>The secret, as protected by <see cref="ISecretProtector"/>.</summary>
    public ReadOnlyMemory<byte> ProtectedSecret { get; }

    /// <summary>Returns a copy with another entry and the same secret.</summary>
    /// <param name="entry">The new entry.</param>
    /// <returns>The new record.</returns>
    public RegistryRecord WithEntry(RegistryEntry entry) => new(entry, ProtectedSecret);

    /// <summary>Describes the entry; never the secret.</summary>
    /// <returns>The entry's description.</returns>
    public override string ToString() => Entry.ToString();
}
