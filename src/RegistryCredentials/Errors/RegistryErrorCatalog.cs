using Microsoft.Extensions.Options;

namespace RegistryCredentials;

/// <summary>
/// The one table of the failure model: each <see cref="RegistryErrorReason"/> → HTTP status and problem <c>type</c> of the
/// Registries HTTP API, and → exit code of <c>regcred</c>. Both front ends read it; a new front end should too.
/// </summary>
/// <remarks>
/// <para>
/// Exit codes: 0 success; 1 bad usage or any other failure; 2 not found; 3 conflict; 4 the registry (or its token service,
/// or the cloud provider's API) rejected the credential or could not be checked; 5 the pull is denied; 130 cancelled.
/// </para>
/// <para>
/// Cancellation (<see cref="OperationCanceledException"/>) is not a failure reason: the caller chose it, and each front end
/// answers it its own way (<c>regcred</c> exits 130; an aborted HTTP request gets no answer).
/// </para>
/// </remarks>
public static class RegistryErrorCatalog
{
    private const string Prefix = "urn:registry-credentials:problem:";
    private const string InvalidFieldType = Prefix + "invalid-field";
    private const string ConflictType = Prefix + "conflict";
    private const string ValidationFailedType = Prefix + "validation-failed";
    private const string ValidationFailedTitle = "The registry did not accept the credential";

    private static readonly RegistryErrorMapping[] Table =
    [
        new(RegistryErrorReason.Unspecified, 500, Prefix + "failed", "The operation failed", 1, false),
        new(RegistryErrorReason.InvalidArgument, 400, InvalidFieldType, "Invalid field", 1, false),
        new(RegistryErrorReason.InvalidEntry, 400, InvalidFieldType, "Invalid field", 1, false),
        new(RegistryErrorReason.NotAllowed, 400, Prefix + "not-allowed", "Not allowed by the application", 1, false),
        new(RegistryErrorReason.TypeNotSupported, 400, Prefix + "type-not-supported", "Registry type not supported", 1, false),
        new(RegistryErrorReason.NotFound, 404, Prefix + "not-found", "Registry entry not found", 2, false),
        new(RegistryErrorReason.Conflict, 409, ConflictType, "Registry entry conflict", 3, false),
        new(RegistryErrorReason.Concurrency, 409, ConflictType, "Registry entry conflict", 3, false),
        new(RegistryErrorReason.Unauthorized, 422, ValidationFailedType, ValidationFailedTitle, 4, false),
        new(RegistryErrorReason.NotARegistry, 422, ValidationFailedType, ValidationFailedTitle, 4, false),
        new(RegistryErrorReason.Unreachable, 422, ValidationFailedType, ValidationFailedTitle, 4, true),
        new(RegistryErrorReason.TlsFailure, 422, ValidationFailedType, ValidationFailedTitle, 4, false),
        new(RegistryErrorReason.Timeout, 422, ValidationFailedType, ValidationFailedTitle, 4, true),
        new(RegistryErrorReason.Throttled, 422, ValidationFailedType, ValidationFailedTitle, 4, true),
        new(RegistryErrorReason.ProtocolError, 422, ValidationFailedType, ValidationFailedTitle, 4, false),
        new(RegistryErrorReason.PullDenied, 403, Prefix + "pull-denied", "Pull denied", 5, false),
        new(RegistryErrorReason.StoreUnavailable, 503, Prefix + "store-unavailable", "The registry store is unavailable", 1, true),
        new(RegistryErrorReason.StoreIncompatible, 500, Prefix + "store-incompatible", "The registry store cannot be used", 1, false),
        new(RegistryErrorReason.SecretKey, 500, Prefix + "secret-key", "The secret key does not fit the stored secrets", 1, false),
        new(RegistryErrorReason.Misconfigured, 500, Prefix + "misconfigured", "The application is misconfigured", 1, false),
    ];

    /// <summary>Every row, one per <see cref="RegistryErrorReason"/>, in the order of the enum.</summary>
    public static IReadOnlyList<RegistryErrorMapping> All { get; } = Array.AsReadOnly(Table);

    /// <summary>The row of a reason; a value the enum does not define gets the row of <see cref="RegistryErrorReason.Unspecified"/>.</summary>
    /// <param name="reason">The reason.</param>
    /// <returns>Its HTTP status, problem type and exit code.</returns>
    public static RegistryErrorMapping For(RegistryErrorReason reason) =>
        (uint)reason < (uint)Table.Length ? Table[(int)reason] : Table[0];

    /// <summary>The row of an exception's reason (see <see cref="ReasonOf(Exception)"/>).</summary>
    /// <param name="exception">The exception.</param>
    /// <returns>Its HTTP status, problem type and exit code.</returns>
    public static RegistryErrorMapping For(Exception exception) => For(ReasonOf(exception));

    /// <summary>
    /// Classifies any exception a caller of the packages may meet: a <see cref="RegistryCredentialsException"/> gives its
    /// <see cref="RegistryCredentialsException.Reason"/>; an <see cref="ArgumentException"/> or <see cref="FormatException"/>
    /// is <see cref="RegistryErrorReason.InvalidArgument"/>; an <see cref="OptionsValidationException"/> is
    /// <see cref="RegistryErrorReason.Misconfigured"/>; an <see cref="AggregateException"/> of one exception is that
    /// exception's; anything else (including cancellation) is <see cref="RegistryErrorReason.Unspecified"/>.
    /// </summary>
    /// <param name="exception">The exception.</param>
    /// <returns>The reason.</returns>
    public static RegistryErrorReason ReasonOf(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception switch
        {
            RegistryCredentialsException e => e.Reason,
            ArgumentException or FormatException => RegistryErrorReason.InvalidArgument,
            OptionsValidationException => RegistryErrorReason.Misconfigured,
            AggregateException { InnerExceptions.Count: 1 } e => ReasonOf(e.InnerExceptions[0]),
            _ => RegistryErrorReason.Unspecified,
        };
    }

    /// <summary>The reason of a failed credential check (<see cref="RegistryValidationResult.Outcome"/>).</summary>
    /// <param name="outcome">The outcome.</param>
    /// <returns>The reason of the same name; <see cref="RegistryErrorReason.Unspecified"/> for <see cref="RegistryValidationOutcome.Valid"/>.</returns>
    public static RegistryErrorReason ReasonOf(RegistryValidationOutcome outcome) => outcome switch
    {
        RegistryValidationOutcome.Unauthorized => RegistryErrorReason.Unauthorized,
        RegistryValidationOutcome.NotARegistry => RegistryErrorReason.NotARegistry,
        RegistryValidationOutcome.Unreachable => RegistryErrorReason.Unreachable,
        RegistryValidationOutcome.TlsFailure => RegistryErrorReason.TlsFailure,
        RegistryValidationOutcome.Timeout => RegistryErrorReason.Timeout,
        RegistryValidationOutcome.ProtocolError => RegistryErrorReason.ProtocolError,
        _ => RegistryErrorReason.Unspecified,
    };
}
