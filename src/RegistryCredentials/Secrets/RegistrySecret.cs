using System.Diagnostics;

namespace RegistryCredentials;

/// <summary>
/// A secret (password, secret key, token or key file) held in memory. It never shows its value through
/// <see cref="ToString"/>, the debugger or serialisation (it has no public properties); only
/// <see cref="Reveal"/> returns it.
/// </summary>
[DebuggerDisplay("***")]
public sealed class RegistrySecret : IEquatable<RegistrySecret>
{
    private readonly string _value;

    private RegistrySecret(string value) => _value = value;

    /// <summary>Wraps a secret value.</summary>
    /// <param name="value">The secret; not empty.</param>
    /// <returns>The wrapped secret.</returns>
    /// <exception cref="ArgumentException"><paramref name="value"/> is empty.</exception>
    public static RegistrySecret FromString(string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(value);
        return new RegistrySecret(value);
    }

    /// <summary>Wraps a secret value.</summary>
    /// <param name="value">The secret; not empty.</param>
    public static implicit operator RegistrySecret(string value) => FromString(value);

    /// <summary>Returns the secret in clear. Call it only where the value is handed to a registry.</summary>
    /// <returns>The secret.</returns>
    public string Reveal() => _value;

    /// <summary>Returns a mask, never the secret.</summary>
    /// <returns><c>***</c>.</returns>
    public override string ToString() => "***";

    /// <summary>Compares two secrets in constant time.</summary>
    /// <param name="other">The other secret.</param>
    /// <returns>True when the values are equal.</returns>
    public bool Equals(RegistrySecret? other) =>
        other is not null
        && System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(
            System.Runtime.InteropServices.MemoryMarshal.AsBytes(_value.AsSpan()),
            System.Runtime.InteropServices.MemoryMarshal.AsBytes(other._value.AsSpan()));

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as RegistrySecret);

    /// <inheritdoc />
    public override int GetHashCode() => _value.Length;
}
