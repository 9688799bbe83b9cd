namespace RegistryCredentials.AspNetCore.Tests.Support;

/// <summary>A credential validator whose answer a test chooses; it can hold callers at a gate to make requests overlap.</summary>
public sealed class FakeValidator : IRegistryCredentialValidator
{
    private int _calls;

    public RegistryValidationResult Result { get; set; } = RegistryValidationResult.Valid;

    /// <summary>Awaited inside every call when set (for example a barrier that two requests must reach).</summary>
    public Func<CancellationToken, Task>? Gate { get; set; }

    public int Calls => Volatile.Read(ref _calls);

    public async ValueTask<RegistryValidationResult> ValidateAsync(
        RegistryEntry entry,
        RegistryCredential credential,
        CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _calls);
        if (Gate is { } gate)
        {
            await gate(cancellationToken);
        }

        return Result;
    }
}
