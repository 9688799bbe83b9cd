using System.Security.Cryptography.X509Certificates;

namespace RegistryCredentials.Tests.Support.Registry;

/// <summary>
/// One generated certificate with its private key: the <see cref="X509Certificate2"/> (with key) and the PEM
/// text and files (<c>CertificatePath</c> holds the certificate, <c>KeyPath</c> the PKCS#8 private key).
/// </summary>
public sealed class TestCertificate : IDisposable
{
    internal TestCertificate(X509Certificate2 certificate, string certificatePem, string keyPem, string certificatePath, string keyPath)
    {
        Certificate = certificate;
        CertificatePem = certificatePem;
        KeyPem = keyPem;
        CertificatePath = certificatePath;
        KeyPath = keyPath;
    }

    /// <summary>The certificate, including its private key.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>The certificate as PEM (<c>-----BEGIN CERTIFICATE-----</c>).</summary>
    public string CertificatePem { get; }

    /// <summary>The private key as PKCS#8 PEM (<c>-----BEGIN PRIVATE KEY-----</c>).</summary>
    public string KeyPem { get; }

    /// <summary>The PEM certificate file.</summary>
    public string CertificatePath { get; }

    /// <summary>The PEM private key file.</summary>
    public string KeyPath { get; }

    /// <summary>The certificate without its private key (what a peer sees); a new instance per call, for the caller to dispose.</summary>
    public X509Certificate2 PublicCertificate => X509CertificateLoader.LoadCertificate(Certificate.RawData);

    public void Dispose() => Certificate.Dispose();
}
