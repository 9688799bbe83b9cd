using System.Security.Cryptography;
using Microsoft.Extensions.Logging;

namespace RegistryCredentials.Internal;

/// <summary>
/// One key per store, checked in one place for every store: compares the secret protector's keys
/// (<see cref="ISecretProtector.CurrentKeyId"/>) with the key ids the store records (<see cref="IRegistryStore.GetKeyIdsAsync"/>).
/// The manager asks it before every write of a secret, and rotation goes through it; the manager and the resolver
/// unprotect through it, so that every failure to decrypt is a <see cref="RegistrySecretKeyException"/>.
/// </summary>
/// <remarks>
/// Rules: a store that records no key id yet (new, or written before key ids were recorded) adopts the keys its secrets
/// name, or the writer's key when it holds none. A write under a key the store does not record is refused before anything
/// changes. Only rotation adds a key, and only for a protector that also holds one of the store's keys (as a retired key);
/// once every secret is under the new key, the store records only that one. A protector that names no key is not checked.
/// </remarks>
internal sealed class SecretKeyGuard
{
    private const int MaxAttempts = 5;
    private const int MaxKeyIdLength = 64;

    private readonly IRegistryStore _store;
    private readonly ISecretProtector _protector;
    private readonly ILogger _logger;

    public SecretKeyGuard(IRegistryStore store, ISecretProtector protector, ILogger logger)
    {
        _store = store;
        _protector = protector;
        _logger = logger;
    }

    /// <summary>Unprotects a record's secret; any failure to decrypt is a <see cref="RegistrySecretKeyException"/>.</summary>
    public static async ValueTask<RegistrySecret> UnprotectAsync(ISecretProtector protector, RegistryRecord record, CancellationToken cancellationToken)
    {
        var entry = record.Entry;
        try
        {
            return await protector.UnprotectAsync(record.ProtectedSecret, entry.Account, entry.Scope, cancellationToken).ConfigureAwait(false);
        }
        catch (CryptographicException e)
        {
            // A custom protector's raw failure: the same typed error as the built-in protectors give.
            var keyId = protector.KeyIdOf(record.ProtectedSecret);
            var current = protector.CurrentKeyId;
            throw new RegistrySecretKeyException(
                $"The secret of {entry.Scope} in account '{entry.Account}' does not decrypt{(keyId is null ? string.Empty : $" (it names key {keyId})")}"
                + $"{(current is null ? string.Empty : $"; this process has key {current}")}: wrong key, or the stored bytes were altered.",
                keyId,
                current,
                [],
                e);
        }
    }

    /// <inheritdoc cref="UnprotectAsync(ISecretProtector, RegistryRecord, CancellationToken)"/>
    public ValueTask<RegistrySecret> UnprotectAsync(RegistryRecord record, CancellationToken cancellationToken) =>
        UnprotectAsync(_protector, record, cancellationToken);

    /// <summary>Before a write that stores a secret protected now: the store must know the current key.</summary>
    /// <exception cref="RegistrySecretKeyException">The store records other keys; nothing was changed.</exception>
    public async Task EnsureWritableAsync(CancellationToken cancellationToken)
    {
        if (CurrentKeyId() is not { } current)
        {
            return;
        }

        var known = await KnownKeyIdsAsync(current, cancellationToken).ConfigureAwait(false);
        if (!known.Contains(current, StringComparer.Ordinal))
        {
            Log.KeyWriteRefused(_logger, current, string.Join(", ", known));
            throw new RegistrySecretKeyException(
                $"The store does not know this process's secret key {current}: its secrets are under key {string.Join(", ", known)}. Nothing was changed. "
                + "Use the store's key, or move the store to a new key by rotation (the new "
                + "key current, the store's key among the retired keys, then RotateKeyAsync).",
                known.Count == 1 ? known[0] : null,
                current,
                known,
                null);
        }
    }

    /// <summary>
    /// Re-encrypts every secret not under the current key; the store learns the current key first (only when this protector
    /// holds one of the store's keys) and forgets the others once every secret is under the current one.
    /// </summary>
    public async Task<int> RotateAsync(CancellationToken cancellationToken)
    {
        if (CurrentKeyId() is not { } current)
        {
            return await ReencryptAsync(cancellationToken).ConfigureAwait(false);
        }

        await AdmitAsync(current, cancellationToken).ConfigureAwait(false);
        var rotated = 0;
        for (var pass = 0; pass < MaxAttempts; pass++)
        {
            rotated += await ReencryptAsync(cancellationToken).ConfigureAwait(false);

            // Written meanwhile by a process still on an old key? Then another pass, before the old key is forgotten.
            var records = await _store.ListAsync(null, cancellationToken).ConfigureAwait(false);
            if (records.All(r => _protector.IsCurrent(r.ProtectedSecret)))
            {
                await RetireOthersAsync(current, cancellationToken).ConfigureAwait(false);
                return rotated;
            }
        }

        Log.RotationUnfinished(_logger, current);
        return rotated;
    }

    private static bool IsKeyId(string id) =>
        id.Length is > 0 and <= MaxKeyIdLength && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');

    private string? CurrentKeyId()
    {
        var id = _protector.CurrentKeyId;
        return id is null || IsKeyId(id)
            ? id
            : throw new RegistrySecretKeyException(
                $"The secret protector {_protector.GetType().Name} names its key '{id}', which "
                + $"is not a key id (1 to {MaxKeyIdLength} ASCII letters, digits, '.', '_' or '-').",
                keyId: null);
    }

    /// <summary>
    /// The ids the store records. A store that records none yet adopts the keys its secrets name, or
    /// <paramref name="current"/> when none does; whoever records first wins, the others read theirs.
    /// </summary>
    private async Task<IReadOnlyList<string>> KnownKeyIdsAsync(string current, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var known = await _store.GetKeyIdsAsync(cancellationToken).ConfigureAwait(false);
            if (known.Count > 0 || attempt == MaxAttempts)
            {
                return known;
            }

            var records = await _store.ListAsync(null, cancellationToken).ConfigureAwait(false);
            string[] inUse = [.. records
                .Select(r => _protector.KeyIdOf(r.ProtectedSecret))
                .OfType<string>()
                .Where(IsKeyId)
                .Distinct(StringComparer.Ordinal)
                .Order(StringComparer.Ordinal)];
            if (inUse.Length == 0)
            {
                inUse = [current];
            }

            if (await _store.ReplaceKeyIdsAsync([], inUse, cancellationToken).ConfigureAwait(false))
            {
                Log.StoreKeysAdopted(_logger, string.Join(", ", inUse), records.Count);
                return inUse;
            }
        }
    }

    /// <summary>Rotation's first step: the store learns the current key, if this protector proves it holds one of the store's.</summary>
    private async Task AdmitAsync(string current, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var known = await KnownKeyIdsAsync(current, cancellationToken).ConfigureAwait(false);
            if (known.Contains(current, StringComparer.Ordinal))
            {
                return;
            }

            var held = _protector.KeyIds ?? [];
            if (!known.Any(k => held.Contains(k, StringComparer.Ordinal)))
            {
                throw new RegistrySecretKeyException(
                    $"Rotation refused: the store's secrets are under key {string.Join(", ", known)}, "
                    + $"and this process holds none of them (its key is {current}). "
                    + "Make the new key current and list the store's key among the retired keys, then rotate. Nothing was changed.",
                    known.Count == 1 ? known[0] : null,
                    current,
                    known,
                    null);
            }

            if (await _store.ReplaceKeyIdsAsync(known, [.. known, current], cancellationToken).ConfigureAwait(false))
            {
                Log.RotationKeyAdmitted(_logger, current, string.Join(", ", known));
                return;
            }
        }

        throw new RegistrySecretKeyException("The store's key ids kept changing while rotation started; run it again.", null, current, [], null);
    }

    /// <summary>Rotation's last step, once every secret is under the current key: the store forgets the others.</summary>
    private async Task RetireOthersAsync(string current, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var known = await _store.GetKeyIdsAsync(cancellationToken).ConfigureAwait(false);
            if (!known.Contains(current, StringComparer.Ordinal) || known.Count == 1)
            {
                return; // Already done, or another node rotated on to a newer key: leave theirs.
            }

            if (await _store.ReplaceKeyIdsAsync(known, [current], cancellationToken).ConfigureAwait(false))
            {
                Log.StoreKeysRetired(_logger, string.Join(", ", known.Where(k => k != current)), current);
                return;
            }
        }
    }

    /// <summary>One pass: re-encrypts each secret that is not under the current key, retrying an entry that changed meanwhile.</summary>
    private async Task<int> ReencryptAsync(CancellationToken cancellationToken)
    {
        var rotated = 0;
        foreach (var listed in await _store.ListAsync(null, cancellationToken).ConfigureAwait(false))
        {
            var record = listed;
            for (var attempt = 0; record is not null && !_protector.IsCurrent(record.ProtectedSecret); attempt++)
            {
                var entry = record.Entry;
                var secret = await UnprotectAsync(record, cancellationToken).ConfigureAwait(false);
                var reprotected = await _protector.ProtectAsync(secret, entry.Account, entry.Scope, cancellationToken).ConfigureAwait(false);
                try
                {
                    await _store.UpdateAsync(new RegistryRecord(entry, reprotected), entry.Version, cancellationToken).ConfigureAwait(false);
                    rotated++;
                    break;
                }
                catch (RegistryConcurrencyException) when (attempt < MaxAttempts)
                {
                    // Changed meanwhile (maybe re-encrypted by another node): read it again.
                    record = await _store.GetAsync(entry.Account, entry.Scope, cancellationToken).ConfigureAwait(false);
                }
                catch (RegistryNotFoundException)
                {
                    break;
                }
            }
        }

        return rotated;
    }
}
