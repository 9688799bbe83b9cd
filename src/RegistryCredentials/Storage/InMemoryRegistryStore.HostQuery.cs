namespace RegistryCredentials;

/// <summary>The store's <see cref="IRegistryHostQuery"/>: the entries of one registry and the glob hosts.</summary>
public sealed partial class InMemoryRegistryStore : IRegistryHostQuery
{
    /// <inheritdoc />
    public ValueTask<IReadOnlyList<RegistryRecord>> ListForRegistryAsync(
        string? account, string registry, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(registry);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            var list = new List<RegistryRecord>();
            foreach (var ((recordAccount, _), record) in _records)
            {
                if (account is not null && !string.Equals(recordAccount, account, StringComparison.Ordinal))
                {
                    continue;
                }

                var scope = record.Entry.Scope;
                if (scope.IsGlob || string.Equals(scope.Registry, registry, StringComparison.OrdinalIgnoreCase))
                {
                    list.Add(record);
                }
            }

            return ValueTask.FromResult<IReadOnlyList<RegistryRecord>>(list);
        }
    }
}
