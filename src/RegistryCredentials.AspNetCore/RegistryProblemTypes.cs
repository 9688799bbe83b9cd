namespace RegistryCredentials.AspNetCore;

/// <summary>
/// The <c>type</c> of every RFC 9457 problem the Registries HTTP API returns. They are stable identifiers (URNs, not
/// links): compare against them rather than against titles or messages.
/// </summary>
public static class RegistryProblemTypes
{
    /// <summary>400: the scope is not <c>host[:port][/path][/*]</c> (for example it starts with <c>https://</c>: drop it).</summary>
    public const string InvalidScope = "urn:registry-credentials:problem:invalid-scope";

    /// <summary>400: the image reference of <c>_resolve</c> is not valid; <c>part</c> names the offending part.</summary>
    public const string InvalidImageReference = "urn:registry-credentials:problem:invalid-image-reference";

    /// <summary>400: a field or query parameter is missing or not valid; <c>field</c> names it.</summary>
    public const string InvalidField = "urn:registry-credentials:problem:invalid-field";

    /// <summary>400: the body is not the expected JSON document.</summary>
    public const string InvalidBody = "urn:registry-credentials:problem:invalid-body";

    /// <summary>400: no credential provider handles the registry type.</summary>
    public const string TypeNotSupported = "urn:registry-credentials:problem:type-not-supported";

    /// <summary>400: a state-changing request from a browser came without a valid antiforgery token.</summary>
    public const string AntiforgeryTokenInvalid = "urn:registry-credentials:problem:antiforgery-token-invalid";

    /// <summary>403: the request has no account (the account selector returned null or an invalid name).</summary>
    public const string AccountRequired = "urn:registry-credentials:problem:account-required";

    /// <summary>404: the account has no entry with the scope.</summary>
    public const string NotFound = "urn:registry-credentials:problem:not-found";

    /// <summary>409: an entry with the scope exists, or the entry changed while the request ran.</summary>
    public const string Conflict = "urn:registry-credentials:problem:conflict";

    /// <summary>412: the entry's version (its <c>ETag</c>) is not the one <c>If-Match</c> named.</summary>
    public const string PreconditionFailed = "urn:registry-credentials:problem:precondition-failed";

    /// <summary>415: the body is not <c>application/json</c>.</summary>
    public const string UnsupportedMediaType = "urn:registry-credentials:problem:unsupported-media-type";

    /// <summary>422: the registry rejected the credential or could not be checked; <c>outcome</c> names why (<see cref="RegistryValidationOutcome"/>).</summary>
    public const string ValidationFailed = "urn:registry-credentials:problem:validation-failed";
}
