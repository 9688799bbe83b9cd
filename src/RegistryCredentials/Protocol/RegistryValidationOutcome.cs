namespace RegistryCredentials;

/// <summary>What checking a credential against its registry found.</summary>
public enum RegistryValidationOutcome
{
    /// <summary>The registry accepted the credential.</summary>
    Valid,

    /// <summary>The registry or its token service answered 401 or 403.</summary>
    Unauthorized,

    /// <summary>The host answered, but not as a Docker Registry HTTP API v2 registry.</summary>
    NotARegistry,

    /// <summary>The host could not be reached (DNS, connection refused or reset).</summary>
    Unreachable,

    /// <summary>The TLS handshake failed (untrusted, name mismatch, expired).</summary>
    TlsFailure,

    /// <summary>The registry did not answer in time.</summary>
    Timeout,

    /// <summary>
    /// The registry or its token service answered against the protocol: a malformed challenge, a token response without
    /// a token, bad JSON, an oversized body, or a refused token realm.
    /// </summary>
    ProtocolError,
}
