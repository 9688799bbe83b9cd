using Microsoft.Extensions.Logging;

namespace RegistryCredentials.Sqlite.Internal;

/// <summary>Every log message of the SQLite store. None takes a secret.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Registry database {Path} created (schema version {Version})")]
    public static partial void Created(ILogger logger, string path, int version);

    [LoggerMessage(2, LogLevel.Information, "Registry database {Path} migrated from schema version {From} to {To}")]
    public static partial void Migrated(ILogger logger, string path, int from, int to);

    [LoggerMessage(3, LogLevel.Debug, "Registry database {Path} opened (schema version {Version}, journal mode {JournalMode})")]
    public static partial void Opened(ILogger logger, string path, int version, string journalMode);

    [LoggerMessage(
        4,
        LogLevel.Warning,
        "Registry database {Path} is not in WAL mode ({JournalMode}); readers and writers in other processes will block each other")]
    public static partial void NotWal(ILogger logger, string path, string journalMode);

    [LoggerMessage(5, LogLevel.Debug, "Registry database {Path} was busy during {Operation}; retry {Attempt} in {DelayMilliseconds} ms")]
    public static partial void BusyRetry(ILogger logger, string path, string operation, int attempt, double delayMilliseconds);

    [LoggerMessage(6, LogLevel.Debug, "Registry database {Path} changed by another connection (revision {Revision})")]
    public static partial void ExternalChange(ILogger logger, string path, long revision);

    [LoggerMessage(7, LogLevel.Warning, "Registry database {Path}: checking for changes by other processes failed")]
    public static partial void PollFailed(ILogger logger, Exception exception, string path);

    [LoggerMessage(8, LogLevel.Error, "Registry database {Path} refused: {Reason}")]
    public static partial void Refused(ILogger logger, string path, string reason);

    [LoggerMessage(9, LogLevel.Debug, "Registry database {Path} opened read-only (schema version {Version})")]
    public static partial void OpenedReadOnly(ILogger logger, string path, int version);

    [LoggerMessage(10, LogLevel.Information, "Registry database {Path} not opened: {Reason}")]
    public static partial void NotOpenedReadOnly(ILogger logger, string path, string reason);
}
