using RegistryCredentials.Sqlite.Internal;

namespace RegistryCredentials.Sqlite;

/// <summary>
/// The store's <see cref="IRegistryHostQuery"/>: one indexed read of a registry's entries (its scope and the range of its
/// paths, on the (account, scope) index) and the glob hosts, for a process that resolves a few references and exits.
/// </summary>
public sealed partial class SqliteRegistryStore : IRegistryHostQuery
{
    /// <inheritdoc />
    public ValueTask<IReadOnlyList<RegistryRecord>> ListForRegistryAsync(
        string? account, string registry, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(registry);
        return _lifecycle.ReadAsync("SqliteRegistryStore.ListForRegistry", (account, registry), DataOperations.ListForRegistry, cancellationToken);
    }
}
