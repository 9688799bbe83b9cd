using System.Security.Cryptography;

namespace RegistryCredentials.Internal;

/// <summary>
/// <see cref="AesGcmSecretProtector"/> on a random key that lives only in this process: right for the in-memory store,
/// whose data dies with the process too. Being the same protector on another key, it fails the same typed way
/// (<see cref="RegistrySecretKeyException"/>) and names its key, so a store shared with another process refuses its writes.
/// </summary>
internal sealed class EphemeralSecretProtector : ISecretProtector, IDisposable
{
    private readonly byte[] _key;
    private readonly AesGcmSecretProtector _inner;

    public EphemeralSecretProtector()
    {
        _key = RandomNumberGenerator.GetBytes(32);
        _inner = new AesGcmSecretProtector(_key, []);
    }

    public string? CurrentKeyId => _inner.CurrentKeyId;

    public IReadOnlyList<string> KeyIds => _inner.KeyIds;

    public ValueTask<byte[]> ProtectAsync(RegistrySecret secret, string account, RegistryScope scope, CancellationToken cancellationToken = default) =>
        _inner.ProtectAsync(secret, account, scope, cancellationToken);

    public ValueTask<RegistrySecret> UnprotectAsync(
        ReadOnlyMemory<byte> protectedSecret,
        string account,
        RegistryScope scope,
        CancellationToken cancellationToken = default) =>
        _inner.UnprotectAsync(protectedSecret, account, scope, cancellationToken);

    public bool IsCurrent(ReadOnlyMemory<byte> protectedSecret) => _inner.IsCurrent(protectedSecret);

    public string? KeyIdOf(ReadOnlyMemory<byte> protectedSecret) => _inner.KeyIdOf(protectedSecret);

    public void Dispose() => CryptographicOperations.ZeroMemory(_key);
}
