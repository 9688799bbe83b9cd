using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using RegistryCredentials.PostgreSql;
using RegistryCredentials.Sqlite;
using RegistryCredentials.Tests.Support.PostgreSql;

namespace RegistryCredentials.Benchmarks;

/// <summary>
/// Issue 16's multi-process figures: <c>feed-harness sqlite|postgres [entries] [changes] [interval-ms]</c>. This process
/// fills a store with the entries, resolves in a loop on default settings, and starts a second process of this program
/// (<c>feed-writer</c>) that updates one entry every interval, writing the time of each write into its user name. It
/// reports the longest <c>ResolveAsync</c> while the other process writes, and how long each change took to become
/// visible to this process's resolver, counted from when the writer began the write (its commit included) and from when
/// the write had committed (the writer's clock just after <c>UpdateAsync</c> returned) to the first resolve here that
/// returns it.
/// </summary>
internal static class FeedHarness
{
    private const string Changing = "reg7.example.com/team7";
    // The changing entry names one repository (reg7.example.com/team7, not a subtree), so the image is that repository.
    private static readonly ImageReference Image = ImageReference.Parse("reg7.example.com/team7:1");
    private static readonly ImageReference Other = ImageReference.Parse("reg9.example.com/nothing/app:1");

    public static async Task<int> RunAsync(string[] args)
    {
        var kind = args[1];
        var entries = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 100_000;
        var changes = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 40;
        var interval = args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 100;
        string target;
        var services = new ServiceCollection();
        var builder = services.AddRegistryCredentials().UseEphemeralSecretProtection();
        string? path = null;
        if (kind == "sqlite")
        {
            path = SqliteBenchmarkData.NewPath();
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await SqliteBenchmarkData.FillAsync(path, entries);
            await DeactivateAsync(new SqliteRegistryStore(new SqliteRegistryStoreOptions { Path = path }));
            builder.UseSqliteStore(path);
            target = path;
        }
        else
        {
            var server = await PostgreSqlServer.GetAsync();
            var schema = PostgreSqlServer.NewName("harness_");
            var options = new PostgreSqlRegistryStoreOptions { ConnectionString = server.ConnectionString(), Schema = schema };
            await using (var store = new PostgreSqlRegistryStore(options))
            {
                await store.ListAsync(null); // creates the schema
            }

            await server.ExecuteAsync($"""
                INSERT INTO {schema}.entries (account, scope, name, type, username, email, verify_tls, insecure_http, ca_certificates,
                                              is_active, created_on, updated_on, version, protected_secret)
                SELECT 'default', 'reg' || (i % 100) || '.example.com/team' || i, 'n', 'docker_v2', 'user', NULL, true, false, NULL, true,
                       '2026-01-01Z', '2026-01-01Z', 1, '\x00'::bytea
                FROM generate_series(0, {entries - 1}) AS i
                """);
            await DeactivateAsync(new PostgreSqlRegistryStore(options));
            builder.UsePostgreSqlStore(server.ConnectionString(), o => o.Schema = schema);
            target = server.ConnectionString() + "|" + schema;
        }

        await using var provider = services.BuildServiceProvider();
        var resolver = provider.GetRequiredService<IRegistryCredentialResolver>();
        var load = Stopwatch.StartNew();
        await resolver.ResolveAsync(Image);
        Console.WriteLine($"{kind}: {entries:N0} entries, first load {load.Elapsed.TotalMilliseconds:F0} ms");
        for (var i = 0; i < 10_000; i++)
        {
            await resolver.ResolveAsync(Other);
        }

        // Settle the heap before measuring, as BenchmarkDotNet does: the first collection after start promotes the whole
        // freshly built index (a one-off pause of a few ms at 100,000 entries, seen at the first gen0 collection in runs
        // without this), which is start-up cost, not the cost of a change.
        GC.Collect();
        GC.WaitForPendingFinalizers();

        using var writer = Process.Start(new ProcessStartInfo("dotnet")
        {
            ArgumentList =
            {
                typeof(FeedHarness).Assembly.Location, "feed-writer", kind, target,
                changes.ToString(CultureInfo.InvariantCulture), interval.ToString(CultureInfo.InvariantCulture),
            },
            RedirectStandardOutput = true,
        })!;
        var maxResolve = TimeSpan.Zero;
        var resolves = 0L;
        var overOneMs = 0;
        var gcs = (Gen0: GC.CollectionCount(0), Gen1: GC.CollectionCount(1), Gen2: GC.CollectionCount(2));
        var seen = new Dictionary<long, long>(); // the write's stamp → when this process first resolved it (UTC ticks)
        var lastSeen = "";
        long? exited = null; // resolving goes on for a second after the writer exits, so that its last change is seen too
        while (exited is null || Stopwatch.GetElapsedTime(exited.Value).TotalSeconds < 1)
        {
            if (exited is null && writer.HasExited)
            {
                exited = Stopwatch.GetTimestamp();
            }

            for (var i = 0; i < 50; i++)
            {
                var started = Stopwatch.GetTimestamp();
                var resolution = await resolver.ResolveAsync((i & 1) == 0 ? Image : Other);
                var took = Stopwatch.GetElapsedTime(started);
                resolves++;
                if (took.TotalMilliseconds > 1)
                {
                    overOneMs++;
                }

                if (took > maxResolve)
                {
                    maxResolve = took;
                }

                if ((i & 1) == 0 && resolution.Entry is { } entry && entry.Username != lastSeen)
                {
                    lastSeen = entry.Username;
                    if (entry.Username.StartsWith('w') && long.TryParse(entry.Username.AsSpan(1), CultureInfo.InvariantCulture, out var ticks))
                    {
                        seen.TryAdd(ticks, TimeProvider.System.GetUtcNow().UtcTicks);
                    }
                }
            }

            await Task.Delay(1);
        }

        // The writer prints "change <stamp> <committed>" per write: the clock just before the write and just after its commit.
        var fromWrite = new List<double>();
        var fromCommit = new List<double>();
        foreach (var line in (await writer.StandardOutput.ReadToEndAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split(' ');
            if (parts.Length == 3 && parts[0] == "change")
            {
                var stamp = long.Parse(parts[1], CultureInfo.InvariantCulture);
                if (seen.TryGetValue(stamp, out var at))
                {
                    fromWrite.Add((at - stamp) / (double)TimeSpan.TicksPerMillisecond);
                    fromCommit.Add(Math.Max(0, at - long.Parse(parts[2], CultureInfo.InvariantCulture)) / (double)TimeSpan.TicksPerMillisecond);
                }
            }
            else
            {
                Console.WriteLine(line);
            }
        }

        if (fromWrite.Count < seen.Count)
        {
            Console.WriteLine($"{seen.Count - fromWrite.Count} changes seen here had no matching line from the writer");
        }

        fromWrite.Sort();
        fromCommit.Sort();
        Console.WriteLine(
            $"{kind}: {resolves:N0} resolves while another process made {changes} changes; longest ResolveAsync {maxResolve.TotalMilliseconds:F3} ms " +
            $"({overOneMs} over 1 ms; garbage collections meanwhile gen0 {GC.CollectionCount(0) - gcs.Gen0}, gen1 {GC.CollectionCount(1) - gcs.Gen1}, " +
            $"gen2 {GC.CollectionCount(2) - gcs.Gen2}); " +
            $"changes seen {fromWrite.Count}; visible after the write began: median {Percentile(fromWrite, 0.5):F1} ms, " +
            $"p95 {Percentile(fromWrite, 0.95):F1} ms, max {(fromWrite.Count == 0 ? 0 : fromWrite[^1]):F1} ms; " +
            $"after its commit: median {Percentile(fromCommit, 0.5):F1} ms, p95 {Percentile(fromCommit, 0.95):F1} ms, " +
            $"max {(fromCommit.Count == 0 ? 0 : fromCommit[^1]):F1} ms");
        if (path is not null)
        {
            SqliteBenchmarkData.Delete(path);
        }

        return 0;
    }

    /// <summary>The child: updates the changing entry every interval, its user name the UTC ticks just before the write.</summary>
    public static async Task<int> WriteAsync(string[] args)
    {
        var kind = args[1];
        var changes = int.Parse(args[3], CultureInfo.InvariantCulture);
        var interval = int.Parse(args[4], CultureInfo.InvariantCulture);
        IRegistryStore store = kind == "sqlite"
            ? new SqliteRegistryStore(new SqliteRegistryStoreOptions { Path = args[2] })
            : new PostgreSqlRegistryStore(new PostgreSqlRegistryStoreOptions { ConnectionString = args[2].Split('|')[0], Schema = args[2].Split('|')[1] });
        var scope = RegistryScope.Parse(Changing);
        var slowest = 0.0;
        for (var i = 0; i < changes; i++)
        {
            await Task.Delay(interval);
            var current = (await store.GetAsync(RegistryAccounts.Default, scope))!;
            var started = Stopwatch.GetTimestamp();
            var stamp = TimeProvider.System.GetUtcNow().UtcTicks;
            var entry = current.Entry with { Username = "w" + stamp.ToString(CultureInfo.InvariantCulture) };
            await store.UpdateAsync(new RegistryRecord(entry, current.ProtectedSecret), current.Entry.Version);
            var committed = TimeProvider.System.GetUtcNow().UtcTicks;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"change {stamp} {committed}"));
            slowest = Math.Max(slowest, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        Console.WriteLine($"writer: {changes} updates, slowest {slowest:F1} ms");
        (store as IDisposable)?.Dispose();
        return 0;
    }

    /// <summary>The changing entry is deactivated, so that resolving it returns the entry (denied) without decrypting its dummy secret.</summary>
    private static async Task DeactivateAsync(IRegistryStore store)
    {
        var scope = RegistryScope.Parse(Changing);
        var current = (await store.GetAsync(RegistryAccounts.Default, scope))!;
        await store.UpdateAsync(new RegistryRecord(current.Entry with { IsActive = false }, current.ProtectedSecret), current.Entry.Version);
        (store as IDisposable)?.Dispose();
    }

    private static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? 0 : sorted[(int)Math.Min(sorted.Count - 1, Math.Floor(p * sorted.Count))];
}
