namespace RegistryCredentials.Internal;

/// <summary>
/// The entries of one host pattern and port: exact repositories and subtree roots, each keyed by path, and the
/// whole-registry entry.
/// </summary>
internal sealed class PathIndex
{
    private readonly Dictionary<string, IndexEntry> _repositories = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IndexEntry>.AlternateLookup<ReadOnlySpan<char>> _repositoryLookup;
    private readonly Dictionary<string, IndexEntry> _subtrees = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IndexEntry>.AlternateLookup<ReadOnlySpan<char>> _subtreeLookup;
    private IndexEntry? _registry;

    public PathIndex()
    {
        _repositoryLookup = _repositories.GetAlternateLookup<ReadOnlySpan<char>>();
        _subtreeLookup = _subtrees.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public void Add(IndexEntry entry)
    {
        var scope = entry.Entry.Scope;
        switch (scope.Kind)
        {
            case RegistryScopeKind.Registry:
                _registry = entry;
                break;
            case RegistryScopeKind.Repository:
                _repositories[scope.Path] = entry;
                break;
            default:
                _subtrees[scope.Path] = entry;
                break;
        }
    }

    /// <summary>
    /// Finds the most specific entry for <paramref name="repository"/>: the exact repository, else the subtree with the
    /// longest root above it (whole segments), else the whole registry.
    /// </summary>
    /// <param name="repository">The repository path.</param>
    /// <param name="specificity">
    /// How specific the hit is, for comparing hits across host patterns: the repository's length for an exact hit, the
    /// root's length (always shorter) for a subtree, 0 for the whole registry.
    /// </param>
    /// <returns>The entry, or null.</returns>
    public IndexEntry? FindLongest(ReadOnlySpan<char> repository, out int specificity)
    {
        if (_repositories.Count > 0 && _repositoryLookup.TryGetValue(repository, out var exact))
        {
            specificity = repository.Length;
            return exact;
        }

        if (_subtrees.Count > 0)
        {
            var root = repository;
            while (true)
            {
                var slash = root.LastIndexOf('/');
                if (slash <= 0)
                {
                    break;
                }

                root = root[..slash];
                if (_subtreeLookup.TryGetValue(root, out var below))
                {
                    specificity = root.Length;
                    return below;
                }
            }
        }

        specificity = 0;
        return _registry;
    }
}
