using Amazon.Runtime.Internal;

namespace RegistryCredentials.Aws.Tests.Support;

/// <summary>
/// Sets environment variables for a test and puts the previous values back on dispose, so nothing leaks into other
/// tests. The AWS SDK reads some of them once into a static cache (the instance-metadata endpoint among them), so the
/// cache is reloaded after each change.
/// </summary>
public sealed class EnvironmentOverride : IDisposable
{
    private readonly Dictionary<string, string?> _previous = new(StringComparer.Ordinal);
    private int _disposed;

    public EnvironmentOverride(IReadOnlyDictionary<string, string?> values)
    {
        foreach (var (name, value) in values)
        {
            _previous[name] = Environment.GetEnvironmentVariable(name);
            Environment.SetEnvironmentVariable(name, value);
        }

        FallbackInternalConfigurationFactory.Reset();
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        foreach (var (name, value) in _previous)
        {
            Environment.SetEnvironmentVariable(name, value);
        }

        FallbackInternalConfigurationFactory.Reset();
    }
}
