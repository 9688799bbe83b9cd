using Microsoft.Extensions.Logging;

namespace RegistryCredentials.AspNetCore.Internal;

/// <summary>The package's log messages; none carries a secret.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "Refused {Method} {Path}: no valid antiforgery token on a browser request.")]
    public static partial void AntiforgeryRejected(ILogger logger, string method, string path);

    [LoggerMessage(
        EventId = 2,
        Level = LogLevel.Warning,
        Message = "Refused {Method} {Path}: the request has no account (the account selector returned null).")]
    public static partial void AccountMissing(ILogger logger, string method, string path);

    [LoggerMessage(
        EventId = 3,
        Level = LogLevel.Warning,
        Message = "Refused {Method} {Path}: the account selector returned a name that is not a valid account name.")]
    public static partial void AccountInvalid(ILogger logger, string method, string path);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "{Method} {Path} answered {Status} {ProblemType} for account {Account}.")]
    public static partial void ProblemReturned(ILogger logger, string method, string path, int status, string problemType, string account);

    [LoggerMessage(
        EventId = 5,
        Level = LogLevel.Information,
        Message = "Policy of {Target} changed by account {Account}: default registry {DefaultRegistry}, {AllowedCount} allowed registries.")]
    public static partial void SettingsChanged(ILogger logger, string account, string target, string? defaultRegistry, int allowedCount);

    [LoggerMessage(EventId = 6, Level = LogLevel.Error, Message = "{Method} {Path} failed with {Status} {ProblemType} for account {Account}.")]
    public static partial void ServerFailure(ILogger logger, Exception exception, string method, string path, int status, string problemType, string account);

    [LoggerMessage(EventId = 20, Level = LogLevel.Warning, Message = "Refused {Method} {Path}: {Caller} may not act as account {Account} (x-anchore-account).")]
    public static partial void ActAsRefused(ILogger logger, string method, string path, string caller, string account);

    [LoggerMessage(EventId = 21, Level = LogLevel.Information, Message = "{Method} {Path}: {Caller} acts as account {Account} (x-anchore-account).")]
    public static partial void ActingAs(ILogger logger, string method, string path, string caller, string account);
}
