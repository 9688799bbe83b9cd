using Microsoft.Extensions.Logging;

namespace RegistryCredentials.Internal;

/// <summary>Every log message of the core package. None takes a secret.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Debug, "Resolver index rebuilt with {Count} entries in {ElapsedMilliseconds} ms")]
    public static partial void IndexRebuilt(ILogger logger, int count, double elapsedMilliseconds);

    [LoggerMessage(2, LogLevel.Information, "Registry entry {Scope} added to account {Account} (type {Type}, user {Username})")]
    public static partial void EntryAdded(ILogger logger, string scope, string account, string type, string username);

    [LoggerMessage(3, LogLevel.Information, "Registry entry {Scope} in account {Account} updated to version {Version}")]
    public static partial void EntryUpdated(ILogger logger, string scope, string account, long version);

    [LoggerMessage(4, LogLevel.Information, "Registry entry {Scope} deleted from account {Account}")]
    public static partial void EntryDeleted(ILogger logger, string scope, string account);

    [LoggerMessage(5, LogLevel.Information, "Registry entry {Scope} in account {Account} {State}")]
    public static partial void EntryStateChanged(ILogger logger, string scope, string account, string state);

    [LoggerMessage(6, LogLevel.Warning, "Credential for {Scope} in account {Account} refused by validation: {Outcome}: {Reason}")]
    public static partial void ValidationFailed(ILogger logger, string scope, string account, RegistryValidationOutcome outcome, string reason);

    [LoggerMessage(7, LogLevel.Debug, "Pull of {Image} denied: {Reason}")]
    public static partial void ResolutionDenied(ILogger logger, string image, RegistryDenialReason reason);

    [LoggerMessage(8, LogLevel.Information, "Registry entry {Scope} in account {Account} replaced (newest credential wins)")]
    public static partial void EntryReplaced(ILogger logger, string scope, string account);

    [LoggerMessage(9, LogLevel.Information, "Secret key rotation re-encrypted {Count} secrets")]
    public static partial void KeyRotated(ILogger logger, int count);

    [LoggerMessage(10, LogLevel.Warning, "The registry refused the credential of {Scope} in account {Account}; cached credentials dropped")]
    public static partial void CredentialRejected(ILogger logger, string scope, string account);

    // 20-29: one key per store (SecretKeyGuard).
    [LoggerMessage(20, LogLevel.Information, "The store now records secret key {KeyIds} for its {Count} secrets")]
    public static partial void StoreKeysAdopted(ILogger logger, string keyIds, int count);

    [LoggerMessage(21, LogLevel.Warning, "Write refused: this process's secret key {KeyId} is not the store's ({StoreKeyIds})")]
    public static partial void KeyWriteRefused(ILogger logger, string keyId, string storeKeyIds);

    [LoggerMessage(22, LogLevel.Information, "Key rotation: the store accepts secret key {KeyId} beside {StoreKeyIds} until every secret is under it")]
    public static partial void RotationKeyAdmitted(ILogger logger, string keyId, string storeKeyIds);

    [LoggerMessage(23, LogLevel.Information, "Key rotation finished: the store forgot secret key {RetiredKeyIds}; every secret is under {KeyId}")]
    public static partial void StoreKeysRetired(ILogger logger, string retiredKeyIds, string keyId);

    [
        LoggerMessage(
            24,
            LogLevel.Warning,
            "Key rotation to {KeyId} left secrets under an old key (written meanwhile "
            + "by a process still on it); the store keeps both keys, run the rotation again")]
    public static partial void RotationUnfinished(ILogger logger, string keyId);

    [LoggerMessage(25, LogLevel.Debug, "Resolver index applied {Count} changes up to store revision {Revision} in {ElapsedMilliseconds} ms")]
    public static partial void IndexChangesApplied(ILogger logger, int count, long revision, double elapsedMilliseconds);

    [LoggerMessage(
        26,
        LogLevel.Information,
        "The store's change feed has a gap after revision {Revision} (store at {StoreRevision}): the resolver reads every entry again")]
    public static partial void FeedGap(ILogger logger, long revision, long storeRevision);

    [LoggerMessage(27, LogLevel.Warning, "Resolver index update failed; the resolver answers from its index and tries again")]
    public static partial void IndexUpdateFailed(ILogger logger, Exception exception);
}
