using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace RegistryCredentials.Tests.Support.Registry;

/// <summary>
/// Certificates generated per run with <see cref="CertificateRequest"/>: a self-signed CA (ECDSA P-256), a
/// server certificate signed by it for <c>127.0.0.1</c>, <c>::1</c> and <c>localhost</c>, and a separate
/// self-signed RSA 2048 certificate that signs registry bearer tokens (RS256). For TLS-failure tests it also
/// makes (lazily) an expired server certificate, one for the wrong name (<c>wrong.example</c> only) and one
/// for the right names that no trusted CA signed. Every certificate and key is also written as PEM into
/// <see cref="DirectoryPath"/>, which <see cref="Dispose"/> deletes.
/// </summary>
public sealed class TestCertificates : IDisposable
{
    /// <summary>The only name <see cref="WrongNameServer"/> is valid for.</summary>
    public const string WrongName = "wrong.example";

    private static readonly Lazy<TestCertificates> SharedInstance = new(CreateShared, LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly Lazy<TestCertificate> _expiredServer;
    private readonly Lazy<TestCertificate> _wrongNameServer;
    private readonly Lazy<TestCertificate> _untrustedServer;
    private int _disposed;

    private TestCertificates(string directory)
    {
        DirectoryPath = directory;
        var now = DateTimeOffset.UtcNow;
        Ca = CreateCa(now);
        Server = IssueServerCertificate("server", ["localhost"], [IPAddress.Loopback, IPAddress.IPv6Loopback], now.AddDays(-1), now.AddDays(7));
        TokenSigning = CreateTokenSigning(now);
        _expiredServer = new(
            () => IssueServerCertificate("expired-server", ["localhost"], [IPAddress.Loopback, IPAddress.IPv6Loopback], now.AddDays(-10), now.AddDays(-1)),
            LazyThreadSafetyMode.ExecutionAndPublication);
        _wrongNameServer = new(
            () => IssueServerCertificate("wrong-name-server", [WrongName], [], now.AddDays(-1), now.AddDays(7)),
            LazyThreadSafetyMode.ExecutionAndPublication);
        _untrustedServer = new(() => CreateUntrustedServer(now), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>One set for the whole test run (deleted when the process exits). Use <see cref="Create"/> for a private set.</summary>
    public static TestCertificates Shared => SharedInstance.Value;

    /// <summary>The folder holding the PEM files.</summary>
    public string DirectoryPath { get; }

    /// <summary>The self-signed CA that signs <see cref="Server"/>, <see cref="ExpiredServer"/> and <see cref="WrongNameServer"/>.</summary>
    public TestCertificate Ca { get; }

    /// <summary>The CA bundle as PEM: what a registry entry's "CA bundle" holds.</summary>
    public string CaPem => Ca.CertificatePem;

    /// <summary>The CA bundle PEM file.</summary>
    public string CaPath => Ca.CertificatePath;

    /// <summary>The CA certificate without its private key; a new instance per call, for the caller to dispose.</summary>
    public X509Certificate2 CaCertificate => Ca.PublicCertificate;

    /// <summary>The server certificate (SAN <c>127.0.0.1</c>, <c>::1</c>, <c>localhost</c>), signed by <see cref="Ca"/>, valid now.</summary>
    public TestCertificate Server { get; }

    /// <summary>The self-signed RSA 2048 token-signing certificate; the registry's <c>auth.token.rootcertbundle</c>.</summary>
    public TestCertificate TokenSigning { get; }

    /// <summary>A server certificate for the right names, signed by <see cref="Ca"/>, that expired yesterday.</summary>
    public TestCertificate ExpiredServer => _expiredServer.Value;

    /// <summary>A server certificate signed by <see cref="Ca"/> whose only SAN is <see cref="WrongName"/>.</summary>
    public TestCertificate WrongNameServer => _wrongNameServer.Value;

    /// <summary>A self-signed server certificate for the right names that <see cref="Ca"/> did not sign (untrusted).</summary>
    public TestCertificate UntrustedServer => _untrustedServer.Value;

    /// <summary>Generates a fresh set in a new temp folder.</summary>
    public static TestCertificates Create() => new(Directory.CreateTempSubdirectory("rc-certs-").FullName);

    /// <summary>Issues another server certificate signed by <see cref="Ca"/> (files <c>{fileName}.crt</c> / <c>.key</c>).</summary>
    public TestCertificate IssueServerCertificate(
        string fileName,
        IReadOnlyCollection<string> dnsNames,
        IReadOnlyCollection<IPAddress> addresses,
        DateTimeOffset notBefore,
        DateTimeOffset notAfter)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var subjectName = dnsNames.FirstOrDefault() ?? addresses.FirstOrDefault()?.ToString() ?? "server";
        var request = new CertificateRequest($"CN={subjectName}, O=RegistryCredentials tests", key, HashAlgorithmName.SHA256);
        AddServerExtensions(request, dnsNames, addresses);
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(
            Ca.Certificate,
            includeKeyIdentifier: true,
            includeIssuerAndSerial: false));
        using var issued = request.Create(Ca.Certificate, notBefore, notAfter, NewSerialNumber());
        return Save(fileName, issued.CopyWithPrivateKey(key), key);
    }

    /// <summary>
    /// Validates a server certificate the way a client that trusts only <see cref="Ca"/> does: the chain must
    /// end at the CA and be time-valid, and the name must match (<paramref name="sslPolicyErrors"/> from the TLS stack).
    /// </summary>
    public bool IsTrustedServerCertificate(X509Certificate? certificate, SslPolicyErrors sslPolicyErrors)
    {
        if (certificate is null || (sslPolicyErrors & (SslPolicyErrors.RemoteCertificateNotAvailable | SslPolicyErrors.RemoteCertificateNameMismatch)) != 0)
        {
            return false;
        }

        using var ca = CaCertificate;
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return chain.Build(leaf);
    }

    /// <summary>A handler whose TLS trusts only <see cref="Ca"/> (full validation otherwise; no system roots).</summary>
    public SocketsHttpHandler CreateTrustingHandler() => new()
    {
        SslOptions = new SslClientAuthenticationOptions
        {
            RemoteCertificateValidationCallback = (_, certificate, _, errors) => IsTrustedServerCertificate(certificate, errors),
        },
        AllowAutoRedirect = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(1),
    };

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        Ca.Dispose();
        Server.Dispose();
        TokenSigning.Dispose();
        foreach (var lazy in new[] { _expiredServer, _wrongNameServer, _untrustedServer })
        {
            if (lazy.IsValueCreated)
            {
                lazy.Value.Dispose();
            }
        }

        try
        {
            Directory.Delete(DirectoryPath, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static TestCertificates CreateShared()
    {
        var certificates = Create();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => certificates.Dispose();
        return certificates;
    }

    private static byte[] NewSerialNumber()
    {
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] = (byte)((serial[0] & 0x7F) | 0x40); // positive, fixed length
        return serial;
    }

    private static void AddServerExtensions(CertificateRequest request, IReadOnlyCollection<string> dnsNames, IReadOnlyCollection<IPAddress> addresses)
    {
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1", "Server Authentication")], false));
        var san = new SubjectAlternativeNameBuilder();
        foreach (var name in dnsNames)
        {
            san.AddDnsName(name);
        }

        foreach (var address in addresses)
        {
            san.AddIpAddress(address);
        }

        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
    }

    private TestCertificate CreateCa(DateTimeOffset now)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=RegistryCredentials test CA, O=RegistryCredentials tests", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature,
            true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var certificate = request.CreateSelfSigned(now.AddDays(-30), now.AddDays(30));
        return Save("ca", certificate, key);
    }

    private TestCertificate CreateTokenSigning(DateTimeOffset now)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(
            "CN=RegistryCredentials test token signer, O=RegistryCredentials tests",
            key,
            HashAlgorithmName.SHA256,
            RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var certificate = request.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));
        return Save("token-signing", certificate, key);
    }

    private TestCertificate CreateUntrustedServer(DateTimeOffset now)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost, O=Untrusted", key, HashAlgorithmName.SHA256);
        AddServerExtensions(request, ["localhost"], [IPAddress.Loopback, IPAddress.IPv6Loopback]);
        var certificate = request.CreateSelfSigned(now.AddDays(-1), now.AddDays(7));
        return Save("untrusted-server", certificate, key);
    }

    private TestCertificate Save(string fileName, X509Certificate2 certificate, AsymmetricAlgorithm key)
    {
        var certificatePem = certificate.ExportCertificatePem() + "\n";
        var keyPem = key.ExportPkcs8PrivateKeyPem() + "\n";
        var certificatePath = Path.Combine(DirectoryPath, fileName + ".crt");
        var keyPath = Path.Combine(DirectoryPath, fileName + ".key");
        File.WriteAllText(certificatePath, certificatePem);
        File.WriteAllText(keyPath, keyPem);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(keyPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return new TestCertificate(certificate, certificatePem, keyPem, certificatePath, keyPath);
    }
}
