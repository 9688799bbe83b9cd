namespace RegistryCredentials.Aws.Internal;

/// <summary>Where the AWS credentials of an <c>awsecr</c> entry come from.</summary>
internal enum EcrIdentityKind
{
    /// <summary>User name = access key id, password = secret access key.</summary>
    AccessKey,

    /// <summary>User name <c>_iam_role</c>, password <c>&lt;role_arn&gt;[;&lt;external_id&gt;]</c>: a role assumed through STS.</summary>
    IamRole,

    /// <summary>User name and password <c>awsauto</c>: the machine's identity through the AWS default credential chain.</summary>
    Auto,

    /// <summary>
    /// A workload's service-account token (the kubelet's service-account-token mode) exchanged with STS
    /// <c>AssumeRoleWithWebIdentity</c> for a role named by the service account's annotation or the entry.
    /// </summary>
    WebIdentity,
}
