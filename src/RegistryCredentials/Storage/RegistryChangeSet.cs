namespace RegistryCredentials;

/// <summary>What <see cref="IRegistryChangeFeed.GetChangesAsync"/> answers: the changed entries up to a revision, or a gap.</summary>
public sealed class RegistryChangeSet
{
    private RegistryChangeSet(long revision, IReadOnlyList<RegistryChange> changes, bool isGap)
    {
        Revision = revision;
        Changes = changes;
        IsGap = isGap;
    }

    /// <summary>The store's revision the set was read at: a reader that applies it has applied everything up to it.</summary>
    public long Revision { get; }

    /// <summary>The changed entries, each once, ordered by <see cref="RegistryChange.Revision"/>; empty for a gap.</summary>
    public IReadOnlyList<RegistryChange> Changes { get; }

    /// <summary>
    /// True when the store cannot tell what changed after the revision asked for (those changes were trimmed, or the store's
    /// revision is lower than it): read every entry again, as of <see cref="Revision"/> or later.
    /// </summary>
    public bool IsGap { get; }

    /// <summary>Creates the changes up to <paramref name="revision"/>.</summary>
    /// <param name="revision">The store's revision when read; 0 or more, and at least each change's.</param>
    /// <param name="changes">The changes, each entry once, in revision order.</param>
    /// <returns>The set.</returns>
    /// <exception cref="ArgumentException">The changes are out of order or above <paramref name="revision"/>.</exception>
    public static RegistryChangeSet Of(long revision, IReadOnlyList<RegistryChange> changes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(revision);
        ArgumentNullException.ThrowIfNull(changes);
        long previous = 0;
        foreach (var change in changes)
        {
            if (change.Revision <= previous || change.Revision > revision)
            {
                throw new ArgumentException("Changes are in increasing revision order, none above the set's revision.", nameof(changes));
            }

            previous = change.Revision;
        }

        return new RegistryChangeSet(revision, changes, isGap: false);
    }

    /// <summary>Creates a gap: the changes asked for are not known; read everything again.</summary>
    /// <param name="revision">The store's revision when read; 0 or more.</param>
    /// <returns>The set.</returns>
    public static RegistryChangeSet Gap(long revision)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(revision);
        return new RegistryChangeSet(revision, [], isGap: true);
    }
}
