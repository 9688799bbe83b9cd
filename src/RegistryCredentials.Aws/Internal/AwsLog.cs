using Microsoft.Extensions.Logging;

namespace RegistryCredentials.Aws.Internal;

/// <summary>Every log message of the ECR package. None takes a secret; access key ids are not logged either.</summary>
internal static partial class AwsLog
{
    [LoggerMessage(1, LogLevel.Debug, "ECR token for {Registry} ({Region}, {Identity}) received; expires {ExpiresOn:O}, refresh from {RefreshOn:O}")]
    public static partial void TokenReceived(
        ILogger logger,
        string registry,
        string region,
        string identity,
        DateTimeOffset expiresOn,
        DateTimeOffset refreshOn);

    [LoggerMessage(2, LogLevel.Warning, "ECR GetAuthorizationToken for {Registry} failed ({Error}); retry {Attempt} of {MaxRetries} in {DelayMilliseconds} ms")]
    public static partial void Retrying(ILogger logger, string registry, string error, int attempt, int maxRetries, double delayMilliseconds);

    [LoggerMessage(3, LogLevel.Warning, "ECR token for {Registry} could not be fetched: {Kind} {ErrorCode}: {Reason}")]
    public static partial void TokenFailed(ILogger logger, string registry, AwsEcrErrorKind kind, string? errorCode, string reason);

    [LoggerMessage(4, LogLevel.Information, "Assumed the _iam_role role of {Scope} for ECR; session expires {ExpiresOn:O}")]
    public static partial void RoleAssumed(ILogger logger, string scope, DateTimeOffset expiresOn);

    [LoggerMessage(5, LogLevel.Warning, "Entry {Scope} in account {Account} uses awsauto, but AllowIamRoleAuto is off: refused")]
    public static partial void AutoRefused(ILogger logger, string scope, string account);

    [LoggerMessage(6, LogLevel.Information, "ECR token of {Scope} in account {Account} dropped: the registry refused it")]
    public static partial void TokenEvicted(ILogger logger, string scope, string account);
}
