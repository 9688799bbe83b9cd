using Microsoft.Extensions.Primitives;

namespace RegistryCredentials.Internal;

/// <summary>
/// An immutable snapshot of every entry, built when the store signals a change: exact hosts in a dictionary,
/// glob hosts in a label trie, paths in per-host dictionaries walked by prefix. A lookup costs
/// O(labels + path depth) whatever the number of entries.
/// </summary>
internal sealed class ResolverIndex
{
    private readonly Dictionary<string, AccountIndex> _accounts = new(StringComparer.Ordinal);

    public ResolverIndex(IReadOnlyList<RegistryRecord> records, IChangeToken changeToken, bool skipInactive)
    {
        ChangeToken = changeToken;
        foreach (var record in records)
        {
            if (skipInactive && !record.Entry.IsActive)
            {
                continue;
            }

            if (!_accounts.TryGetValue(record.Entry.Account, out var account))
            {
                account = new AccountIndex();
                _accounts.Add(record.Entry.Account, account);
            }

            account.Add(new IndexEntry(record));
        }

        Count = records.Count;
    }

    public IChangeToken ChangeToken { get; }

    public int Count { get; }

    /// <summary>The policies stored when the snapshot was read.</summary>
    public PolicyTable Policies { get; init; } = PolicyTable.Empty;

    public IndexEntry? Find(string account, string registry, string host, int? port, ReadOnlySpan<char> repository) =>
        _accounts.TryGetValue(account, out var index) ? index.Find(registry, host, port, repository) : null;

    private sealed class AccountIndex
    {
        private readonly Dictionary<string, PathIndex> _exact = new(StringComparer.OrdinalIgnoreCase);
        private GlobHostIndex? _globs;

        public void Add(IndexEntry entry)
        {
            var scope = entry.Entry.Scope;
            if (scope.IsGlob)
            {
                (_globs ??= new GlobHostIndex()).Add(entry);
                return;
            }

            if (!_exact.TryGetValue(scope.Registry, out var paths))
            {
                paths = new PathIndex();
                _exact.Add(scope.Registry, paths);
            }

            paths.Add(entry);
        }

        public IndexEntry? Find(string registry, string host, int? port, ReadOnlySpan<char> repository)
        {
            // An exact host beats any glob host, whatever the path lengths.
            if (_exact.TryGetValue(registry, out var paths))
            {
                var hit = paths.FindLongest(repository, out _);
                if (hit is not null)
                {
                    return hit;
                }
            }

            return _globs?.Find(host, port, repository);
        }
    }
}
