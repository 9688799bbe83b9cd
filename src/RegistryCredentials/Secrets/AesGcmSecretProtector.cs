using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace RegistryCredentials;

/// <summary>
/// The durable <see cref="ISecretProtector"/>: AES-256-GCM with a key from <see cref="SecretProtectionOptions"/>, the
/// entry's account and scope bound as associated data. Each ciphertext names its key id, so keys rotate: configure the new
/// key with the old one in <see cref="SecretProtectionOptions.RetiredKeys"/>, run <see cref="IRegistryManager.RotateKeyAsync"/>,
/// then drop the old key. Layout: version 2 (1 byte) | key id (8) | nonce (12) | tag (16) | ciphertext.
/// </summary>
public sealed class AesGcmSecretProtector : ISecretProtector
{
    private const byte FormatVersion = 2;
    private const int KeyIdSize = 8;
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private const int HeaderSize = 1 + KeyIdSize + NonceSize + TagSize;

    private readonly byte[] _currentKey;

    // The keys by id, made at the first use rather than here: a key id is a SHA-256, and the first cryptographic call of
    // a process loads and initialises OpenSSL, which regcred-lookup starts on another thread while its own thread opens
    // the store (docs/performance.md). The keys themselves are read and checked here, so a missing or malformed key
    // still fails the constructor.
    private readonly Lazy<KeyRing> _ring;

    /// <summary>Creates the protector, reading (or creating) its key at once.</summary>
    /// <param name="options">Where the key comes from.</param>
    /// <exception cref="RegistrySecretKeyException">No key could be found or made, or a key is not base64 of 32 bytes.</exception>
    public AesGcmSecretProtector(IOptions<SecretProtectionOptions> options)
        : this(LoadCurrentKey(Settings(options)), Settings(options).RetiredKeys.Select(r => Decode(r, "a retired key")), deferKeyIds: true)
    {
    }

    /// <summary>
    /// Creates the protector on keys in hand: the per-process protector passes a random one, and zeroes it when it is
    /// disposed, so the key ids are computed here rather than at the first use.
    /// </summary>
    /// <param name="currentKey">The 32-byte key new secrets are protected with; owned by the protector from now on.</param>
    /// <param name="retiredKeys">Keys that still decrypt.</param>
    internal AesGcmSecretProtector(byte[] currentKey, IEnumerable<byte[]> retiredKeys)
        : this(currentKey, retiredKeys, deferKeyIds: false)
    {
    }

    private AesGcmSecretProtector(byte[] currentKey, IEnumerable<byte[]> retiredKeys, bool deferKeyIds)
    {
        _currentKey = currentKey;
        var retired = retiredKeys.ToArray();
        _ring = new Lazy<KeyRing>(() => new KeyRing(currentKey, retired));
        if (!deferKeyIds)
        {
            _ = _ring.Value;
        }
    }

    /// <summary>The id of the key new secrets are protected with (first 8 bytes of its SHA-256, hex).</summary>
    public string CurrentKeyId => Convert.ToHexStringLower(_ring.Value.CurrentKeyId);

    /// <summary>The ids of every configured key: <see cref="CurrentKeyId"/> first, then the retired keys in the order given.</summary>
    public IReadOnlyList<string> KeyIds => _ring.Value.Ids.AsReadOnly();

    /// <summary>Makes a new random key, base64, for <see cref="SecretProtectionOptions.Key"/> or a key file.</summary>
    /// <returns>Base64 of 32 random bytes.</returns>
    public static string GenerateKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    /// <inheritdoc />
    public ValueTask<byte[]> ProtectAsync(RegistrySecret secret, string account, RegistryScope scope, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(secret);
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(scope);
        var plain = Encoding.UTF8.GetBytes(secret.Reveal());
        try
        {
            var output = new byte[HeaderSize + plain.Length];
            output[0] = FormatVersion;
            _ring.Value.CurrentKeyId.CopyTo(output.AsSpan(1));
            var nonce = output.AsSpan(1 + KeyIdSize, NonceSize);
            RandomNumberGenerator.Fill(nonce);
            using var aes = new AesGcm(_currentKey, TagSize);
            aes.Encrypt(nonce, plain, output.AsSpan(HeaderSize), output.AsSpan(1 + KeyIdSize + NonceSize, TagSize), AssociatedData(account, scope));
            return ValueTask.FromResult(output);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plain);
        }
    }

    /// <inheritdoc />
    public ValueTask<RegistrySecret> UnprotectAsync(
        ReadOnlyMemory<byte> protectedSecret,
        string account,
        RegistryScope scope,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(scope);
        var data = protectedSecret.Span;
        if (data.Length < HeaderSize || data[0] != FormatVersion)
        {
            throw new RegistrySecretKeyException(
                $"The stored secret of {scope} in account '{account}' is not in the format this protector writes.",
                keyId: null);
        }

        var keyId = Convert.ToHexStringLower(data.Slice(1, KeyIdSize));
        if (!_ring.Value.Keys.TryGetValue(keyId, out var key))
        {
            throw new RegistrySecretKeyException(
                $"The secret of {scope} in account '{account}' was protected with key {keyId}, which is not configured here "
                + $"(this process has key {CurrentKeyId}{Retired()}): wrong key, or a retired key removed before rotation finished.",
                keyId,
                CurrentKeyId,
                [],
                null);
        }

        var plain = new byte[data.Length - HeaderSize];
        try
        {
            using var aes = new AesGcm(key, TagSize);
            aes.Decrypt(
                data.Slice(1 + KeyIdSize, NonceSize),
                data[HeaderSize..],
                data.Slice(1 + KeyIdSize + NonceSize, TagSize),
                plain,
                AssociatedData(account, scope));
            return ValueTask.FromResult(RegistrySecret.FromString(Encoding.UTF8.GetString(plain)));
        }
        catch (CryptographicException e)
        {
            throw new RegistrySecretKeyException(
                $"The secret of {scope} in account '{account}' does not decrypt with key {keyId}: it was altered or belongs to another entry.",
                keyId,
                CurrentKeyId,
                [],
                e);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plain);
        }
    }

    /// <inheritdoc />
    public bool IsCurrent(ReadOnlyMemory<byte> protectedSecret)
    {
        var data = protectedSecret.Span;
        return data.Length >= HeaderSize && data[0] == FormatVersion && data.Slice(1, KeyIdSize).SequenceEqual(_ring.Value.CurrentKeyId);
    }

    /// <summary>The id of the key a protected secret names in its header (whether or not that key is configured here).</summary>
    /// <param name="protectedSecret">Bytes from <see cref="ProtectAsync"/>.</param>
    /// <returns>The key id, or null when the bytes are not in this protector's format.</returns>
    public string? KeyIdOf(ReadOnlyMemory<byte> protectedSecret)
    {
        var data = protectedSecret.Span;
        return data.Length >= HeaderSize && data[0] == FormatVersion ? Convert.ToHexStringLower(data.Slice(1, KeyIdSize)) : null;
    }

    private static SecretProtectionOptions Settings(IOptions<SecretProtectionOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Value;
    }

    private string Retired() => _ring.Value.Ids.Count > 1 ? ", retired " + string.Join(", ", _ring.Value.Ids.Skip(1)) : string.Empty;

    private static byte[] LoadCurrentKey(SecretProtectionOptions options)
    {
        if (!string.IsNullOrEmpty(options.Key))
        {
            return Decode(options.Key, nameof(options.Key));
        }

        if (!string.IsNullOrEmpty(options.KeyEnvironmentVariable)
            && Environment.GetEnvironmentVariable(options.KeyEnvironmentVariable) is { Length: > 0 } fromEnvironment)
        {
            return Decode(fromEnvironment, "the environment variable " + options.KeyEnvironmentVariable);
        }

        var path = options.KeyFile ?? SecretProtectionOptions.DefaultKeyFile();
        if (File.Exists(path))
        {
            return Decode(ReadKeyFile(path), "the key file " + path);
        }

        if (!options.CreateKeyFile)
        {
            throw new RegistrySecretKeyException(
                $"No secret key: set SecretProtectionOptions.Key, the environment variable {options.KeyEnvironmentVariable}, or the key file {path}.",
                keyId: null);
        }

        return CreateKeyFile(path);
    }

    private static byte[] CreateKeyFile(string path)
    {
        var key = RandomNumberGenerator.GetBytes(32);
        try
        {
            var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(directory);
            }
            else
            {
                Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }

            var streamOptions = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                streamOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using var stream = new FileStream(path, streamOptions);
            using var writer = new StreamWriter(stream);
            writer.Write(Convert.ToBase64String(key));
            return key;
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another process created it first: use theirs.
            return Decode(ReadKeyFile(path), "the key file " + path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new RegistrySecretKeyException($"The key file {path} could not be created: {e.Message}", null, innerException: e);
        }
    }

    /// <summary>The key file's text; a file that cannot be read is the key's failure, not a raw I/O error.</summary>
    private static string ReadKeyFile(string path)
    {
        try
        {
            return File.ReadAllText(path).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new RegistrySecretKeyException($"The key file {path} could not be read: {e.Message}", null, innerException: e);
        }
    }

    private static byte[] Decode(string value, string source)
    {
        try
        {
            var key = Convert.FromBase64String(value);
            if (key.Length == 32)
            {
                return key;
            }
        }
        catch (FormatException)
        {
        }

        throw new RegistrySecretKeyException($"The key from {source} is not base64 of 32 bytes.", keyId: null);
    }

    private static byte[] KeyId(byte[] key) => SHA256.HashData(key)[..KeyIdSize];

    /// <summary>The configured keys by id (hex), the current key's id, and the ids in configuration order.</summary>
    private sealed class KeyRing
    {
        public KeyRing(byte[] currentKey, byte[][] retiredKeys)
        {
            CurrentKeyId = KeyId(currentKey);
            Remember(CurrentKeyId, currentKey);
            foreach (var key in retiredKeys)
            {
                Remember(KeyId(key), key);
            }
        }

        public byte[] CurrentKeyId { get; }

        public Dictionary<string, byte[]> Keys { get; } = new(StringComparer.Ordinal);

        public List<string> Ids { get; } = [];

        private void Remember(byte[] keyId, byte[] key)
        {
            var id = Convert.ToHexStringLower(keyId);
            if (Keys.TryAdd(id, key))
            {
                Ids.Add(id);
            }
        }
    }

    private static byte[] AssociatedData(string account, RegistryScope scope) => Encoding.UTF8.GetBytes(account + "\n" + scope.SecretBinding);
}
