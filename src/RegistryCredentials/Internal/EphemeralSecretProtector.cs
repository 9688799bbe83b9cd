using System.Security.Cryptography;
using System.Text;

namespace RegistryCredentials.Internal;

/// <summary>
/// AES-256-GCM with a random key that lives only in this process: right for the in-memory store, whose
/// data dies with the process too. Layout: version (1) | nonce (12) | tag (16) | ciphertext.
/// An <see cref="AesGcm"/> instance is not safe for concurrent use, so each call makes its own.
/// </summary>
internal sealed class EphemeralSecretProtector : ISecretProtector, IDisposable
{
    private const byte FormatVersion = 1;
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);

    public ValueTask<byte[]> ProtectAsync(RegistrySecret secret, string account, RegistryScope scope, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(secret);
        var plain = Encoding.UTF8.GetBytes(secret.Reveal());
        var output = new byte[1 + NonceSize + TagSize + plain.Length];
        output[0] = FormatVersion;
        var nonce = output.AsSpan(1, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key, TagSize);
        aes.Encrypt(nonce, plain, output.AsSpan(1 + NonceSize + TagSize), output.AsSpan(1 + NonceSize, TagSize), AssociatedData(account, scope));
        CryptographicOperations.ZeroMemory(plain);
        return ValueTask.FromResult(output);
    }

    public ValueTask<RegistrySecret> UnprotectAsync(ReadOnlyMemory<byte> protectedSecret, string account, RegistryScope scope, CancellationToken cancellationToken = default)
    {
        var data = protectedSecret.Span;
        if (data.Length <= 1 + NonceSize + TagSize || data[0] != FormatVersion)
        {
            throw new CryptographicException("The protected secret is not in a format this protector wrote.");
        }

        var plain = new byte[data.Length - 1 - NonceSize - TagSize];
        try
        {
            using var aes = new AesGcm(_key, TagSize);
            aes.Decrypt(data.Slice(1, NonceSize), data[(1 + NonceSize + TagSize)..], data.Slice(1 + NonceSize, TagSize), plain, AssociatedData(account, scope));
            return ValueTask.FromResult(RegistrySecret.FromString(Encoding.UTF8.GetString(plain)));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plain);
        }
    }

    private static byte[] AssociatedData(string account, RegistryScope scope) => Encoding.UTF8.GetBytes(account + "\n" + scope.Value);

    public void Dispose() => CryptographicOperations.ZeroMemory(_key);
}
