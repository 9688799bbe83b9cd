namespace RegistryCredentials.Internal;

/// <summary>
/// Scopes whose host has <c>*</c> labels, in a trie over host labels from the right (<c>io</c>, <c>azurecr</c>, <c>*</c>),
/// so that a lookup costs the number of labels, not the number of entries.
/// </summary>
internal sealed class GlobHostIndex
{
    private readonly Node _root = new();

    public void Add(IndexEntry entry)
    {
        var scope = entry.Entry.Scope;
        var node = _root;
        var labels = scope.Host.Split('.');
        for (var i = labels.Length - 1; i >= 0; i--)
        {
            node = node.Child(labels[i]);
        }

        node.Terminals ??= [];
        var terminal = node.Terminals.Find(t => t.Port == scope.Port);
        if (terminal is null)
        {
            terminal = new Terminal(scope.Port);
            node.Terminals.Add(terminal);
        }

        terminal.Paths.Add(entry);
    }

    /// <summary>Finds the most specific glob match: the longest path, then the fewest <c>*</c> labels, then the lowest scope text.</summary>
    public IndexEntry? Find(string host, int? port, ReadOnlySpan<char> repository)
    {
        if (host.StartsWith('['))
        {
            return null;
        }

        var best = new Best();
        Walk(_root, host, consumed: false, stars: 0, port, repository, ref best);
        return best.Entry;
    }

    private static void Walk(Node node, ReadOnlySpan<char> remaining, bool consumed, int stars, int? port, ReadOnlySpan<char> repository, ref Best best)
    {
        if (consumed)
        {
            if (node.Terminals is null || stars == 0)
            {
                return;
            }

            foreach (var terminal in node.Terminals)
            {
                if (terminal.Port != port)
                {
                    continue;
                }

                var hit = terminal.Paths.FindLongest(repository, out var length);
                if (hit is not null && best.IsBeatenBy(hit, length, stars))
                {
                    best = new Best { Entry = hit, PathLength = length, Stars = stars };
                }
            }

            return;
        }

        var dot = remaining.LastIndexOf('.');
        var label = dot < 0 ? remaining : remaining[(dot + 1)..];
        var rest = dot < 0 ? default : remaining[..dot];
        if (node.Children is not null && node.Lookup.TryGetValue(label, out var exact))
        {
            Walk(exact, rest, dot < 0, stars, port, repository, ref best);
        }

        if (node.Star is not null)
        {
            Walk(node.Star, rest, dot < 0, stars + 1, port, repository, ref best);
        }
    }

    private struct Best
    {
        public IndexEntry? Entry;
        public int PathLength;
        public int Stars;

        public readonly bool IsBeatenBy(IndexEntry candidate, int pathLength, int stars)
        {
            if (Entry is null)
            {
                return true;
            }

            if (pathLength != PathLength)
            {
                return pathLength > PathLength;
            }

            if (stars != Stars)
            {
                return stars < Stars;
            }

            return string.CompareOrdinal(candidate.Entry.Scope.Value, Entry.Entry.Scope.Value) < 0;
        }
    }

    private sealed class Node
    {
        public Dictionary<string, Node>? Children { get; private set; }

        public Dictionary<string, Node>.AlternateLookup<ReadOnlySpan<char>> Lookup { get; private set; }

        public Node? Star { get; private set; }

        public List<Terminal>? Terminals { get; set; }

        public Node Child(string label)
        {
            if (label == "*")
            {
                return Star ??= new Node();
            }

            if (Children is null)
            {
                // Labels of parsed scopes and references are lower-case (ResolverIndex.Find lower-cases the rare exception).
                Children = new Dictionary<string, Node>(StringComparer.Ordinal);
                Lookup = Children.GetAlternateLookup<ReadOnlySpan<char>>();
            }

            if (!Children.TryGetValue(label, out var child))
            {
                child = new Node();
                Children.Add(label, child);
            }

            return child;
        }
    }

    private sealed class Terminal(int? port)
    {
        public int? Port { get; } = port;

        public PathIndex Paths { get; } = new();
    }
}
