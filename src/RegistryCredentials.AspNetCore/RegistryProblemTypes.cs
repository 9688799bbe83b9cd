namespace RegistryCredentials.AspNetCore;

/// <summary>
/// The <c>type</c> of every RFC 9457 problem the Registries HTTP API returns. They are stable identifiers (URNs, not
/// links): compare against them rather than against titles or messages. A problem for a failure of the library carries
/// the type of its reason in <see cref="RegistryErrorCatalog"/> (the one table of the failure model), plus <c>code</c>
/// (the <see cref="RegistryErrorReason"/>) and <c>transient</c> (whether retrying may help); the API refines the
/// <see cref="RegistryErrorReason.InvalidArgument"/> type for scopes and image references, and the
/// <see cref="RegistryErrorReason.Concurrency"/> one to <see cref="PreconditionFailed"/> for a request with <c>If-Match</c>.
/// </summary>
public static class RegistryProblemTypes
{
    /// <summary>400: the scope is not <c>host[:port][/path][/*]</c> (for example it starts with <c>https://</c>: drop it).</summary>
    public const string InvalidScope = "urn:registry-credentials:problem:invalid-scope";

    /// <summary>400: the image reference of <c>_resolve</c> is not valid; <c>part</c> names the offending part.</summary>
    public const string InvalidImageReference = "urn:registry-credentials:problem:invalid-image-reference";

    /// <summary>
    /// 400: a field or query parameter is missing or not valid, or the registry type's provider refuses it (a malformed
    /// <c>_iam_role</c> password or Google key, a host the type does not serve); <c>field</c> names it.
    /// </summary>
    public const string InvalidField = "urn:registry-credentials:problem:invalid-field";

    /// <summary>400: the body is not the expected JSON document.</summary>
    public const string InvalidBody = "urn:registry-credentials:problem:invalid-body";

    /// <summary>
    /// 400: the entry uses a mode the application's options turn off (<c>awsauto</c>, Google Application Default
    /// Credentials, <c>DefaultAzureCredential</c>); <c>field</c> names it.
    /// </summary>
    public const string NotAllowed = "urn:registry-credentials:problem:not-allowed";

    /// <summary>400: no credential provider handles the registry type.</summary>
    public const string TypeNotSupported = "urn:registry-credentials:problem:type-not-supported";

    /// <summary>400: a state-changing request from a browser came without a valid antiforgery token.</summary>
    public const string AntiforgeryTokenInvalid = "urn:registry-credentials:problem:antiforgery-token-invalid";

    /// <summary>403: the request has no account (the account selector returned null or an invalid name).</summary>
    public const string AccountRequired = "urn:registry-credentials:problem:account-required";

    /// <summary>403: the pull is denied (registry not allowed, entry deactivated, no provider for its type).</summary>
    public const string PullDenied = "urn:registry-credentials:problem:pull-denied";

    /// <summary>404: the account has no entry with the scope.</summary>
    public const string NotFound = "urn:registry-credentials:problem:not-found";

    /// <summary>409: an entry with the scope exists, or the entry changed while the request ran.</summary>
    public const string Conflict = "urn:registry-credentials:problem:conflict";

    /// <summary>412: the entry's or the policy's version (its <c>ETag</c>) is not the one <c>If-Match</c> named.</summary>
    public const string PreconditionFailed = "urn:registry-credentials:problem:precondition-failed";

    /// <summary>415: the body is not <c>application/json</c>.</summary>
    public const string UnsupportedMediaType = "urn:registry-credentials:problem:unsupported-media-type";

    /// <summary>
    /// 422: the registry (or its token service, or the cloud provider's API) rejected the credential or could not be
    /// checked; <c>outcome</c> (<see cref="RegistryValidationOutcome"/>) or <c>code</c> names why, <c>transient</c> whether
    /// retrying may help.
    /// </summary>
    public const string ValidationFailed = "urn:registry-credentials:problem:validation-failed";

    /// <summary>500: an unexpected failure of the library (<see cref="RegistryErrorReason.Unspecified"/>); the server logged it.</summary>
    public const string Failed = "urn:registry-credentials:problem:failed";

    /// <summary>500: the store holds data this version cannot use (another application's, damaged, newer); the server logged it.</summary>
    public const string StoreIncompatible = "urn:registry-credentials:problem:store-incompatible";

    /// <summary>500: the server's secret key does not fit the stored secrets, or is missing; nothing was changed; the server logged it.</summary>
    public const string SecretKey = "urn:registry-credentials:problem:secret-key";

    /// <summary>500: the application is misconfigured (for example validation asked for with no validator registered); the server logged it.</summary>
    public const string Misconfigured = "urn:registry-credentials:problem:misconfigured";

    /// <summary>503: the store cannot be reached or used right now; <c>transient</c> says whether retrying may help; the server logged it.</summary>
    public const string StoreUnavailable = "urn:registry-credentials:problem:store-unavailable";

    /// <summary>
    /// 403: the request's <c>x-anchore-account</c> header names an account the caller may not act as (the host's
    /// <see cref="RegistryCredentialsApiOptions.ActAsAccountPolicy"/> refused it, or none is set).
    /// </summary>
    public const string AccountForbidden = "urn:registry-credentials:problem:account-forbidden";
}
