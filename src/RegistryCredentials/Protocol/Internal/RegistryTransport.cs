using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace RegistryCredentials.Internal;

/// <summary>
/// The HTTP connections the library opens to registries and token realms: one pooled
/// <see cref="SocketsHttpHandler"/> per (host, TLS policy, realm or not), never following redirects by itself (the callers
/// do, dropping credentials when the host changes). A relaxed TLS policy applies to the hosts of its entry only. Token
/// realms have connections of their own, opened only to addresses <see cref="RealmGuard"/> allows, checked on the
/// addresses connected to (not only on the name before the request).
/// </summary>
internal sealed class RegistryTransport : IDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<Connection>> _connections = new(StringComparer.Ordinal);

    /// <summary>Chooses the connection for a request to <paramref name="target"/> made on behalf of <paramref name="entry"/>.</summary>
    /// <param name="target">Where the request goes.</param>
    /// <param name="entry">The entry it is made for, whose TLS settings apply to its own hosts.</param>
    /// <param name="realm">
    /// For a request to a token realm, its <see cref="RealmGuard.Option"/>: the connections are the realm's for that
    /// registry alone, so one opened under a loopback registry's rule never carries another registry's request.
    /// </param>
    public Connection For(Uri target, RegistryEntry? entry, RealmGuard.Rule? realm = null)
    {
        var host = HostOf(target);
        var skip = entry is not null && !entry.VerifyTls && (entry.Scope.HostMatches(host) || host == entry.Scope.ApiHost);
        var ca = entry?.CaCertificates;
        var key = target.Scheme + "://" + target.Authority + "|" + TlsPolicy.Key(skip, ca)
            + (realm is null ? string.Empty : "|realm of " + realm.Registry.GetLeftPart(UriPartial.Authority));
        return _connections.GetOrAdd(
            key,
            _ => new Lazy<Connection>(() => new Connection(TlsPolicy.Create(skip, ca), realm is null ? null : ConnectToRealmAsync))).Value;
    }

    /// <summary>
    /// Opens a realm connection: resolves its host, applies <see cref="RealmGuard"/>'s rules for the request's registry to
    /// every address, and connects to those addresses (the first that answers), so the connection goes where the check
    /// looked.
    /// </summary>
    private static async ValueTask<Stream> ConnectToRealmAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var request = context.InitialRequestMessage;
        if (!request.Options.TryGetValue(RealmGuard.Option, out var rule))
        {
            throw new InvalidOperationException("A realm connection was opened for a request that is not to a realm.");
        }

        var addresses = await RealmGuard.ResolveAsync(context.DnsEndPoint.Host, cancellationToken).ConfigureAwait(false);
        await RealmGuard.CheckAddressesAsync(request.RequestUri!, addresses, rule.Registry, cancellationToken).ConfigureAwait(false);
        SocketException? failure = null;
        foreach (var address in addresses)
        {
            // As SocketsHttpHandler's own connect: a dual-mode socket where the system has IPv6, so an IPv4-mapped address
            // connects too.
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, context.DnsEndPoint.Port), cancellationToken).ConfigureAwait(false);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException e)
            {
                socket.Dispose();
                failure = e;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        throw failure ?? new SocketException((int)SocketError.HostNotFound);
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
        public Connection(TlsPolicy policy, Func<SocketsHttpConnectionContext, CancellationToken, ValueTask<Stream>>? connect)
        {
            Policy = policy;
            var handler = new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                UseCookies = false,
                AutomaticDecompression = System.Net.DecompressionMethods.None,
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                ConnectTimeout = TimeSpan.FromSeconds(30),
                ConnectCallback = connect,
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
