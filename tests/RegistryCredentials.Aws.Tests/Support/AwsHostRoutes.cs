using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using RegistryCredentials.Tests.Support.Registry;

namespace RegistryCredentials.Aws.Tests.Support;

/// <summary>
/// Lets the code under test call AWS by its real host names (<c>api.ecr-fips.us-east-1.amazonaws.com</c>,
/// <c>sts-fips.us-east-1.amazonaws.com</c>, …) with no <c>ServiceUrl</c> override, while every connection goes to a
/// loopback server: the handler's connect callback dials the loopback port routed for the host name and refuses any
/// other name, so nothing leaves the machine. TLS is checked in full against the test CA, for the real host name (SNI
/// and the certificate's SAN), with a server certificate issued for exactly the routed names.
/// </summary>
public sealed class AwsHostRoutes
{
    private readonly ConcurrentDictionary<string, int> _ports = new(StringComparer.OrdinalIgnoreCase);

    public AwsHostRoutes(params string[] hostNames)
    {
        HostNames = hostNames;
        var now = DateTimeOffset.UtcNow; // certificate validity is checked by the TLS stack on the real clock
        Certificate = TestCertificates.Shared.IssueServerCertificate(
            "aws-" + Guid.NewGuid().ToString("N"),
            hostNames,
            [IPAddress.Loopback],
            now.AddDays(-1),
            now.AddDays(7)).Certificate;
    }

    /// <summary>The AWS host names this set routes.</summary>
    public IReadOnlyList<string> HostNames { get; }

    /// <summary>A server certificate signed by the test CA for <see cref="HostNames"/>; give it to the loopback servers.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>Every host name the client dialled, in order (including refused ones).</summary>
    public ConcurrentQueue<string> Dialled { get; } = new();

    /// <summary>Sends connections for <paramref name="hostName"/> to the loopback server at <paramref name="loopback"/>.</summary>
    public void Route(string hostName, Uri loopback)
    {
        if (!HostNames.Contains(hostName, StringComparer.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"{hostName} is not in the certificate's names.", nameof(hostName));
        }

        _ports[hostName] = loopback.Port;
    }

    /// <summary>The primary handler for the <see cref="AwsEcrOptions.HttpClientName"/> client (ECR and STS calls).</summary>
    public SocketsHttpHandler CreateHandler() => new()
    {
        SslOptions = { RemoteCertificateValidationCallback = (
            _,
            certificate,
            _,
            errors) => TestCertificates.Shared.IsTrustedServerCertificate(certificate, errors) },
        ConnectCallback = async (context, cancellationToken) =>
        {
            var host = context.DnsEndPoint.Host;
            Dialled.Enqueue(host);
            if (context.DnsEndPoint.Port != 443 || !_ports.TryGetValue(host, out var port))
            {
                throw new HttpRequestException($"No loopback route for {host}:{context.DnsEndPoint.Port}: the test does not let this call leave the machine.");
            }

            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
        AllowAutoRedirect = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(1),
    };
}
