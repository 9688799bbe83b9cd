using Microsoft.Extensions.Primitives;

namespace RegistryCredentials.PostgreSql.Internal;

/// <summary>The change token source: <see cref="Watch"/> hands out the current token; <see cref="Fire"/> fires it and starts a new one.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "Token sources are never disposed: tokens handed out may still register callbacks, as in InMemoryRegistryStore.")]
internal sealed class ChangeSignal
{
    private readonly Lock _gate = new();
    private CancellationTokenSource _current = new();

    public IChangeToken Watch()
    {
        lock (_gate)
        {
            return new CancellationChangeToken(_current.Token);
        }
    }

    /// <summary>Fires the current token. Callbacks run on the calling thread; their exceptions are thrown as an <see cref="AggregateException"/>.</summary>
    public void Fire()
    {
        CancellationTokenSource fired;
        lock (_gate)
        {
            fired = _current;
            _current = new CancellationTokenSource();
        }

        // Not disposed: tokens handed out earlier may still register callbacks on it.
        fired.Cancel();
    }
}
