using System.Diagnostics;

namespace RegistryCredentials.PostgreSql.Tests;

/// <summary>The server restarts (<c>pg_ctl restart -m fast</c>) while a node writes: typed retryable errors, then recovery.</summary>
[TestFixture]
[NonParallelizable]
public sealed class PostgreSqlRestartTests
{
    [Test]
    public async Task A_restart_under_load_fails_calls_in_flight_with_retryable_errors_and_then_recovers()
    {
        var server = await PostgreSqlServer.GetAsync();
        var schema = PostgreSqlServer.NewName("restart_");
        await using var writer = new PostgreSqlRegistryStore(new PostgreSqlRegistryStoreOptions
        {
            ConnectionString = server.ConnectionString(),
            Schema = schema,
        });
        await using var watcher = new PostgreSqlRegistryStore(new PostgreSqlRegistryStoreOptions
        {
            ConnectionString = server.ConnectionString(),
            Schema = schema,
        });
        await writer.ListAsync(null);
        await watcher.ListAsync(null);
        Assert.That(watcher.ListenerConnections, Is.EqualTo(1));

        var failures = new List<PostgreSqlStoreException>();
        var unexpected = new List<Exception>();
        var succeededBefore = 0;
        var succeededAfter = 0;
        var restarted = false;
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        // Bounded load: at most 20,000 calls or 60 s; stops after 50 successes once the server is back.
        var load = Task.Run(async () =>
        {
            for (var i = 0; i < 20_000 && !stop.IsCancellationRequested && succeededAfter < 50; i++)
            {
                var wasRestarted = Volatile.Read(ref restarted);
                try
                {
                    if (i % 2 == 0)
                    {
                        await writer.AddAsync(PostgreSqlStoreTests.Record($"r{i}.example.com"));
                    }
                    else
                    {
                        await writer.ListAsync(null);
                    }

                    if (wasRestarted)
                    {
                        succeededAfter++;
                    }
                    else
                    {
                        Interlocked.Increment(ref succeededBefore);
                    }
                }
                catch (PostgreSqlStoreException exception)
                {
                    lock (failures)
                    {
                        failures.Add(exception);
                    }

                    await Task.Delay(20);
                }
                catch (Exception exception)
                {
                    lock (unexpected)
                    {
                        unexpected.Add(exception);
                    }
                }
            }
        });

        while (Volatile.Read(ref succeededBefore) < 50 && !load.IsCompleted)
        {
            await Task.Delay(10);
        }

        var restart = Stopwatch.StartNew();
        await server.RestartAsync();
        var downFor = restart.Elapsed;
        Volatile.Write(ref restarted, true);
        await load;

        TestContext.Out.WriteLine(
            $"restart took {downFor.TotalMilliseconds:F0} ms; {succeededBefore} calls before, {failures.Count} failed, {succeededAfter} after");
        foreach (var failure in failures.Take(5))
        {
            TestContext.Out.WriteLine($"  {failure.SqlState ?? "-"} {failure.InnerException?.GetType().Name}: {failure.Message}");
        }

        Assert.That(unexpected, Is.Empty, string.Join("\n", unexpected));
        Assert.That(failures, Is.Not.Empty, "calls during the restart should have failed");
        Assert.That(failures, Has.All.Matches<PostgreSqlStoreException>(f => f.IsTransient));
        Assert.That(succeededAfter, Is.EqualTo(50), "calls after the restart should succeed");

        // The watcher's listener reconnects, and then signals the writer's changes again.
        var waited = Stopwatch.StartNew();
        while (watcher.ListenerConnections < 2 && waited.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(10);
        }

        Assert.That(watcher.ListenerConnections, Is.EqualTo(2), "the listener should have reconnected once");
        await Task.Delay(300); // notifications of the last writes of the load may still be on their way
        var token = watcher.Watch();
        await Task.Delay(100);
        Assert.That(token.HasChanged, Is.False);
        await writer.AddAsync(PostgreSqlStoreTests.Record("after-restart.example.com"));
        await PostgreSqlStoreTests.WaitAsync(token, TimeSpan.FromSeconds(1));
        Assert.That(await watcher.GetAsync(RegistryAccounts.Default, RegistryScope.Parse("after-restart.example.com")), Is.Not.Null);
    }
}
