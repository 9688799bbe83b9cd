using BenchmarkDotNet.Running;

namespace RegistryCredentials.Benchmarks;

/// <summary>Entry point: <c>./build.sh bench --filter '*'</c> (arguments go to BenchmarkDotNet).</summary>
public static class Program
{
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
