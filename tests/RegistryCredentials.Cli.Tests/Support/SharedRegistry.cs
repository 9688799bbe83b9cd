using RegistryCredentials.Tests.Support.Registry;

namespace RegistryCredentials.Cli.Tests.Support;

/// <summary>One HtpasswdTls distribution registry (with test/app:v1 pushed) for the whole run, started on first use.</summary>
public static class SharedRegistry
{
    private static readonly Lock Gate = new();
    private static Task<DistributionRegistry>? _registry;

    public static Task<DistributionRegistry> GetAsync()
    {
        lock (Gate)
        {
            return _registry ??= DistributionRegistry.StartAsync(RegistryMode.HtpasswdTls);
        }
    }

    /// <summary>Writes the registry's CA as <c>ca.crt</c> in a fresh folder (skopeo's cert-dir layout) and returns the file.</summary>
    public static string WriteCa(DistributionRegistry registry, string directory)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, "ca.crt");
        File.WriteAllText(path, registry.CaPem);
        return path;
    }

    public static async Task StopAsync()
    {
        Task<DistributionRegistry>? registry;
        lock (Gate)
        {
            registry = _registry;
            _registry = null;
        }

        if (registry is not null)
        {
            await (await registry).DisposeAsync();
        }
    }
}
