namespace RegistryCredentials.Testing.Tests;

/// <summary>The conformance suite against the built-in in-memory store: how a user runs it for their own store.</summary>
[TestFixture]
public sealed class InMemoryStoreConformanceTests : RegistryStoreConformanceTests
{
    protected override Task<IRegistryStore> CreateStoreAsync() => Task.FromResult<IRegistryStore>(new InMemoryRegistryStore());
}
