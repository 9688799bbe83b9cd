using RegistryCredentials.Tests.Support.Telemetry;

namespace RegistryCredentials.PostgreSql.Tests;

/// <summary>
/// The PostgreSQL store's activity source, listened to while the store works on the real server: one client activity
/// per operation with the database tags, checked against docs/telemetry.md. The package has no meter.
/// </summary>
public sealed class PostgreSqlTelemetryTests
{
    private PostgreSqlServer _server = null!;
    private string _schema = null!;

    [SetUp]
    public async Task SetUpAsync()
    {
        _server = await PostgreSqlServer.GetAsync();
        _schema = PostgreSqlServer.NewName("telemetry_");
    }

    [Test]
    public void Activity_source_is_named_after_the_package()
    {
        Assert.That(PostgreSqlRegistryStoreTelemetry.ActivitySourceName, Is.EqualTo("RegistryCredentials.PostgreSql"));
        Assert.That(
            TelemetryDocs.Instruments.Where(i => i.Meter == PostgreSqlRegistryStoreTelemetry.ActivitySourceName),
            Is.Empty,
            "no meter, so no instrument documented");
    }

    [Test]
    public async Task Store_operations_are_traced_as_documented()
    {
        using var recorder = new TelemetryRecorder(PostgreSqlRegistryStoreTelemetry.ActivitySourceName);
        await using var store = new PostgreSqlRegistryStore(new PostgreSqlRegistryStoreOptions
        {
            ConnectionString = _server.ConnectionString(PostgreSqlServer.Database),
            Schema = _schema,
        });

        var added = await store.AddAsync(Record("one.example.com"));
        await store.GetAsync(RegistryAccounts.Default, added.Entry.Scope);
        await store.ListAsync(RegistryAccounts.Default);
        var updated = await store.UpdateAsync(added.WithEntry(added.Entry with { Username = "changed" }), added.Entry.Version);
        await store.DeleteAsync(RegistryAccounts.Default, updated.Entry.Scope);

        Assert.Multiple(() =>
        {
            TelemetryDocs.AssertActivitiesMatch(
                recorder,
                PostgreSqlRegistryStoreTelemetry.ActivitySourceName,
                "RegistryCredentials.PostgreSql.Add",
                "RegistryCredentials.PostgreSql.Get",
                "RegistryCredentials.PostgreSql.List",
                "RegistryCredentials.PostgreSql.Update",
                "RegistryCredentials.PostgreSql.Delete");
            var list = recorder.Activities.First(a => a.OperationName == "RegistryCredentials.PostgreSql.List");
            Assert.That(list.GetTagItem("db.system.name"), Is.EqualTo("postgresql"));
            Assert.That(list.GetTagItem("db.operation.name"), Is.EqualTo("list"));
            Assert.That(list.GetTagItem("registrycredentials.account"), Is.EqualTo(RegistryAccounts.Default));
            Assert.That(list.GetTagItem("registrycredentials.entries"), Is.EqualTo(1));
        });
    }

    private static RegistryRecord Record(string scope) => new(
        new RegistryEntry
        {
            Account = RegistryAccounts.Default,
            Scope = RegistryScope.Parse(scope),
            Name = scope,
            Type = RegistryType.DockerV2,
            Username = "user",
            CreatedOn = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero),
            UpdatedOn = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero),
        },
        System.Security.Cryptography.RandomNumberGenerator.GetBytes(64));
}
