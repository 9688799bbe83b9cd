namespace RegistryCredentials.Tests.Support.Registry;

/// <summary>How <see cref="DistributionRegistry"/> configures the CNCF distribution registry.</summary>
public enum RegistryMode
{
    /// <summary>htpasswd (bcrypt) Basic auth over TLS with <see cref="TestCertificates.Server"/> (trusted by <see cref="TestCertificates.CaPem"/>).</summary>
    HtpasswdTls,

    /// <summary>
    /// <c>auth.token</c> over TLS: realm = the in-process <see cref="TokenServer"/>, <c>rootcertbundle</c> =
    /// <see cref="TestCertificates.TokenSigning"/>.
    /// </summary>
    TokenTls,

    /// <summary>Plain HTTP, no authentication.</summary>
    PlainHttp,

    /// <summary>
    /// Plain HTTP with htpasswd Basic auth: distribution 2.8 allows it (credentials travel in clear text; for "never
    /// send credentials over HTTP" tests).
    /// </summary>
    PlainHttpHtpasswd,

    /// <summary>TLS with <see cref="TestCertificates.Server"/>, no authentication.</summary>
    TlsNoAuth,

    /// <summary>htpasswd over TLS with <see cref="TestCertificates.ExpiredServer"/> (signed by the CA, expired).</summary>
    ExpiredTls,

    /// <summary>htpasswd over TLS with <see cref="TestCertificates.WrongNameServer"/> (signed by the CA, SAN only <c>wrong.example</c>).</summary>
    WrongNameTls,

    /// <summary>htpasswd over TLS with <see cref="TestCertificates.UntrustedServer"/> (self-signed for the right names, not signed by the CA).</summary>
    UntrustedTls,
}
