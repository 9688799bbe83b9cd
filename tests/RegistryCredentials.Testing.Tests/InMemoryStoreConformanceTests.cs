namespace RegistryCredentials.Testing.Tests;

/// <summary>The conformance suite against the built-in in-memory store: how a user runs it for their own store.</summary>
[TestFixture]
public sealed class InMemoryStoreConformanceTests : RegistryStoreConformanceTests
{
    protected override Task<IRegistryStore> CreateStoreAsync() => Task.FromResult<IRegistryStore>(new InMemoryRegistryStore());

    /// <summary>The in-memory feed keeps its last RetainedChanges changes: push the old ones out with as many new ones.</summary>
    protected override async Task<bool> ForgetChangesAsync(IRegistryStore store, long revision)
    {
        var memory = (InMemoryRegistryStore)store;
        var filler = Record("filler.example.com", account: "filler");
        var stored = await memory.AddAsync(filler);
        for (var i = 0; i < 2 * memory.RetainedChanges; i++)
        {
            stored = await memory.UpdateAsync(filler, stored.Entry.Version);
        }

        return true;
    }
}
