namespace RegistryCredentials;

/// <summary>
/// The documented limits of an entry's fields. <see cref="IRegistryManager"/> enforces them on add and update, so the
/// HTTP API and <c>regcred</c> enforce the same ones; a request over a limit is refused with
/// <see cref="RegistryFieldException"/> (or <see cref="ArgumentException"/> for the older checks) and stores nothing.
/// </summary>
public static class RegistryEntryLimits
{
    /// <summary>
    /// The largest password, token or key file (such as a Google service-account JSON key, a few KiB) in bytes of UTF-8:
    /// 64 KiB.
    /// </summary>
    public const int MaxPasswordBytes = 64 * 1024;

    /// <summary>The longest user name, in UTF-16 characters.</summary>
    public const int MaxUsernameLength = 256;

    /// <summary>The longest display name, in UTF-16 characters.</summary>
    public const int MaxNameLength = 256;

    /// <summary>The longest e-mail address, in UTF-16 characters (RFC 5321's path limit).</summary>
    public const int MaxEmailLength = 254;

    /// <summary>The longest PEM text of CA certificates, in UTF-16 characters: 1 MiB.</summary>
    public const int MaxCaCertificatesLength = 1024 * 1024;
}
