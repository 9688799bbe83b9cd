using System.Collections.Concurrent;

namespace RegistryCredentials.Internal;

/// <summary>
/// The resolver's index of every entry: exact hosts in a concurrent map of immutable host nodes, glob hosts in an
/// immutable label trie per account, paths in each node's <see cref="PathIndex"/>. A lookup costs O(labels + path depth)
/// whatever the number of entries, takes no lock and allocates nothing.
/// </summary>
/// <remarks>
/// Built whole only at start, after a gap in the store's feed, or on demand (<see cref="Build"/>); after that each change is
/// applied by <see cref="Apply"/> copy-on-write: a new node for the one host it touches (its few entries copied, the others'
/// cached secrets and credentials kept), swapped in atomically, so the work and the allocation of a change depend on the
/// entries of that host, not on the number of entries. Readers see each host node before or after a change, never half.
/// One writer at a time (the resolver's update gate); any number of readers.
/// </remarks>
internal sealed class ResolverIndex
{
    private readonly ConcurrentDictionary<string, AccountIndex> _accounts = new(StringComparer.Ordinal);
    private readonly bool _skipInactive;
    private volatile AccountIndex? _defaultAccount;
    private int _count;

    // For an index loaded on demand: the (account, lower-case registry) pairs whose host node and the account's globs were
    // read from the store; null for an index built from every entry.
    private readonly ConcurrentDictionary<(string Account, string Registry), bool>? _loaded;

    private ResolverIndex(bool skipInactive, long? revision, bool onDemand = false)
    {
        _skipInactive = skipInactive;
        Revision = revision;
        _loaded = onDemand ? new() : null;
    }

    /// <summary>
    /// An empty index whose registries are loaded on demand (<see cref="IsLoaded"/>, <see cref="Load"/>); changes are applied
    /// to it as to a full one.
    /// </summary>
    public static ResolverIndex CreateOnDemand(bool skipInactive, long? revision) => new(skipInactive, revision, onDemand: true);

    /// <summary>
    /// True when a lookup of <paramref name="registry"/> in <paramref name="account"/> can be answered: always for an index of
    /// every entry; for one loaded on demand, once <see cref="Load"/> read that registry.
    /// </summary>
    public bool IsLoaded(string account, string registry) =>
        _loaded is null || _loaded.ContainsKey((account, LowerCase(registry)));

    /// <summary>
    /// Puts what the store holds for one registry of one account (<see cref="IRegistryHostQuery.ListForRegistryAsync"/>: the
    /// registry's entries and every glob host) in place of the index's host node and glob node of that account, and marks
    /// the registry loaded. Under the same single-writer rule as <see cref="Apply"/>.
    /// </summary>
    public void Load(string account, string registry, IReadOnlyList<RegistryRecord> records)
    {
        registry = LowerCase(registry);
        var exact = new List<IndexEntry>();
        var globs = new List<IndexEntry>();
        foreach (var record in records)
        {
            var entry = record.Entry;
            if (!string.Equals(entry.Account, account, StringComparison.Ordinal) || (_skipInactive && !entry.IsActive))
            {
                continue;
            }

            if (entry.Scope.IsGlob)
            {
                globs.Add(new IndexEntry(record));
            }
            else if (string.Equals(entry.Scope.Registry, registry, StringComparison.Ordinal))
            {
                exact.Add(new IndexEntry(record));
            }
        }

        var index = GetOrAddAccount(account);
        var delta = index.Load(registry, [.. exact], [.. globs]);
        Interlocked.Add(ref _count, delta);
        _loaded?.TryAdd((account, registry), true);
    }

    /// <summary>The store revision the index has applied; null for a store without a change feed.</summary>
    public long? Revision { get; set; }

    /// <summary>How many entries the index holds.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Builds an index of <paramref name="records"/>, read at <paramref name="revision"/> (null without a feed).</summary>
    public static ResolverIndex Build(IReadOnlyList<RegistryRecord> records, bool skipInactive, long? revision)
    {
        var index = new ResolverIndex(skipInactive, revision);
        var byAccount = new Dictionary<string, List<IndexEntry>>(StringComparer.Ordinal);
        foreach (var record in records)
        {
            if (skipInactive && !record.Entry.IsActive)
            {
                continue;
            }

            if (!byAccount.TryGetValue(record.Entry.Account, out var list))
            {
                list = [];
                byAccount.Add(record.Entry.Account, list);
            }

            list.Add(new IndexEntry(record));
        }

        foreach (var (account, entries) in byAccount)
        {
            index.SetAccount(account, AccountIndex.Build(entries));
            index._count += entries.Count;
        }

        return index;
    }

    /// <summary>
    /// The policies stored (per account and global), as the last read of the policy table found them; replaced whole,
    /// never changed in place.
    /// </summary>
    public PolicyTable Policies { get; set; } = PolicyTable.Empty;

    public IndexEntry? Find(string account, string registry, string host, int? port, ReadOnlySpan<char> repository)
    {
        // The default account (nearly every lookup) is held in a field: one map lookup less on the hot path.
        var index = string.Equals(account, RegistryAccounts.Default, StringComparison.Ordinal) ? _defaultAccount : null;
        if (index is null && !_accounts.TryGetValue(account, out index))
        {
            return null;
        }

        // The index keys hosts lower-cased and compares them ordinally (cheaper than ignoring case on every lookup). A
        // parsed reference's host is lower-case except a single-label host written in capitals (kept as written, since
        // lower-casing would make it a Docker Hub path); that rare case is lower-cased here, as ignoring case did.
        if (registry.AsSpan().ContainsAnyInRange('A', 'Z'))
        {
            registry = registry.ToLowerInvariant(); // the host is part of the registry: one scan tells for both
            host = host.ToLowerInvariant();
        }

        return index.Find(registry, host, port, repository);
    }

    /// <summary>
    /// Puts the entry of <paramref name="account"/> and <paramref name="scope"/> into the state <paramref name="record"/>
    /// (null: absent), copying only the node of its host. A record no newer than the one held (the same entry, created at
    /// the same time, at the same or a lower version) changes nothing: a change applied twice (the manager's, then the
    /// feed's) keeps the entry's cached secret and credential, and a state read before a newer one was applied never
    /// replaces it.
    /// </summary>
    public void Apply(string account, RegistryScope scope, RegistryRecord? record)
    {
        if (record is not null && _skipInactive && !record.Entry.IsActive)
        {
            record = null;
        }

        if (!_accounts.TryGetValue(account, out var index))
        {
            if (record is null)
            {
                return;
            }

            index = GetOrAddAccount(account);
        }

        var delta = index.Apply(scope, record);
        if (delta != 0)
        {
            Interlocked.Add(ref _count, delta);
        }
    }

    /// <summary>The string itself when it has no capital ASCII letter (every parsed host but a rare one), else its lower case.</summary>
    private static string LowerCase(string value) => value.AsSpan().ContainsAnyInRange('A', 'Z') ? value.ToLowerInvariant() : value;

    private AccountIndex GetOrAddAccount(string account)
    {
        var index = _accounts.GetOrAdd(account, static _ => new AccountIndex());
        if (string.Equals(account, RegistryAccounts.Default, StringComparison.Ordinal))
        {
            _defaultAccount = index;
        }

        return index;
    }

    private void SetAccount(string account, AccountIndex index)
    {
        _accounts[account] = index;
        if (string.Equals(account, RegistryAccounts.Default, StringComparison.Ordinal))
        {
            _defaultAccount = index;
        }
    }

    /// <summary>Every record the index holds, for checks and diagnostics (not the hot path).</summary>
    public IEnumerable<RegistryRecord> Records() => _accounts.Values.SelectMany(a => a.Entries()).Select(e => e.Record);

    private sealed class AccountIndex
    {
        // Keyed by the scope's registry, which parsing lower-cases; lookups lower-case theirs first (ResolverIndex.Find).
        private readonly ConcurrentDictionary<string, HostNode> _exact = new(StringComparer.Ordinal);
        private volatile GlobNode? _globs;

        public static AccountIndex Build(List<IndexEntry> entries)
        {
            var index = new AccountIndex();
            var exact = new Dictionary<string, List<IndexEntry>>(StringComparer.Ordinal);
            var globs = new List<IndexEntry>();
            foreach (var entry in entries)
            {
                var scope = entry.Entry.Scope;
                if (scope.IsGlob)
                {
                    globs.Add(entry);
                    continue;
                }

                if (!exact.TryGetValue(scope.Registry, out var list))
                {
                    list = [];
                    exact.Add(scope.Registry, list);
                }

                list.Add(entry);
            }

            foreach (var (registry, list) in exact)
            {
                index._exact[registry] = new HostNode([.. list]);
            }

            index._globs = globs.Count == 0 ? null : new GlobNode([.. globs]);
            return index;
        }

        /// <summary>Replaces the node of <paramref name="registry"/> and the glob node; returns how the number of entries changed.</summary>
        public int Load(string registry, IndexEntry[] exact, IndexEntry[] globs)
        {
            var before = (_exact.TryGetValue(registry, out var node) ? node.Entries.Length : 0) + (_globs?.Entries.Length ?? 0);
            if (exact.Length == 0)
            {
                _exact.TryRemove(registry, out _);
            }
            else
            {
                _exact[registry] = new HostNode(exact);
            }

            _globs = globs.Length == 0 ? null : new GlobNode(globs);
            return exact.Length + globs.Length - before;
        }

        public IndexEntry? Find(string registry, string host, int? port, ReadOnlySpan<char> repository)
        {
            // An exact host beats any glob host, whatever the path lengths.
            if (_exact.TryGetValue(registry, out var node))
            {
                var hit = node.Paths.FindLongest(repository, out _);
                if (hit is not null)
                {
                    return hit;
                }
            }

            return _globs?.Trie.Find(host, port, repository);
        }

        /// <summary>Applies one change; returns how the number of entries changed (-1, 0 or +1).</summary>
        public int Apply(RegistryScope scope, RegistryRecord? record)
        {
            if (scope.IsGlob)
            {
                var current = _globs;
                var (entries, delta) = Replace(current?.Entries ?? [], scope, record);
                if (entries is not null)
                {
                    _globs = entries.Length == 0 ? null : new GlobNode(entries);
                }

                return delta;
            }

            _exact.TryGetValue(scope.Registry, out var node);
            var (replaced, change) = Replace(node?.Entries ?? [], scope, record);
            if (replaced is null)
            {
                return 0;
            }

            if (replaced.Length == 0)
            {
                _exact.TryRemove(scope.Registry, out _);
            }
            else
            {
                _exact[scope.Registry] = new HostNode(replaced);
            }

            return change;
        }

        public IEnumerable<IndexEntry> Entries() =>
            _exact.Values.SelectMany(n => n.Entries).Concat(_globs?.Entries ?? []);

        /// <summary>
        /// The entries of one node with the scope's entry put into the state <paramref name="record"/>; null when nothing
        /// changes (same version held, or absent and still absent). The other entries are kept as they are, caches and all.
        /// </summary>
        private static (IndexEntry[]? Entries, int Delta) Replace(IndexEntry[] entries, RegistryScope scope, RegistryRecord? record)
        {
            var at = Array.FindIndex(entries, e => e.Entry.Scope == scope);
            if (at < 0)
            {
                return record is null ? (null, 0) : ([.. entries, new IndexEntry(record)], 1);
            }

            if (record is null)
            {
                return ([.. entries[..at], .. entries[(at + 1)..]], -1);
            }

            if (ReferenceEquals(entries[at].Record, record) || NotNewer(entries[at].Entry, record.Entry))
            {
                return (null, 0);
            }

            var copy = (IndexEntry[])entries.Clone();
            copy[at] = new IndexEntry(record);
            return (copy, 0);
        }

        /// <summary>A scope's version rises with every update of one entry; its creation time tells a re-added entry apart.</summary>
        private static bool NotNewer(RegistryEntry held, RegistryEntry incoming) =>
            held.CreatedOn == incoming.CreatedOn && held.Version >= incoming.Version;
    }

    /// <summary>The entries of one exact host (all ports and paths of its registry name), immutable once built.</summary>
    private sealed class HostNode
    {
        public HostNode(IndexEntry[] entries)
        {
            Entries = entries;
            Paths = new PathIndex();
            foreach (var entry in entries)
            {
                Paths.Add(entry);
            }
        }

        public IndexEntry[] Entries { get; }

        public PathIndex Paths { get; }
    }

    /// <summary>The glob-host entries of one account and their trie, immutable once built (rebuilt when one changes).</summary>
    private sealed class GlobNode
    {
        public GlobNode(IndexEntry[] entries)
        {
            Entries = entries;
            Trie = new GlobHostIndex();
            foreach (var entry in entries)
            {
                Trie.Add(entry);
            }
        }

        public IndexEntry[] Entries { get; }

        public GlobHostIndex Trie { get; }
    }
}
