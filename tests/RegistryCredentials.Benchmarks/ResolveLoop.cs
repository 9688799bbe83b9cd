using System.Diagnostics;
using System.Globalization;

namespace RegistryCredentials.Benchmarks;

/// <summary>
/// <c>resolve-loop [entries] [seconds]</c>: the <see cref="ResolveBenchmarks"/> references resolved in a loop, to be
/// profiled (<c>DOTNET_PerfMapEnabled=1 perf record -g dotnet RegistryCredentials.Benchmarks.dll resolve-loop</c>); it
/// prints the mean time per resolve, a rough figure (BenchmarkDotNet gives the real ones).
/// </summary>
internal static class ResolveLoop
{
    public static async Task<int> RunAsync(string[] args)
    {
        var entries = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 100_000;
        var seconds = args.Length > 2 ? double.Parse(args[2], CultureInfo.InvariantCulture) : 10;
        using var fixture = await ResolverFixture.CreateAsync(entries);
        ImageReference[] images = [fixture.DeepPath, fixture.ExactRepository, fixture.Miss, fixture.GlobHost];
        var resolver = fixture.Resolver;
        var clock = Stopwatch.StartNew();
        long resolves = 0;
        while (clock.Elapsed.TotalSeconds < seconds)
        {
            for (var i = 0; i < 100_000; i++)
            {
                var pending = resolver.ResolveAsync(images[i & 3]);
                if (!pending.IsCompletedSuccessfully)
                {
                    await pending;
                }
            }

            resolves += 100_000;
        }

        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{resolves:N0} resolves in {clock.Elapsed.TotalSeconds:F1} s: {clock.Elapsed.TotalNanoseconds / resolves:F1} ns each"));
        return 0;
    }
}
