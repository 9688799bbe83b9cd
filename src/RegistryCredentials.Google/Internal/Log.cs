using Microsoft.Extensions.Logging;

namespace RegistryCredentials.Google.Internal;

/// <summary>Every log message of the Google package. None takes a key, a token or a key fingerprint.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Debug, "Access token for service account {ClientEmail} received from {TokenUri}; handed out until {ExpiresOn:O}")]
    public static partial void TokenExchanged(ILogger logger, string clientEmail, string tokenUri, DateTimeOffset expiresOn);

    [LoggerMessage(2, LogLevel.Warning, "Access token request for service account {ClientEmail} to {TokenUri} failed: {Reason}")]
    public static partial void TokenRequestFailed(ILogger logger, string clientEmail, string tokenUri, string reason);

    [LoggerMessage(3, LogLevel.Debug, "Access token from Application Default Credentials ({CredentialType}) received; handed out until {ExpiresOn:O}")]
    public static partial void ApplicationDefaultTokenReceived(ILogger logger, string credentialType, DateTimeOffset expiresOn);

    [LoggerMessage(4, LogLevel.Warning, "Application Default Credentials failed for {Scope} in account {Account}: {Reason}")]
    public static partial void ApplicationDefaultFailed(ILogger logger, string scope, string account, string reason);

    [LoggerMessage(5, LogLevel.Debug, "Cached Google access tokens of {Scope} in account {Account} dropped after a refusal ({Count})")]
    public static partial void TokensInvalidated(ILogger logger, string scope, string account, int count);
}
