using Microsoft.Extensions.Primitives;

namespace RegistryCredentials.AspNetCore.Internal;

/// <summary>A change token source: <see cref="Watch"/> returns a token that <see cref="Fire"/> cancels, then a fresh one.</summary>
internal sealed class ChangeSignal : IDisposable
{
    private CancellationTokenSource _source = new();

    public IChangeToken Watch() => new CancellationChangeToken(Volatile.Read(ref _source).Token);

    public void Fire()
    {
        var fired = Interlocked.Exchange(ref _source, new CancellationTokenSource());
        fired.Cancel();
        fired.Dispose();
    }

    public void Dispose() => Volatile.Read(ref _source).Dispose();
}
