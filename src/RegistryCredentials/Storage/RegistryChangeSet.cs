namespace RegistryCredentials;

/// <summary>
/// What <see cref="IRegistryChangeFeed.GetChangesAsync"/> answers: the changed entries (<see cref="Changes"/>) and policies
/// (<see cref="PolicyChanges"/>) up to a revision, or a gap.
/// </summary>
public sealed class RegistryChangeSet
{
    private RegistryChangeSet(long revision, IReadOnlyList<RegistryChange> changes, IReadOnlyList<RegistryPolicyChange> policyChanges, bool isGap)
    {
        Revision = revision;
        Changes = changes;
        PolicyChanges = policyChanges;
        IsGap = isGap;
    }

    /// <summary>The store's revision the set was read at: a reader that applies it has applied everything up to it.</summary>
    public long Revision { get; }

    /// <summary>The changed entries, each once, ordered by <see cref="RegistryChange.Revision"/>; empty for a gap.</summary>
    public IReadOnlyList<RegistryChange> Changes { get; }

    /// <summary>
    /// The changed policies, each account once, ordered by <see cref="RegistryPolicyChange.Revision"/>; empty for a gap and
    /// for a store whose policy writes are not in its feed. Their revisions and those of <see cref="Changes"/> are distinct
    /// numbers of the same counter.
    /// </summary>
    public IReadOnlyList<RegistryPolicyChange> PolicyChanges { get; }

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
    public static RegistryChangeSet Of(long revision, IReadOnlyList<RegistryChange> changes) => Of(revision, changes, []);

    /// <summary>Creates the changes of entries and policies up to <paramref name="revision"/>.</summary>
    /// <param name="revision">The store's revision when read; 0 or more, and at least each change's.</param>
    /// <param name="changes">The entry changes, each entry once, in revision order.</param>
    /// <param name="policyChanges">The policy changes, each account once, in revision order; no revision shared with an entry change.</param>
    /// <returns>The set.</returns>
    /// <exception cref="ArgumentException">
    /// The changes are out of order, above <paramref name="revision"/>, or a policy change has the revision of an entry change.
    /// </exception>
    public static RegistryChangeSet Of(long revision, IReadOnlyList<RegistryChange> changes, IReadOnlyList<RegistryPolicyChange> policyChanges)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(revision);
        ArgumentNullException.ThrowIfNull(changes);
        ArgumentNullException.ThrowIfNull(policyChanges);
        long previous = 0;
        foreach (var change in changes)
        {
            if (change.Revision <= previous || change.Revision > revision)
            {
                throw new ArgumentException("Changes are in increasing revision order, none above the set's revision.", nameof(changes));
            }

            previous = change.Revision;
        }

        previous = 0;
        var entry = 0;
        foreach (var change in policyChanges)
        {
            if (change.Revision <= previous || change.Revision > revision)
            {
                throw new ArgumentException("Policy changes are in increasing revision order, none above the set's revision.", nameof(policyChanges));
            }

            while (entry < changes.Count && changes[entry].Revision < change.Revision)
            {
                entry++;
            }

            if (entry < changes.Count && changes[entry].Revision == change.Revision)
            {
                throw new ArgumentException("A revision numbers one change: an entry's or a policy's.", nameof(policyChanges));
            }

            previous = change.Revision;
        }

        return new RegistryChangeSet(revision, changes, policyChanges, isGap: false);
    }

    /// <summary>Creates a gap: the changes asked for are not known; read everything again.</summary>
    /// <param name="revision">The store's revision when read; 0 or more.</param>
    /// <returns>The set.</returns>
    public static RegistryChangeSet Gap(long revision)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(revision);
        return new RegistryChangeSet(revision, [], [], isGap: true);
    }
}
