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
/// visible to this process's resolver (write committed → first resolve that returns it).
/// </summary>
internal static class FeedHarness
{
    private const string Changing = "reg7.example.com/team7";
    private static readonly ImageReference Image = ImageReference.Parse("reg7.example.com/team7/app:1");
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
        var visible = new List<double>();
        var lastSeen = "";
        while (!writer.HasExited)
        {
            for (var i = 0; i < 50; i++)
            {
                var started = Stopwatch.GetTimestamp();
                var resolution = await resolver.ResolveAsync((i & 1) == 0 ? Image : Other);
                var took = Stopwatch.GetElapsedTime(started);
                resolves++;
                if (took > maxResolve)
                {
                    maxResolve = took;
                }

                if ((i & 1) == 0 && resolution.Entry is { } entry && entry.Username != lastSeen)
                {
                    lastSeen = entry.Username;
                    if (entry.Username.StartsWith('w') && long.TryParse(entry.Username.AsSpan(1), CultureInfo.InvariantCulture, out var ticks))
                    {
                        visible.Add((TimeProvider.System.GetUtcNow().UtcTicks - ticks) / (double)TimeSpan.TicksPerMillisecond);
                    }
                }
            }

            await Task.Delay(1);
        }

        Console.Write(await writer.StandardOutput.ReadToEndAsync());
        visible.Sort();
        Console.WriteLine(
            $"{kind}: {resolves:N0} resolves while another process made {changes} changes; longest ResolveAsync {maxResolve.TotalMilliseconds:F3} ms; " +
            $"changes seen {visible.Count}, visible after median {Percentile(visible, 0.5):F1} ms, " +
            $"p95 {Percentile(visible, 0.95):F1} ms, max {(visible.Count == 0 ? 0 : visible[^1]):F1} ms");
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
            var entry = current.Entry with { Username = "w" + TimeProvider.System.GetUtcNow().UtcTicks.ToString(CultureInfo.InvariantCulture) };
            await store.UpdateAsync(new RegistryRecord(entry, current.ProtectedSecret), current.Entry.Version);
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
