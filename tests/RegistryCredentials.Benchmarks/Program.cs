using BenchmarkDotNet.Running;

namespace RegistryCredentials.Benchmarks;

/// <summary>Entry point: <c>./build.sh bench --filter '*'</c> (arguments go to BenchmarkDotNet).</summary>
public static class Program
{
    public static int Main(string[] args)
    {
        // Issue 16's multi-process harness (not BenchmarkDotNet): feed-harness sqlite|postgres [entries] [changes] [interval-ms].
        if (args is ["feed-harness", ..])
        {
            return FeedHarness.RunAsync(args).GetAwaiter().GetResult();
        }

        if (args is ["feed-writer", ..])
        {
            return FeedHarness.WriteAsync(args).GetAwaiter().GetResult();
        }

        // For a profiler (perf with DOTNET_PerfMapEnabled=1): resolve-loop [entries] [seconds] resolves the benchmark references in a loop.
        if (args is ["resolve-loop", ..])
        {
            return ResolveLoop.RunAsync(args).GetAwaiter().GetResult();
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
