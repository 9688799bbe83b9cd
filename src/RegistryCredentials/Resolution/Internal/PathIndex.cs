namespace RegistryCredentials.Internal;

/// <summary>The entries of one host pattern and port, keyed by path prefix ("" for the whole registry).</summary>
internal sealed class PathIndex
{
    private readonly Dictionary<string, IndexEntry> _byPath = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IndexEntry>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    public PathIndex() => _lookup = _byPath.GetAlternateLookup<ReadOnlySpan<char>>();

    public void Add(IndexEntry entry) => _byPath[entry.Entry.Scope.Path] = entry;

    /// <summary>Finds the entry with the longest whole-segment path prefix of <paramref name="repository"/>.</summary>
    /// <returns>The entry and the length of its path (0 for a whole-registry entry), or null.</returns>
    public IndexEntry? FindLongest(ReadOnlySpan<char> repository, out int pathLength)
    {
        var candidate = repository;
        while (!candidate.IsEmpty)
        {
            if (_lookup.TryGetValue(candidate, out var hit))
            {
                pathLength = candidate.Length;
                return hit;
            }

            var slash = candidate.LastIndexOf('/');
            candidate = slash < 0 ? default : candidate[..slash];
        }

        pathLength = 0;
        return _lookup.TryGetValue(ReadOnlySpan<char>.Empty, out var whole) ? whole : null;
    }
}
