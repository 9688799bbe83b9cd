using Microsoft.Extensions.Primitives;

namespace RegistryCredentials.Tests;

/// <summary>
/// An in-memory store without a change feed whose full reads can be held at a gate and are counted: shows what the
/// resolver reads and that a resolve does not wait for it. <see cref="GatedFeedStore"/> adds the feed.
/// </summary>
internal class GatedStore(InMemoryRegistryStore inner) : IRegistryStore
{
    private volatile TaskCompletionSource? _gate;
    private int _lists;

    public InMemoryRegistryStore Inner { get; } = inner;

    public int Lists => Volatile.Read(ref _lists);

    /// <summary>Reads of the store's data (list, feed) wait until <see cref="Open"/>.</summary>
    public void Close() => _gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Open() => Interlocked.Exchange(ref _gate, null)?.TrySetResult();

    public ValueTask<RegistryRecord?> GetAsync(string account, RegistryScope scope, CancellationToken cancellationToken = default) =>
        Inner.GetAsync(account, scope, cancellationToken);

    public async ValueTask<IReadOnlyList<RegistryRecord>> ListAsync(string? account, CancellationToken cancellationToken = default)
    {
        await PassGateAsync().ConfigureAwait(false);
        Interlocked.Increment(ref _lists);
        return await Inner.ListAsync(account, cancellationToken).ConfigureAwait(false);
    }

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

    public IChangeToken Watch() => Inner.Watch();

    protected Task PassGateAsync() => _gate?.Task ?? Task.CompletedTask;
}
