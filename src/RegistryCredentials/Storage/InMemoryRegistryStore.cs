using Microsoft.Extensions.Primitives;

namespace RegistryCredentials;

/// <summary>A thread-safe <see cref="IRegistryStore"/> in process memory: for tests, samples and short-lived processes.</summary>
public sealed class InMemoryRegistryStore : IRegistryStore, IDisposable
{
    private readonly Lock _gate = new();
    private readonly SortedDictionary<(string Account, string Scope), RegistryRecord> _records = new(KeyComparer.Instance);
    private readonly RegistryChangeSignal _changes = new();
    private string[] _keyIds = [];

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
        lock (_gate)
        {
            var key = (entry.Account, entry.Scope.Value);
            if (_records.ContainsKey(key))
            {
                throw new RegistryConflictException(entry.Account, entry.Scope);
            }

            stored = record.WithEntry(entry with { Version = 1 });
            _records.Add(key, stored);
        }

        _changes.Fire();
        return ValueTask.FromResult(stored);
    }

    /// <inheritdoc />
    public ValueTask<RegistryRecord> UpdateAsync(RegistryRecord record, long expectedVersion, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        cancellationToken.ThrowIfCancellationRequested();
        var entry = record.Entry;
        RegistryRecord stored;
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
        }

        _changes.Fire();
        return ValueTask.FromResult(stored);
    }

    /// <inheritdoc />
    public ValueTask<bool> DeleteAsync(string account, RegistryScope scope, long? expectedVersion = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(scope);
        cancellationToken.ThrowIfCancellationRequested();
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
        }

        _changes.Fire();
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

    /// <summary>
    /// Closes the change signal: tokens from <see cref="Watch"/> never fire afterwards (see <see cref="RegistryChangeSignal"/>).
    /// The records stay readable.
    /// </summary>
    public void Dispose() => _changes.Dispose();

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
