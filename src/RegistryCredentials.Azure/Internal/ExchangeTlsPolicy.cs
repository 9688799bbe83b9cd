using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace RegistryCredentials.Azure.Internal;

/// <summary>
/// The certificate check for an entry's registry, the same three policies the core applies: the system store (default),
/// the entry's own CA bundle (<see cref="RegistryEntry.CaCertificates"/>), or none (<see cref="RegistryEntry.VerifyTls"/>
/// false; the exchange only ever goes to the entry's own host). Remembers why the last handshake failed.
/// </summary>
internal sealed class ExchangeTlsPolicy : IDisposable
{
    private readonly X509Certificate2Collection? _roots;

    public ExchangeTlsPolicy(bool skipVerification, string? caPem)
    {
        SkipVerification = skipVerification;
        if (!skipVerification && caPem is not null)
        {
            _roots = [];
            _roots.ImportFromPem(caPem);
        }
    }

    public bool SkipVerification { get; }

    public string? LastFailure { get; private set; }

    public static string Key(RegistryEntry entry) =>
        !entry.VerifyTls ? "skip" : entry.CaCertificates is null ? "system" : "ca:" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(entry.CaCertificates)));

    public bool Validate(X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (SkipVerification)
        {
            return true;
        }

        if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            return Fail("the registry sent no certificate");
        }

        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            return Fail("name mismatch: the certificate does not name the host");
        }

        if (_roots is null)
        {
            return errors == SslPolicyErrors.None || Fail(Describe(chain));
        }

        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.AddRange(_roots);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (chain is not null)
        {
            foreach (var element in chain.ChainElements)
            {
                custom.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return custom.Build(leaf) || Fail(Describe(custom));
    }

    public void Dispose()
    {
        foreach (var root in _roots ?? [])
        {
            root.Dispose();
        }
    }

    private bool Fail(string reason)
    {
        LastFailure = reason;
        return false;
    }

    private static string Describe(X509Chain? chain)
    {
        var flags = X509ChainStatusFlags.NoError;
        foreach (var status in chain?.ChainStatus ?? [])
        {
            flags |= status.Status;
        }

        if (flags.HasFlag(X509ChainStatusFlags.NotTimeValid))
        {
            return "expired: the certificate is outside its validity period";
        }

        if (flags.HasFlag(X509ChainStatusFlags.UntrustedRoot) || flags.HasFlag(X509ChainStatusFlags.PartialChain))
        {
            return "untrusted: the certificate's issuer is not trusted";
        }

        return flags == X509ChainStatusFlags.NoError ? "the certificate was refused" : "the certificate chain is invalid (" + flags + ")";
    }
}
