using System.Diagnostics;
using System.Globalization;

namespace RegistryCredentials.Sqlite.CrashWriter;

/// <summary>
/// The child process of the SQLite fault tests.
/// <list type="bullet">
/// <item><c>burst PATH COUNT</c>: adds COUNT entries one by one and prints <c>ACK scope</c> after each add returned
/// (the test kills the process mid-burst and checks that every acknowledged entry survived).</item>
/// <item><c>hammer PATH SECONDS ID</c>: for SECONDS, increments the shared counter entry with version-checked updates
/// and adds, updates and deletes entries of its own; prints <c>RESULT increments=N …</c> and any unexpected error.</item>
/// </list>
/// </summary>
public static class Program
{
    public const string CounterScope = "counter.example.com";

    public static async Task<int> Main(string[] args)
    {
        if (args.Length < 2)
        {
            await Console.Error.WriteLineAsync("usage: burst PATH COUNT | hammer PATH SECONDS ID");
            return 2;
        }

        await using var store = new SqliteRegistryStore(new SqliteRegistryStoreOptions { Path = args[1], ChangePollInterval = TimeSpan.FromMilliseconds(100) });
        return args[0] switch
        {
            "burst" => await BurstAsync(store, int.Parse(args[2], CultureInfo.InvariantCulture)),
            "hammer" => await HammerAsync(store, TimeSpan.FromSeconds(double.Parse(args[2], CultureInfo.InvariantCulture)), args[3]),
            _ => 2,
        };
    }

    /// <summary>The protected-secret bytes a burst writes for entry <paramref name="index"/>: checkable after a crash.</summary>
    public static byte[] BurstSecret(int index)
    {
        var secret = new byte[64 + (index % 200)];
        for (var i = 0; i < secret.Length; i++)
        {
            secret[i] = (byte)(index * 31 + i);
        }

        return secret;
    }

    public static RegistryRecord NewRecord(string scope, string username, byte[] secret) => new(
        new RegistryEntry
        {
            Account = RegistryAccounts.Default,
            Scope = RegistryScope.Parse(scope),
            Name = scope,
            Type = RegistryType.DockerV2,
            Username = username,
            CreatedOn = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero),
            UpdatedOn = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero),
        },
        secret);

    private static async Task<int> BurstAsync(SqliteRegistryStore store, int count)
    {
        await store.InitializeAsync();
        Console.WriteLine("READY");
        for (var i = 0; i < count; i++)
        {
            var scope = $"burst-{i}.example.com";
            await store.AddAsync(NewRecord(scope, "user" + i, BurstSecret(i)));
            Console.WriteLine("ACK " + scope);
        }

        return 0;
    }

    private static async Task<int> HammerAsync(SqliteRegistryStore store, TimeSpan duration, string id)
    {
        var counter = RegistryScope.Parse(CounterScope);
        long increments = 0, conflicts = 0, operations = 0, errors = 0;
        var clock = Stopwatch.StartNew();
        var i = 0;
        while (clock.Elapsed < duration)
        {
            try
            {
                // A version-checked increment of the shared counter (the user name holds the count).
                var current = await store.GetAsync(RegistryAccounts.Default, counter) ?? throw new InvalidOperationException("the counter entry is missing");
                var next = long.Parse(current.Entry.Username, CultureInfo.InvariantCulture) + 1;
                try
                {
                    await store.UpdateAsync(
                        current.WithEntry(current.Entry with { Username = next.ToString(CultureInfo.InvariantCulture) }),
                        current.Entry.Version);
                    increments++;
                }
                catch (RegistryConcurrencyException)
                {
                    conflicts++;
                }

                // Churn on entries of its own: add, update, delete.
                var scope = RegistryScope.Parse($"p{id}-{i++ % 16}.example.com");
                var added = await store.AddAsync(NewRecord(scope.Value, "churn", [1, 2, 3]));
                var updated = await store.UpdateAsync(added.WithEntry(added.Entry with { Username = "churned" }), added.Entry.Version);
                if (!await store.DeleteAsync(RegistryAccounts.Default, scope, updated.Entry.Version))
                {
                    throw new InvalidOperationException($"{scope} vanished before its delete");
                }

                _ = await store.ListAsync(null);
                operations += 5;
            }
            catch (Exception e)
            {
                errors++;
                Console.WriteLine($"ERROR {e.GetType().FullName}: {e.Message}");
            }
        }

        Console.WriteLine($"RESULT increments={increments} conflicts={conflicts} operations={operations} errors={errors}");
        return errors == 0 ? 0 : 1;
    }
}
