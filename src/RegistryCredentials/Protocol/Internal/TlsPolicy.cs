using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace RegistryCredentials.Internal;

/// <summary>
/// How the certificate of one host is checked: full validation against the system store (default), against an
/// entry's own CA bundle, or not at all (an entry with <c>VerifyTls = false</c>, for hosts its scope covers only).
/// Remembers why the last handshake failed, so errors can name it.
/// </summary>
internal sealed class TlsPolicy : IDisposable
{
    private readonly X509Certificate2Collection? _roots;

    private TlsPolicy(bool skipVerification, X509Certificate2Collection? roots)
    {
        SkipVerification = skipVerification;
        _roots = roots;
    }

    public bool SkipVerification { get; }

    /// <summary>Why the last handshake failed, in words ("untrusted", "name mismatch", "expired").</summary>
    public string? LastFailure { get; private set; }

    /// <summary>The key that identifies equal policies, for pooling connections.</summary>
    public static string Key(bool skipVerification, string? caPem) =>
        skipVerification ? "skip" : caPem is null ? "system" : "ca:" + Convert.ToHexString(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(caPem)));

    public static TlsPolicy Create(bool skipVerification, string? caPem)
    {
        X509Certificate2Collection? roots = null;
        if (!skipVerification && caPem is not null)
        {
            roots = [];
            roots.ImportFromPem(caPem);
        }

        return new TlsPolicy(skipVerification, roots);
    }

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

        using var leaf = new X509Certificate2(certificate);
        return custom.Build(leaf) || Fail(Describe(custom));
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

    public void Dispose()
    {
        if (_roots is not null)
        {
            foreach (var root in _roots)
            {
                root.Dispose();
            }
        }
    }
}
