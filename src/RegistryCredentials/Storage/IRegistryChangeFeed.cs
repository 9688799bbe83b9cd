namespace RegistryCredentials;

/// <summary>
/// The revision-numbered change feed of an <see cref="IRegistryStore"/>: optional. A store that implements it numbers
/// every committed change of an entry with a revision (per store, strictly increasing, one per change) and tells a reader
/// what changed after a revision it read, so that the resolver applies a change by touching only that entry.
/// </summary>
/// <remarks>
/// <para>
/// <b>Contract.</b> Revisions start above 0 and rise by one per committed change of an entry (add, update, delete, in any
/// account); changes commit in revision order, so a reader never sees revision <c>n + 1</c> without <c>n</c>.
/// <see cref="GetChangesAsync"/> returns every entry changed after the revision asked for, each once, ordered by the
/// revision of its last change, with the entry as it is at <see cref="RegistryChangeSet.Revision"/> (null when deleted).
/// When the store no longer keeps the changes after that revision (trimmed by age or count), or its revision is lower than
/// the one asked for (the data was replaced), it answers with <see cref="RegistryChangeSet.IsGap"/> and the reader reads
/// everything again. Key ids are not entries and have no revision. Every member is thread-safe.
/// </para>
/// <para>
/// <b>Policies.</b> A store that also keeps policies (<see cref="IRegistryPolicyStore"/>) numbers every committed policy
/// write from the same counter, in the same transaction as the write, and answers them in
/// <see cref="RegistryChangeSet.PolicyChanges"/> (each account once, the policy as it is at the set's revision), trimmed
/// like the entry changes. A store whose feed leaves policy writes out (an older custom store) still works: the resolver
/// then reads the policy table again after each signalled change (see <c>docs/change-feed.md</c>).
/// </para>
/// <para>
/// <b>Fallback.</b> A store that does not implement this interface keeps working as before: the resolver reads every entry
/// again (<see cref="IRegistryStore.ListAsync"/>) after each change its <see cref="IRegistryStore.Watch"/> token signals, off
/// the caller's path. The <c>RegistryCredentials.Testing</c> conformance suite checks the feed of a store that has one.
/// </para>
/// </remarks>
public interface IRegistryChangeFeed
{
    /// <summary>Gets the store's current revision: that of its last committed change, 0 when it has none.</summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The revision.</returns>
    ValueTask<long> GetRevisionAsync(CancellationToken cancellationToken = default);

    /// <summary>Gets the entries changed after <paramref name="afterRevision"/>, or a gap when the store cannot tell.</summary>
    /// <param name="afterRevision">The revision the reader has applied (0 or more).</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The changes, up to the store's revision when read.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="afterRevision"/> is negative.</exception>
    ValueTask<RegistryChangeSet> GetChangesAsync(long afterRevision, CancellationToken cancellationToken = default);

    /// <summary>
    /// True when the feed numbers policy writes too and answers them in <see cref="RegistryChangeSet.PolicyChanges"/>; false
    /// (the default) for a feed of entries only, whose reader then reads the store's policies again after each change.
    /// </summary>
    bool IncludesPolicyChanges => false;
}
