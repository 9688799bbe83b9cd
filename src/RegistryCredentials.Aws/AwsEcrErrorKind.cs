namespace RegistryCredentials.Aws;

/// <summary>What kind of failure an <see cref="AwsEcrException"/> reports.</summary>
public enum AwsEcrErrorKind
{
    /// <summary>
    /// AWS refused the credential: <c>UnrecognizedClientException</c> (unknown access key id),
    /// <c>InvalidSignatureException</c> (wrong secret access key), <c>AccessDeniedException</c> (no
    /// <c>ecr:GetAuthorizationToken</c> permission), an expired session token, or an STS <c>AssumeRole</c> refusal.
    /// </summary>
    Unauthorized,

    /// <summary>AWS kept answering <c>ThrottlingException</c> (or HTTP 429) after every retry.</summary>
    Throttled,

    /// <summary>The entry uses <c>awsauto</c> (the machine's identity) but <see cref="AwsEcrOptions.AllowIamRoleAuto"/> is false.</summary>
    IamRoleAutoNotAllowed,

    /// <summary>
    /// The entry cannot be used for ECR: not an ECR host and no alias, no region for a <c>*</c> region, or a malformed
    /// <c>_iam_role</c> password.
    /// </summary>
    InvalidEntry,

    /// <summary>The AWS default credential chain found no credentials (environment, profile, web identity, container, instance profile).</summary>
    NoCredentials,

    /// <summary>The API could not be reached (DNS, connection, TLS) or answered 5xx after every retry, or did not answer in time.</summary>
    Unreachable,

    /// <summary>The API answered an error this library does not map, or a response without a usable token.</summary>
    ServiceError,
}
