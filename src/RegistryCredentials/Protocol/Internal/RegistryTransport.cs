using System.Collections.Concurrent;

namespace RegistryCredentials.Internal;

/// <summary>
/// The HTTP connections the library opens to registries and token realms: one pooled
/// <see cref="SocketsHttpHandler"/> per (host, TLS policy), never following redirects by itself (the callers do,
/// dropping credentials when the host changes). A relaxed TLS policy applies to the hosts of its entry only.
/// </summary>
internal sealed class RegistryTransport : IDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<Connection>> _connections = new(StringComparer.Ordinal);

    /// <summary>Chooses the connection for a request to <paramref name="target"/> made on behalf of <paramref name="entry"/>.</summary>
    public Connection For(Uri target, RegistryEntry? entry)
    {
        var host = HostOf(target);
        var skip = entry is not null && !entry.VerifyTls && (entry.Scope.HostMatches(host) || host == entry.Scope.ApiHost);
        var ca = entry?.CaCertificates;
        var key = target.Scheme + "://" + target.Authority + "|" + TlsPolicy.Key(skip, ca);
        return _connections.GetOrAdd(key, _ => new Lazy<Connection>(() => new Connection(TlsPolicy.Create(skip, ca)))).Value;
    }

    /// <summary>The host of a URI as a scope stores it (IPv6 bracketed, lower-case).</summary>
    public static string HostOf(Uri uri) =>
        uri.HostNameType == UriHostNameType.IPv6 ? "[" + uri.IdnHost.Trim('[', ']') + "]" : uri.IdnHost.ToLowerInvariant();

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
        public Connection(TlsPolicy policy)
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

        public TlsPolicy Policy { get; }

        public HttpMessageInvoker Invoker { get; }

        public void Dispose()
        {
            Invoker.Dispose();
            Policy.Dispose();
        }
    }
}
