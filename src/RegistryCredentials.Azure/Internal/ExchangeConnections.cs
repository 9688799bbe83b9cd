using System.Collections.Concurrent;

namespace RegistryCredentials.Azure.Internal;

/// <summary>
/// Pooled connections for <c>POST /oauth2/exchange</c>: one <see cref="SocketsHttpHandler"/> per (registry, TLS policy),
/// never following redirects, without cookies.
/// </summary>
internal sealed class ExchangeConnections : IDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<Connection>> _connections = new(StringComparer.Ordinal);

    public Connection For(RegistryEntry entry)
    {
        var key = entry.Scope.Registry + "|" + ExchangeTlsPolicy.Key(entry);
        return _connections.GetOrAdd(key, _ => new Lazy<Connection>(() => new Connection(new ExchangeTlsPolicy(!entry.VerifyTls, entry.CaCertificates)))).Value;
    }

    public void Dispose()
    {
        foreach (var connection in _connections.Values)
        {
            if (connection.IsValueCreated)
            {
                connection.Value.Dispose();
            }
        }

        _connections.Clear();
    }

    /// <summary>A pooled handler and the TLS policy it applies.</summary>
    internal sealed class Connection : IDisposable
    {
        public Connection(ExchangeTlsPolicy policy)
        {
            Policy = policy;
            var handler = new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                UseCookies = false,
                AutomaticDecompression = System.Net.DecompressionMethods.None,
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                ConnectTimeout = TimeSpan.FromSeconds(30),
            };
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, chain, errors) => policy.Validate(certificate, chain, errors);
            Invoker = new HttpMessageInvoker(handler, disposeHandler: true);
        }

        public ExchangeTlsPolicy Policy { get; }

        public HttpMessageInvoker Invoker { get; }

        public void Dispose()
        {
            Invoker.Dispose();
            Policy.Dispose();
        }
    }
}
