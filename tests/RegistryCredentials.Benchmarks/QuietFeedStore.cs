using Microsoft.Extensions.Primitives;

namespace RegistryCredentials.Benchmarks;

/// <summary>
/// An in-memory store whose change token never fires, so that the resolver applies a change only when the benchmark
/// calls <see cref="IRegistryCredentialResolver.RefreshAsync"/> (on the measuring thread), never in the background.
/// </summary>
internal sealed class QuietFeedStore(InMemoryRegistryStore inner) : IRegistryStore, IRegistryChangeFeed
{
    private static readonly IChangeToken Never = new CancellationChangeToken(CancellationToken.None);

    public InMemoryRegistryStore Inner { get; } = inner;

    public ValueTask<RegistryRecord?> GetAsync(string account, RegistryScope scope, CancellationToken cancellationToken = default) =>
        Inner.GetAsync(account, scope, cancellationToken);

    public ValueTask<IReadOnlyList<RegistryRecord>> ListAsync(string? account, CancellationToken cancellationToken = default) =>
        Inner.ListAsync(account, cancellationToken);

    public ValueTask<RegistryRecord> AddAsync(RegistryRecord record, CancellationToken cancellationToken = default) =>
        Inner.AddAsync(record, cancellationToken);

    public ValueTask<RegistryRecord> UpdateAsync(RegistryRecord record, long expectedVersion, CancellationToken cancellationToken = default) =>
        Inner.UpdateAsync(record, expectedVersion, cancellationToken);

    public ValueTask<bool> DeleteAsync(string account, RegistryScope scope, long? expectedVersion = null, CancellationToken cancellationToken = default) =>
        Inner.DeleteAsync(account, scope, expectedVersion, cancellationToken);

    public ValueTask<IReadOnlyList<string>> GetKeyIdsAsync(CancellationToken cancellationToken = default) => Inner.GetKeyIdsAsync(cancellationToken);

    public ValueTask<bool> ReplaceKeyIdsAsync(
        IReadOnlyCollection<string> expected, IReadOnlyCollection<string> keyIds, CancellationToken cancellationToken = default) =>
        Inner.ReplaceKeyIdsAsync(expected, keyIds, cancellationToken);

    public IChangeToken Watch() => Never;

    public ValueTask<long> GetRevisionAsync(CancellationToken cancellationToken = default) => Inner.GetRevisionAsync(cancellationToken);

    public ValueTask<RegistryChangeSet> GetChangesAsync(long afterRevision, CancellationToken cancellationToken = default) =>
        Inner.GetChangesAsync(afterRevision, cancellationToken);
}
