namespace RegistryCredentials;

/// <summary>
/// Why an operation failed: the one failure model of the packages. Every <see cref="RegistryCredentialsException"/>
/// carries one in <see cref="RegistryCredentialsException.Reason"/>, and <see cref="RegistryErrorCatalog"/> maps each
/// to an HTTP status and problem <c>type</c> and to a <c>regcred</c> exit code. The detailed kinds of the provider and
/// store packages (such as <c>AwsEcrException.Kind</c> or <c>SqliteStoreException.Kind</c>) stay on their exception
/// types as extra data.
/// </summary>
public enum RegistryErrorReason
{
    /// <summary>Not classified: an unexpected failure.</summary>
    Unspecified = 0,

    /// <summary>
    /// An argument, request field or text is malformed: an <see cref="ArgumentException"/> or <see cref="FormatException"/>
    /// (such as <see cref="RegistryScopeFormatException"/>, <see cref="ImageReferenceFormatException"/> or
    /// <see cref="RegistryFieldException"/>). Nothing was stored.
    /// </summary>
    InvalidArgument = 1,

    /// <summary>
    /// A credential provider refuses the entry's settings whatever the registry says (a malformed <c>_iam_role</c>
    /// password or Google key, a host the type does not serve, an Azure user name of no known form);
    /// <see cref="RegistryCredentialsException.Field"/> names the property at fault. Nothing was stored.
    /// </summary>
    InvalidEntry = 2,

    /// <summary>
    /// The entry uses a mode that the application's options turn off (<c>awsauto</c>, Google Application Default
    /// Credentials, <c>DefaultAzureCredential</c>); <see cref="RegistryCredentialsException.Field"/> names the property.
    /// </summary>
    NotAllowed = 3,

    /// <summary>No registered credential provider handles the entry's registry type.</summary>
    TypeNotSupported = 4,

    /// <summary>The account has no entry with the scope.</summary>
    NotFound = 5,

    /// <summary>An entry with the scope already exists in the account.</summary>
    Conflict = 6,

    /// <summary>The entry is not at the version the caller expected: somebody else changed it first. Read it again and retry.</summary>
    Concurrency = 7,

    /// <summary>
    /// The registry, its token service or the cloud provider's API refused the credential (HTTP 401 or 403, a wrong or
    /// expired key, a refused role), or no identity was found for a mode that uses the machine's.
    /// </summary>
    Unauthorized = 8,

    /// <summary>The host answered, but not as a Docker Registry HTTP API v2 registry.</summary>
    NotARegistry = 9,

    /// <summary>The registry, token service or cloud API could not be reached (DNS, connection refused or reset, HTTP 5xx after retries).</summary>
    Unreachable = 10,

    /// <summary>The TLS handshake failed (untrusted certificate, name mismatch, expired).</summary>
    TlsFailure = 11,

    /// <summary>The registry, token service or cloud API did not answer in time.</summary>
    Timeout = 12,

    /// <summary>The registry, token service or cloud API kept answering "too many requests".</summary>
    Throttled = 13,

    /// <summary>
    /// The registry, token service or cloud API answered against its protocol: a malformed challenge, a response without
    /// a usable token, bad JSON, an oversized body, a refused token realm or redirect.
    /// </summary>
    ProtocolError = 14,

    /// <summary>The pull is denied: the registry is not on the allow-list, the entry is deactivated, or no provider handles its type.</summary>
    PullDenied = 15,

    /// <summary>
    /// The store cannot be used right now: the server cannot be reached or went away, the database stayed locked, the
    /// file cannot be opened or written. See <see cref="RegistryCredentialsException.IsTransient"/>.
    /// </summary>
    StoreUnavailable = 16,

    /// <summary>
    /// The store holds data this version cannot use: not a registry database, another application's, damaged, or
    /// written by a newer version. Nothing was changed.
    /// </summary>
    StoreIncompatible = 17,

    /// <summary>
    /// A secret could not be protected or unprotected: the key is missing or malformed, a stored secret is under a key
    /// that is not configured, or a write would use a key the store does not know (<see cref="RegistrySecretKeyException"/>).
    /// </summary>
    SecretKey = 18,

    /// <summary>
    /// The application's setup is incomplete or inconsistent: invalid options, validation asked for with no validator
    /// registered, endpoints mapped without their services.
    /// </summary>
    Misconfigured = 19,
}
