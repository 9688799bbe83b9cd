using RegistryCredentials.PostgreSql.Internal;

namespace RegistryCredentials.PostgreSql;

/// <summary>
/// The store's <see cref="IRegistryHostQuery"/>: one read of a registry's entries (its scope and the range of its paths, on
/// the (account, scope) key) and the glob hosts.
/// </summary>
public sealed partial class PostgreSqlRegistryStore : IRegistryHostQuery
{
    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<RegistryRecord>> ListForRegistryAsync(
        string? account, string registry, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(registry);
        using var activity = Telemetry.Start("list for registry", account);
        var records = await _lifecycle.RunAsync("list entries for a registry", ct => _data.ListForRegistryAsync(account, registry, ct), cancellationToken)
            .ConfigureAwait(false);
        activity?.SetTag("registrycredentials.entries", records.Count);
        return records;
    }
}
