namespace RegistryCredentials;

/// <summary>One entry changed in a store's change feed (<see cref="IRegistryChangeFeed"/>): the entry as it now is, or its deletion.</summary>
public sealed class RegistryChange
{
    /// <summary>Creates a change.</summary>
    /// <param name="revision">The revision of the entry's last change; above 0.</param>
    /// <param name="account">The account.</param>
    /// <param name="scope">The scope.</param>
    /// <param name="record">The record as it is now, with the same account and scope; null when the entry was deleted.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="revision"/> is not above 0.</exception>
    /// <exception cref="ArgumentException"><paramref name="record"/> is of another account or scope.</exception>
    public RegistryChange(long revision, string account, RegistryScope scope, RegistryRecord? record)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(revision);
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(scope);
        if (record is not null && (!string.Equals(record.Entry.Account, account, StringComparison.Ordinal) || record.Entry.Scope != scope))
        {
            throw new ArgumentException("A change's record has the change's account and scope.", nameof(record));
        }

        Revision = revision;
        Account = account;
        Scope = scope;
        Record = record;
    }

    /// <summary>The revision of the entry's last change.</summary>
    public long Revision { get; }

    /// <summary>The account.</summary>
    public string Account { get; }

    /// <summary>The scope.</summary>
    public RegistryScope Scope { get; }

    /// <summary>The record as it is now; null when the entry was deleted.</summary>
    public RegistryRecord? Record { get; }

    /// <summary>True when the entry was deleted.</summary>
    public bool IsDeletion => Record is null;

    /// <summary>Describes the change; never the secret.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => $"{Revision}: {Account}/{Scope} {(Record is null ? "deleted" : "v" + Record.Entry.Version)}";
}
