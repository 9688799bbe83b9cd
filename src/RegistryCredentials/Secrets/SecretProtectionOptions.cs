namespace RegistryCredentials;

/// <summary>
/// Where <see cref="AesGcmSecretProtector"/> finds its 256-bit key, first match wins: <see cref="Key"/>, the environment
/// variable named by <see cref="KeyEnvironmentVariable"/>, or <see cref="KeyFile"/> (created with mode 0600 when missing
/// and <see cref="CreateKeyFile"/> is true). The key is never stored beside the data.
/// </summary>
public sealed class SecretProtectionOptions
{
    /// <summary>The environment variable read by default: <c>REGCRED_SECRET_KEY</c>.</summary>
    public const string DefaultKeyEnvironmentVariable = "REGCRED_SECRET_KEY";

    /// <summary>The key itself, base64 of 32 bytes; null to look further.</summary>
    public string? Key { get; set; }

    /// <summary>An environment variable holding the key (base64 of 32 bytes); null or empty to skip.</summary>
    public string? KeyEnvironmentVariable { get; set; } = DefaultKeyEnvironmentVariable;

    /// <summary>
    /// A file holding the key (base64 of 32 bytes). Default: <c>registry-credentials/secret.key</c> under
    /// <c>$XDG_CONFIG_HOME</c> (or <c>~/.config</c>); keep it apart from the database.
    /// </summary>
    public string? KeyFile { get; set; }

    /// <summary>Whether a missing <see cref="KeyFile"/> is created with a new random key (mode 0600). Default true.</summary>
    public bool CreateKeyFile { get; set; } = true;

    /// <summary>
    /// Earlier keys (base64 of 32 bytes) that still decrypt while <see cref="IRegistryManager.RotateKeyAsync"/> re-encrypts
    /// everything under the current key; remove them once rotation has finished.
    /// </summary>
    public IList<string> RetiredKeys { get; } = [];

    /// <summary>The default key file path.</summary>
    /// <returns><c>$XDG_CONFIG_HOME/registry-credentials/secret.key</c> or <c>~/.config/registry-credentials/secret.key</c>.</returns>
    public static string DefaultKeyFile()
    {
        var config = Environment.GetEnvironmentVariable("XDG_CONFIG_HOME");
        if (string.IsNullOrEmpty(config))
        {
            config = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config");
        }

        return Path.Combine(config, "registry-credentials", "secret.key");
    }
}
