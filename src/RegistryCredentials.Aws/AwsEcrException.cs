using System.Net;
using System.Security.Authentication;

namespace RegistryCredentials.Aws;

/// <summary>
/// Getting an ECR token failed. <see cref="RegistryProviderException{TKind}.Kind"/> says how, <see cref="ErrorCode"/>
/// carries AWS's own error code (such as <c>InvalidSignatureException</c>) when AWS answered with one, and
/// <see cref="Outcome"/> is the matching validation outcome. The message never contains a secret.
/// </summary>
public sealed class AwsEcrException : RegistryProviderException<AwsEcrErrorKind>
{
    /// <summary>Creates the exception with a default message.</summary>
    public AwsEcrException()
        : base(AwsEcrErrorKind.ServiceError, null, null)
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What happened.</param>
    public AwsEcrException(string message)
        : base(AwsEcrErrorKind.ServiceError, message, null)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">What happened.</param>
    /// <param name="innerException">The cause.</param>
    public AwsEcrException(string message, Exception innerException)
        : base(AwsEcrErrorKind.ServiceError, message, innerException)
    {
    }

    /// <summary>Creates the exception for a failure of a known kind.</summary>
    /// <param name="kind">What kind of failure it is.</param>
    /// <param name="message">What happened, without secrets.</param>
    /// <param name="errorCode">AWS's error code (<c>__type</c> or <c>Code</c>), if AWS answered with one.</param>
    /// <param name="statusCode">The HTTP status of AWS's answer, if there was one.</param>
    /// <param name="innerException">The cause, if any.</param>
    public AwsEcrException(
        AwsEcrErrorKind kind, string message, string? errorCode = null, HttpStatusCode? statusCode = null, Exception? innerException = null)
        : base(kind, message, innerException)
    {
        ErrorCode = errorCode;
        StatusCode = statusCode;
    }

    /// <summary>
    /// AWS's error code, such as <c>UnrecognizedClientException</c>, <c>InvalidSignatureException</c>,
    /// <c>AccessDeniedException</c> or <c>ThrottlingException</c>; null when AWS did not answer with one.
    /// </summary>
    public string? ErrorCode { get; }

    /// <summary>The HTTP status of AWS's answer, or null when there was none.</summary>
    public HttpStatusCode? StatusCode { get; }

    /// <summary>
    /// The failure as a validation outcome: <see cref="RegistryValidationOutcome.Unauthorized"/> for refused credentials and
    /// a refused <c>awsauto</c>, <see cref="RegistryValidationOutcome.Unreachable"/> for throttling and unreachable APIs,
    /// <see cref="RegistryValidationOutcome.NotARegistry"/> for an entry that is not usable with ECR,
    /// <see cref="RegistryValidationOutcome.ProtocolError"/> otherwise.
    /// </summary>
    public RegistryValidationOutcome Outcome => Kind switch
    {
        AwsEcrErrorKind.Unauthorized or AwsEcrErrorKind.IamRoleAutoNotAllowed or AwsEcrErrorKind.NoCredentials => RegistryValidationOutcome.Unauthorized,
        AwsEcrErrorKind.Throttled or AwsEcrErrorKind.Unreachable => RegistryValidationOutcome.Unreachable,
        AwsEcrErrorKind.InvalidEntry => RegistryValidationOutcome.NotARegistry,
        _ => RegistryValidationOutcome.ProtocolError,
    };

    /// <summary>
    /// The failure in the one failure model: <see cref="RegistryErrorReason.InvalidEntry"/> and
    /// <see cref="RegistryErrorReason.NotAllowed"/> (<c>awsauto</c> turned off) for a refused entry, with
    /// <see cref="RegistryCredentialsException.Field"/> naming the property; <see cref="RegistryErrorReason.Unauthorized"/>
    /// for refused or missing credentials; <see cref="RegistryErrorReason.Throttled"/>; <see cref="RegistryErrorReason.Unreachable"/>;
    /// <see cref="RegistryErrorReason.TlsFailure"/> or <see cref="RegistryErrorReason.Timeout"/> when the API could not be
    /// reached for that cause; <see cref="RegistryErrorReason.ProtocolError"/> for any other error of the API.
    /// </summary>
    /// <param name="kind">The kind of failure.</param>
    /// <returns>The reason.</returns>
    protected override RegistryErrorReason ReasonOf(AwsEcrErrorKind kind) => kind switch
    {
        AwsEcrErrorKind.InvalidEntry => RegistryErrorReason.InvalidEntry,
        AwsEcrErrorKind.IamRoleAutoNotAllowed => RegistryErrorReason.NotAllowed,
        AwsEcrErrorKind.Unauthorized or AwsEcrErrorKind.NoCredentials => RegistryErrorReason.Unauthorized,
        AwsEcrErrorKind.Throttled => RegistryErrorReason.Throttled,
        AwsEcrErrorKind.Unreachable => InnerException switch
        {
            OperationCanceledException => RegistryErrorReason.Timeout,
            HttpRequestException { InnerException: AuthenticationException } => RegistryErrorReason.TlsFailure,
            _ => RegistryErrorReason.Unreachable,
        },
        _ => RegistryErrorReason.ProtocolError,
    };
}
