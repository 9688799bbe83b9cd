using System.Text;

namespace RegistryCredentials.Internal;

/// <summary>
/// The checks every text field of an entry passes before it is stored: well-formed Unicode (no unpaired surrogate, the
/// .NET form of bytes that were not valid UTF-8) and, for the password, <see cref="RegistryEntryLimits.MaxPasswordBytes"/>.
/// </summary>
internal static class EntryText
{
    /// <summary>Throws when <paramref name="value"/> holds an unpaired surrogate.</summary>
    /// <exception cref="RegistryFieldException">It does.</exception>
    public static void CheckWellFormed(string value, string what, string field)
    {
        if (!IsWellFormed(value))
        {
            throw new RegistryFieldException(
                field,
                RegistryFieldProblem.NotWellFormedText,
                $"The {what} is not well-formed Unicode text (it holds an unpaired UTF-16 surrogate, as "
                + $"bytes that are not valid UTF-8 give when decoded unchecked); send it as valid UTF-8.");
        }
    }

    /// <summary>Checks a password (or token, or key file): well formed, and at most 64 KiB in UTF-8.</summary>
    /// <exception cref="RegistryFieldException">It is not.</exception>
    public static void CheckPassword(RegistrySecret password, string field)
    {
        var text = password.Reveal();
        CheckWellFormed(text, "password", field);
        if (text.Length > RegistryEntryLimits.MaxPasswordBytes || Encoding.UTF8.GetByteCount(text) > RegistryEntryLimits.MaxPasswordBytes)
        {
            throw new RegistryFieldException(
                field,
                RegistryFieldProblem.TooLarge,
                $"The password is larger than 64 KiB ({RegistryEntryLimits.MaxPasswordBytes} bytes in UTF-8), the limit for a password, token or key file.");
        }
    }

    /// <summary>Whether every surrogate in <paramref name="value"/> is half of a pair.</summary>
    public static bool IsWellFormed(ReadOnlySpan<char> value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (!char.IsSurrogate(c))
            {
                continue;
            }

            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
                continue;
            }

            return false;
        }

        return true;
    }
}
