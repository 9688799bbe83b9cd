using System.Diagnostics;
using Microsoft.Data.Sqlite;
using RegistryCredentials.Tests.Support.Telemetry;

namespace RegistryCredentials.Sqlite.Tests;

/// <summary>
/// The SQLite store's meter and activity source, listened to while the store works on a real file: every operation, a
/// write by another store on the file (an external change), and a write that waits for a lock held by another
/// connection (a busy retry). Checks names, units and tags against docs/telemetry.md; never timings.
/// </summary>
[NonParallelizable]
public class SqliteTelemetryTests
{
    private TempDatabase _db = null!;

    [SetUp]
    public void SetUp() => _db = new TempDatabase();

    [TearDown]
    public void TearDown() => _db.Dispose();

    [Test]
    public void Meter_and_activity_source_are_named_after_the_package()
    {
        Assert.That(SqliteRegistryStoreTelemetry.MeterName, Is.EqualTo("RegistryCredentials.Sqlite"));
        Assert.That(SqliteRegistryStoreTelemetry.ActivitySourceName, Is.EqualTo("RegistryCredentials.Sqlite"));
    }

    [Test]
    public async Task Store_operations_external_changes_and_busy_retries_are_published_as_documented()
    {
        using var recorder = new TelemetryRecorder(SqliteRegistryStoreTelemetry.MeterName);
        await using var store = _db.Open(o =>
        {
            o.BusyTimeout = TimeSpan.FromMilliseconds(50);
            o.MaxRetries = 30;
        });
        await using var other = _db.Open();

        await store.InitializeAsync();
        var added = await store.AddAsync(Record("one.example.com"));
        await store.GetAsync(RegistryAccounts.Default, added.Entry.Scope);
        await store.ListAsync(null);
        var updated = await store.UpdateAsync(added.WithEntry(added.Entry with { Username = "changed" }), added.Entry.Version);
        await store.DeleteAsync(RegistryAccounts.Default, updated.Entry.Scope);

        // Another store on the file writes (as another process would): this store's polling sees it.
        var token = store.Watch();
        await other.AddAsync(Record("two.example.com"));
        await EventuallyAsync(() => token.HasChanged && recorder.Of("registrycredentials.sqlite.external_changes").Count > 0, "the external change");

        // Another connection holds the write lock: this store's write is retried until the lock goes.
        using (var locker = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = _db.Path, Pooling = false }.ToString()))
        {
            locker.Open();
            using var begin = locker.CreateCommand();
            begin.CommandText = "BEGIN IMMEDIATE";
            begin.ExecuteNonQuery();
            var write = store.AddAsync(Record("three.example.com")).AsTask();
            await EventuallyAsync(() => recorder.Of("registrycredentials.sqlite.busy_retries").Count > 0, "a busy retry");
            using var rollback = locker.CreateCommand();
            rollback.CommandText = "ROLLBACK";
            rollback.ExecuteNonQuery();
            await write;
        }

        Assert.Multiple(() =>
        {
            TelemetryDocs.AssertMeterMatches(recorder, SqliteRegistryStoreTelemetry.MeterName);
            TelemetryDocs.AssertActivitiesMatch(
                recorder,
                SqliteRegistryStoreTelemetry.ActivitySourceName,
                "RegistryCredentials.Sqlite.Initialize",
                "RegistryCredentials.Sqlite.Get",
                "RegistryCredentials.Sqlite.List",
                "RegistryCredentials.Sqlite.Add",
                "RegistryCredentials.Sqlite.Update",
                "RegistryCredentials.Sqlite.Delete");
            var get = recorder.Activities.First(a => a.OperationName == "RegistryCredentials.Sqlite.Get");
            Assert.That(get.GetTagItem("db.system.name"), Is.EqualTo("sqlite"));
            Assert.That(get.GetTagItem("db.operation.name"), Is.EqualTo("get"));
        });
    }

    private static async Task EventuallyAsync(Func<bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(15))
            {
                Assert.Fail("timed out waiting for " + what);
            }

            await Task.Delay(20);
        }
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
