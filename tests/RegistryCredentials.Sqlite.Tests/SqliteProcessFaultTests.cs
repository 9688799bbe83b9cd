using System.Diagnostics;
using System.Globalization;
using RegistryCredentials.Sqlite.CrashWriter;

namespace RegistryCredentials.Sqlite.Tests;

/// <summary>Other processes on the same file: one killed with SIGKILL mid-burst, two hammering it at once.</summary>
[TestFixture]
[NonParallelizable]
public sealed class SqliteProcessFaultTests
{
    private TempDatabase _db = null!;

    [SetUp]
    public void CreateFolder() => _db = new TempDatabase();

    [TearDown]
    public void DeleteFolder() => _db.Dispose();

    [Test]
    public async Task AWriterKilledMidBurstLosesNoAcknowledgedWriteAndLeavesNothingHalfWritten()
    {
        var acknowledged = new List<string>();
        using (var child = ChildProcess.Start("burst", _db.Path, "1000000"))
        {
            Assert.That(child.NextLine(TimeSpan.FromSeconds(60)), Is.EqualTo("READY"), string.Join('\n', child.ErrorLines));
            while (acknowledged.Count < 150)
            {
                var line = child.NextLine(TimeSpan.FromSeconds(30));
                Assert.That(line, Is.Not.Null.And.StartsWith("ACK "), "the helper stopped: " + string.Join('\n', child.ErrorLines));
                acknowledged.Add(line![4..]);
            }

            child.Kill();

            // Lines the child printed before it died are still in the pipe: they were acknowledged too.
            acknowledged.AddRange(child.RemainingLines(TimeSpan.FromSeconds(10)).Where(l => l.StartsWith(
                "ACK ",
                StringComparison.Ordinal)).Select(l => l[4..]));
        }

        Assert.That(File.Exists(_db.Path + "-wal"), Is.True, "the kill should leave the write-ahead log behind, unmerged");
        await using var store = _db.Open();
        var records = await store.ListAsync(null);
        var byScope = records.ToDictionary(r => r.Entry.Scope.Value);
        foreach (var scope in acknowledged)
        {
            Assert.That(byScope.ContainsKey(scope), Is.True, $"acknowledged {scope} was lost");
        }

        // At most the one add in flight when the kill came may have committed without being printed.
        Assert.That(records, Has.Count.InRange(acknowledged.Count, acknowledged.Count + 1));
        foreach (var record in records)
        {
            var index = int.Parse(record.Entry.Scope.Host.Split('.')[0]["burst-".Length..], CultureInfo.InvariantCulture);
            Assert.That(record.Entry.Username, Is.EqualTo("user" + index));
            Assert.That(record.Entry.Version, Is.EqualTo(1));
            Assert.That(record.ProtectedSecret.ToArray(), Is.EqualTo(Program.BurstSecret(index)), $"{record.Entry.Scope} is half-written");
        }

        // The file takes writes again (the killed writer's lock and turn are released), and passes SQLite's full check.
        await store.AddAsync(Program.NewRecord("after-the-crash.example.com", "user", [1]));
        Assert.That(await store.ListAsync(null), Has.Count.EqualTo(records.Count + 1));
        await store.DisposeAsync();
        Assert.That(_db.RawScalar("PRAGMA integrity_check"), Is.EqualTo("ok"));
    }

    [Test]
    public async Task ProcessesHammeringOneFileLoseNoUpdateAndSeeNoLockError()
    {
        var duration = TimeSpan.FromSeconds(10);
        await using var store = _db.Open();
        await store.AddAsync(Program.NewRecord(Program.CounterScope, "0", [9]));

        var token = store.Watch();
        using var first = ChildProcess.Start("hammer", _db.Path, duration.TotalSeconds.ToString(CultureInfo.InvariantCulture), "a");
        using var second = ChildProcess.Start("hammer", _db.Path, duration.TotalSeconds.ToString(CultureInfo.InvariantCulture), "b");

        // This process takes part too, through its own store: increments plus reads.
        long ownIncrements = 0;
        var slowest = TimeSpan.Zero;
        var counter = RegistryScope.Parse(Program.CounterScope);
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < duration)
        {
            var started = clock.Elapsed;
            var current = (await store.GetAsync(RegistryAccounts.Default, counter))!;
            var next = long.Parse(current.Entry.Username, CultureInfo.InvariantCulture) + 1;
            try
            {
                await store.UpdateAsync(
                    current.WithEntry(current.Entry with { Username = next.ToString(CultureInfo.InvariantCulture) }),
                    current.Entry.Version);
                ownIncrements++;
            }
            catch (RegistryConcurrencyException)
            {
            }

            slowest = TimeSpan.FromTicks(Math.Max(slowest.Ticks, (clock.Elapsed - started).Ticks));

            await Task.Delay(5);
        }

        var results = new List<string>();
        foreach (var child in new[] { first, second })
        {
            var exit = child.WaitForExit(TimeSpan.FromSeconds(60));
            var lines = child.RemainingLines(TimeSpan.FromSeconds(10));
            var errors = lines.Where(l => l.StartsWith("ERROR", StringComparison.Ordinal)).Concat(child.ErrorLines).ToList();
            Assert.That(errors, Is.Empty, "the helper saw errors");
            Assert.That(exit, Is.Zero);
            results.Add(lines.Single(l => l.StartsWith("RESULT ", StringComparison.Ordinal)));
        }

        var childIncrements = results.Sum(r => long.Parse(Field(r, "increments"), CultureInfo.InvariantCulture));
        var final = (await store.GetAsync(RegistryAccounts.Default, counter))!;
        TestContext.Out.WriteLine(
            $"increments: this process {ownIncrements} (slowest get + update {slowest.TotalMilliseconds:F0} ms), children {string.Join(", ", results)}");
        Assert.That(results.Select(r => long.Parse(Field(r, "increments"), CultureInfo.InvariantCulture)), Is.All.GreaterThan(0), "a process was starved");
        Assert.That(ownIncrements, Is.GreaterThan(0), "this process was starved");
        Assert.That(long.Parse(final.Entry.Username, CultureInfo.InvariantCulture), Is.EqualTo(ownIncrements + childIncrements), "an update was lost");
        Assert.That(final.Entry.Version, Is.EqualTo(1 + ownIncrements + childIncrements));

        // The churn entries were all deleted again, and the other processes' changes fired this store's token.
        Assert.That((await store.ListAsync(null)).Select(r => r.Entry.Scope.Value), Is.EqualTo(new[] { Program.CounterScope }));
        Assert.That(token.HasChanged, Is.True);
    }

    private static string Field(string line, string name) =>
        line.Split(' ').Single(p => p.StartsWith(name + "=", StringComparison.Ordinal))[(name.Length + 1)..];
}
