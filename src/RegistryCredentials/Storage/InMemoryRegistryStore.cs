using Microsoft.Extensions.Primitives;

namespace RegistryCredentials;

/// <summary>
/// A thread-safe <see cref="IRegistryStore"/> in process memory: for tests, samples and short-lived processes. It has a
/// change feed (<see cref="IRegistryChangeFeed"/>) that keeps the last <see cref="RetainedChanges"/> changes.
/// </summary>
public sealed partial class InMemoryRegistryStore : IRegistryStore, IRegistryChangeFeed, IDisposable
{
    /// <summary>How many changes the feed keeps by default: 10,000.</summary>
    public const int DefaultRetainedChanges = 10_000;

    private readonly Lock _gate = new();
    private readonly SortedDictionary<(string Account, string Scope), RegistryRecord> _records = new(KeyComparer.Instance);
    private readonly RegistryChangeSignal _changes = new();

    // The feed: _log[i] is the change at revision _firstLogged + i (revisions are dense), trimmed to the newest retained;
    // a null scope is a change of the account's policy.
    private readonly List<(string Account, RegistryScope? Scope)> _log = [];
    private long _firstLogged = 1;
    private long _revision;
    private string[] _keyIds = [];

    /// <summary>Creates an empty store whose feed keeps the last <see cref="DefaultRetainedChanges"/> changes.</summary>
    public InMemoryRegistryStore()
        : this(DefaultRetainedChanges)
    {
    }

    /// <summary>Creates an empty store whose feed keeps the last <paramref name="retainedChanges"/> changes.</summary>
    /// <param name="retainedChanges">How many changes the feed keeps; at least 1. A reader further behind gets a gap.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="retainedChanges"/> is below 1.</exception>
    public InMemoryRegistryStore(int retainedChanges)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(retainedChanges, 1);
        RetainedChanges = retainedChanges;
    }

    /// <summary>How many changes the feed keeps; a reader further behind gets a gap (<see cref="RegistryChangeSet.IsGap"/>).</summary>
    public int RetainedChanges { get; }

    /// <summary>How many records the store holds, in all accounts.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _records.Count;
            }
        }
    }

    /// <inheritdoc />
    public ValueTask<RegistryRecord?> GetAsync(string account, RegistryScope scope, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(scope);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return ValueTask.FromResult(_records.GetValueOrDefault((account, scope.Value)));
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<RegistryRecord>> ListAsync(string? account, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            IReadOnlyList<RegistryRecord> list = account is null
                ? [.. _records.Values]
                : [.. _records.Where(r => string.Equals(r.Key.Account, account, StringComparison.Ordinal)).Select(r => r.Value)];
            return ValueTask.FromResult(list);
        }
    }

    /// <inheritdoc />
    public ValueTask<RegistryRecord> AddAsync(RegistryRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        cancellationToken.ThrowIfCancellationRequested();
        var entry = record.Entry;
        RegistryRecord stored;
        long revision;
        lock (_gate)
        {
            var key = (entry.Account, entry.Scope.Value);
            if (_records.ContainsKey(key))
            {
                throw new RegistryConflictException(entry.Account, entry.Scope);
            }

            stored = record.WithEntry(entry with { Version = 1 });
            _records.Add(key, stored);
            revision = Logged(entry.Account, entry.Scope);
        }

        _changes.Fire(revision);
        return ValueTask.FromResult(stored);
    }

    /// <inheritdoc />
    public ValueTask<RegistryRecord> UpdateAsync(RegistryRecord record, long expectedVersion, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        cancellationToken.ThrowIfCancellationRequested();
        var entry = record.Entry;
        RegistryRecord stored;
        long revision;
        lock (_gate)
        {
            var key = (entry.Account, entry.Scope.Value);
            if (!_records.TryGetValue(key, out var current))
            {
                throw new RegistryNotFoundException(entry.Account, entry.Scope);
            }

            if (current.Entry.Version != expectedVersion)
            {
                throw new RegistryConcurrencyException(entry.Account, entry.Scope, expectedVersion, current.Entry.Version);
            }

            stored = record.WithEntry(entry with { Version = expectedVersion + 1 });
            _records[key] = stored;
            revision = Logged(entry.Account, entry.Scope);
        }

        _changes.Fire(revision);
        return ValueTask.FromResult(stored);
    }

    /// <inheritdoc />
    public ValueTask<bool> DeleteAsync(string account, RegistryScope scope, long? expectedVersion = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(scope);
        cancellationToken.ThrowIfCancellationRequested();
        long revision;
        lock (_gate)
        {
            var key = (account, scope.Value);
            if (!_records.TryGetValue(key, out var current))
            {
                return ValueTask.FromResult(false);
            }

            if (expectedVersion is { } expected && current.Entry.Version != expected)
            {
                throw new RegistryConcurrencyException(account, scope, expected, current.Entry.Version);
            }

            _records.Remove(key);
            revision = Logged(account, scope);
        }

        _changes.Fire(revision);
        return ValueTask.FromResult(true);
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<string>> GetKeyIdsAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return ValueTask.FromResult<IReadOnlyList<string>>(_keyIds);
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> ReplaceKeyIdsAsync(
        IReadOnlyCollection<string> expected,
        IReadOnlyCollection<string> keyIds,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(keyIds);
        if (keyIds.Count == 0)
        {
            throw new ArgumentException("A store's key ids are replaced by at least one.", nameof(keyIds));
        }

        cancellationToken.ThrowIfCancellationRequested();
        string[] replacement = [.. keyIds.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        lock (_gate)
        {
            if (!_keyIds.SequenceEqual(expected.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal), StringComparer.Ordinal))
            {
                return ValueTask.FromResult(false);
            }

            _keyIds = replacement;
            return ValueTask.FromResult(true);
        }
    }

    /// <inheritdoc />
    public IChangeToken Watch() => _changes.Watch();

    /// <inheritdoc />
    public ValueTask<long> GetRevisionAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return ValueTask.FromResult(_revision);
        }
    }

    /// <inheritdoc />
    public ValueTask<RegistryChangeSet> GetChangesAsync(long afterRevision, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(afterRevision);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (afterRevision > _revision || afterRevision < _firstLogged - 1)
            {
                return ValueTask.FromResult(RegistryChangeSet.Gap(_revision));
            }

            // Newest first, each entry and each account's policy once (its last change), then back into revision order.
            var seen = new HashSet<(string, string?)>();
            var changes = new List<RegistryChange>();
            var policyChanges = new List<RegistryPolicyChange>();
            for (var revision = _revision; revision > afterRevision; revision--)
            {
                var (account, scope) = _log[(int)(revision - _firstLogged)];
                if (!seen.Add((account, scope?.Value)))
                {
                    continue;
                }

                if (scope is null)
                {
                    policyChanges.Add(new RegistryPolicyChange(revision, account, _policies.GetValueOrDefault(account)));
                }
                else
                {
                    changes.Add(new RegistryChange(revision, account, scope, _records.GetValueOrDefault((account, scope.Value))));
                }
            }

            changes.Reverse();
            policyChanges.Reverse();
            return ValueTask.FromResult(RegistryChangeSet.Of(_revision, changes, policyChanges));
        }
    }

    /// <summary>
    /// Closes the change signal: tokens from <see cref="Watch"/> never fire afterwards (see <see cref="RegistryChangeSignal"/>).
    /// The records stay readable.
    /// </summary>
    public void Dispose() => _changes.Dispose();

    /// <inheritdoc />
    public bool IncludesPolicyChanges => true;

    /// <summary>Numbers a change under the lock and logs it (a null scope: the account's policy), trimming the log to the retained changes.</summary>
    private long Logged(string account, RegistryScope? scope)
    {
        _log.Add((account, scope));
        if (_log.Count >= 2 * RetainedChanges)
        {
            var drop = _log.Count - RetainedChanges;
            _log.RemoveRange(0, drop);
            _firstLogged += drop;
        }

        return ++_revision;
    }

    private sealed class KeyComparer : IComparer<(string Account, string Scope)>
    {
        public static readonly KeyComparer Instance = new();

        public int Compare((string Account, string Scope) x, (string Account, string Scope) y)
        {
            var c = string.CompareOrdinal(x.Account, y.Account);
            return c != 0 ? c : string.CompareOrdinal(x.Scope, y.Scope);
        }
    }
}
