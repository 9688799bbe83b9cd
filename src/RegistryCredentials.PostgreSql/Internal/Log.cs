using Microsoft.Extensions.Logging;

namespace RegistryCredentials.PostgreSql.Internal;

/// <summary>Every log message of the PostgreSQL store. None takes a secret or a connection string.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Registry store schema {Schema} migrated from version {FromVersion} to {ToVersion}")]
    public static partial void SchemaMigrated(ILogger logger, string schema, int fromVersion, int toVersion);

    [LoggerMessage(
        2,
        LogLevel.Error,
        "Registry store schema {Schema} is at version {DatabaseVersion}, newer than the supported {SupportedVersion}: refusing to use it")]
    public static partial void SchemaTooNew(ILogger logger, string schema, int databaseVersion, int supportedVersion);

    [LoggerMessage(3, LogLevel.Warning, "Registry store change listener on channel {Channel} lost its connection; reconnecting")]
    public static partial void ListenerLost(ILogger logger, string channel, Exception exception);

    [LoggerMessage(4, LogLevel.Debug, "Registry store change listener on channel {Channel} could not reconnect; next try in {DelayMilliseconds} ms")]
    public static partial void ListenerReconnectFailed(ILogger logger, string channel, double delayMilliseconds, Exception exception);

    [LoggerMessage(
        5,
        LogLevel.Information,
        "Registry store change listener on channel {Channel} reconnected after {Attempts} attempt(s); signalling a change in case one was missed")]
    public static partial void ListenerReconnected(ILogger logger, string channel, int attempts);

    [LoggerMessage(6, LogLevel.Warning, "A registry store change callback failed")]
    public static partial void ChangeCallbackFailed(ILogger logger, Exception exception);

    [LoggerMessage(7, LogLevel.Warning, "Registry store could not be prepared in the background (schema {Schema}); the next call retries")]
    public static partial void BackgroundStartFailed(ILogger logger, string schema, Exception exception);
}
