using Microsoft.Extensions.Primitives;

namespace RegistryCredentials.Sqlite.Tests;

public sealed class SqliteDisposalTests
{
    [Test]
    public async Task Disposal_closes_the_change_signal_and_watching_does_not_throw()
    {
        using var database = new TempDatabase();
        var store = database.Open();
        await store.InitializeAsync();
        var before = store.Watch();

        await store.DisposeAsync();

        // RegistryChangeSignal's rule: after disposal no token fires and taking one does not throw.
        IChangeToken? after = null;
        Assert.That(() => after = store.Watch(), Throws.Nothing);
        Assert.That(before.HasChanged, Is.False);
        Assert.That(after!.HasChanged, Is.False);
        Assert.ThrowsAsync<ObjectDisposedException>(async () => await store.ListAsync(null));
    }
}
