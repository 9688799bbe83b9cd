namespace RegistryCredentials.Tests.Support;

/// <summary>How a <see cref="FakeBlobStorage"/> answers a blob request that a registry redirected to it.</summary>
public enum BlobStorageBehaviour
{
    /// <summary>
    /// Pre-signed storage (S3 or GCS signed URLs): the URL is the authorisation, so the blob is served to a request
    /// without an <c>Authorization</c> header, and a request that carries one is refused with <c>400</c>, as S3 refuses a
    /// pre-signed request that also carries an <c>Authorization</c> header ("Only one auth mechanism allowed").
    /// </summary>
    PreSigned,

    /// <summary>
    /// Storage that asks for its own token: <c>401</c> with <c>WWW-Authenticate: Bearer realm="{its origin}/token"</c>
    /// (the distribution token-auth challenge format), a token endpoint that mints a token for anyone, and the blob for a
    /// request that presents such a token. A client that treats this 401 as the registry's leaks the registry's
    /// credential to that realm.
    /// </summary>
    ForeignBearer,

    /// <summary>Storage that asks for HTTP Basic: <c>401</c> with <c>WWW-Authenticate: Basic realm="storage"</c>, and the blob for any Basic header.</summary>
    ForeignBasic,

    /// <summary>Storage that answers <c>403</c> to every request (a signed URL that expired, a bucket policy that denies).</summary>
    Forbidden,
}
