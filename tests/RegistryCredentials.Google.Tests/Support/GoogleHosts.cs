using RegistryCredentials.Tests.Support;

namespace RegistryCredentials.Google.Tests.Support;

/// <summary>Test hosts with the Google provider added.</summary>
public static class GoogleHosts
{
    /// <summary>
    /// A <see cref="TestHost"/> (fake clock, captured logs, mocked validator unless <paramref name="withValidator"/> is
    /// false) with <c>AddGoogle</c>.
    /// </summary>
    public static TestHost Create(Action<GoogleOptions>? configure = null, bool withValidator = true, Action<RegistryCredentialsBuilder>? build = null) =>
        new(build: b =>
        {
            b.AddGoogle(configure);
            build?.Invoke(b);
        }, withValidator: withValidator);

    /// <summary>The exception a task throws, or null.</summary>
    public static async Task<Exception?> CatchAsync(Func<Task> action)
    {
        try
        {
            await action();
            return null;
        }
        catch (Exception e)
        {
            return e;
        }
    }
}
