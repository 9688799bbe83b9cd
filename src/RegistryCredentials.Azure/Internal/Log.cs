using Microsoft.Extensions.Logging;

namespace RegistryCredentials.Azure.Internal;

/// <summary>Every log message of the Azure package. None takes a secret or a token.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Debug, "Getting an Entra ID token ({Mode}) for {Scope} in account {Account}")]
    public static partial void GettingEntraToken(ILogger logger, AzureAuthenticationMode mode, string scope, string account);

    [LoggerMessage(
        2,
        LogLevel.Information,
        "ACR refresh token for {Registry} (entry {Scope} in account {Account}, {Mode}) expires at {ExpiresOn:O}; refresh from {RefreshOn:O}")]
    public static partial void RefreshTokenIssued(
        ILogger logger,
        string registry,
        string scope,
        string account,
        AzureAuthenticationMode mode,
        DateTimeOffset expiresOn,
        DateTimeOffset refreshOn);

    [LoggerMessage(3, LogLevel.Warning, "Getting an ACR refresh token for {Scope} in account {Account} failed: {Outcome}: {Reason}")]
    public static partial void RefreshTokenFailed(ILogger logger, string scope, string account, RegistryValidationOutcome outcome, string reason);

    [LoggerMessage(4, LogLevel.Information, "ACR refresh tokens of {Scope} in account {Account} dropped: the registry refused a credential")]
    public static partial void RefreshTokensDropped(ILogger logger, string scope, string account);
}
