using Microsoft.Extensions.Logging;

namespace RegistryCredentials.Internal;

/// <summary>The log messages of the policy manager (event ids 40-49).</summary>
internal static partial class PolicyLog
{
    [LoggerMessage(
        40,
        LogLevel.Information,
        "Policy of account {Account} stored at version {Version}: default registry {DefaultRegistry}, {AllowedCount} allowed registries")]
    public static partial void PolicyChanged(ILogger logger, string account, long version, string? defaultRegistry, int allowedCount);
}
