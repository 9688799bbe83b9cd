namespace RegistryCredentials.Internal;

/// <summary>
/// Parses <c>WWW-Authenticate</c> values per RFC 7235: several challenges per value and several values, scheme and
/// parameter names case-insensitive, token or quoted-string values with backslash escapes, token68.
/// </summary>
internal static class ChallengeParser
{
    /// <summary>Parses every value; a malformed value raises <see cref="RegistryAuthenticationException"/>.</summary>
    public static List<AuthenticationChallenge> Parse(IEnumerable<string> headerValues)
    {
        var challenges = new List<AuthenticationChallenge>();
        foreach (var value in headerValues)
        {
            ParseValue(value, challenges);
        }

        return challenges;
    }

    private static void ParseValue(string s, List<AuthenticationChallenge> challenges)
    {
        var i = 0;
        while (true)
        {
            SkipListSeparators(s, ref i);
            if (i >= s.Length)
            {
                return;
            }

            var scheme = ReadToken(s, ref i) ?? throw Malformed(s, $"expected an authentication scheme at position {i}");
            var parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            string? token68 = null;
            var hadSpace = SkipSpaces(s, ref i);
            if (i < s.Length && s[i] != ',' && hadSpace)
            {
                if (TryReadToken68(s, ref i, out token68))
                {
                    // token68 stands alone.
                }
                else
                {
                    ReadParameters(s, ref i, parameters);
                }
            }
            else if (i < s.Length && s[i] != ',')
            {
                throw Malformed(s, $"unexpected '{s[i]}' after the scheme '{scheme}'");
            }

            challenges.Add(new AuthenticationChallenge(scheme, parameters, token68));
        }
    }

    private static void ReadParameters(string s, ref int i, Dictionary<string, string> parameters)
    {
        while (true)
        {
            var start = i;
            var name = ReadToken(s, ref i) ?? throw Malformed(s, $"expected a parameter name at position {i}");
            SkipSpaces(s, ref i);
            if (i >= s.Length || s[i] != '=')
            {
                // Not a parameter: the start of the next challenge ("…, Basic realm=…").
                i = start;
                return;
            }

            i++;
            SkipSpaces(s, ref i);
            var value = i < s.Length && s[i] == '"'
                ? ReadQuoted(s, ref i)
                : ReadToken(s, ref i) ?? throw Malformed(s, $"the parameter '{name}' has no value");
            if (!parameters.TryAdd(name, value))
            {
                throw Malformed(s, $"the parameter '{name}' appears twice");
            }

            SkipSpaces(s, ref i);
            if (i >= s.Length)
            {
                return;
            }

            if (s[i] != ',')
            {
                throw Malformed(s, $"expected ',' after the parameter '{name}'");
            }

            // Skip empty list elements, then see whether a parameter or the next challenge follows.
            var afterComma = i;
            SkipListSeparators(s, ref afterComma);
            if (afterComma >= s.Length)
            {
                i = afterComma;
                return;
            }

            var probe = afterComma;
            if (ReadToken(s, ref probe) is null)
            {
                throw Malformed(s, $"unexpected '{s[afterComma]}' at position {afterComma}");
            }

            SkipSpaces(s, ref probe);
            if (probe >= s.Length || s[probe] != '=')
            {
                i = afterComma;
                return;
            }

            i = afterComma;
        }
    }

    private static string ReadQuoted(string s, ref int i)
    {
        var text = new System.Text.StringBuilder();
        i++; // opening quote
        while (i < s.Length)
        {
            var c = s[i++];
            if (c == '"')
            {
                return text.ToString();
            }

            if (c == '\\')
            {
                if (i >= s.Length)
                {
                    break;
                }

                c = s[i++];
            }

            text.Append(c);
        }

        throw Malformed(s, "a quoted string is not terminated");
    }

    /// <summary>A token68 is its characters, optional '=' padding, then the end of the value or a comma.</summary>
    private static bool TryReadToken68(string s, ref int i, out string? token68)
    {
        var j = i;
        while (j < s.Length && (char.IsAsciiLetterOrDigit(s[j]) || s[j] is '-' or '.' or '_' or '~' or '+' or '/'))
        {
            j++;
        }

        if (j == i)
        {
            token68 = null;
            return false;
        }

        while (j < s.Length && s[j] == '=')
        {
            j++;
        }

        var k = j;
        SkipSpaces(s, ref k);
        if (k < s.Length && s[k] != ',')
        {
            token68 = null;
            return false;
        }

        token68 = s[i..j];
        i = k;
        return true;
    }

    private static string? ReadToken(string s, ref int i)
    {
        var start = i;
        while (i < s.Length && IsTokenChar(s[i]))
        {
            i++;
        }

        return i > start ? s[start..i] : null;
    }

    private static bool IsTokenChar(char c) =>
        char.IsAsciiLetterOrDigit(c) || c is '!' or '#' or '$' or '%' or '&' or '\'' or '*' or '+' or '-' or '.' or '^' or '_' or '`' or '|' or '~';

    private static bool SkipSpaces(string s, ref int i)
    {
        var start = i;
        while (i < s.Length && (s[i] == ' ' || s[i] == '\t'))
        {
            i++;
        }

        return i > start;
    }

    private static void SkipListSeparators(string s, ref int i)
    {
        while (i < s.Length && (s[i] == ' ' || s[i] == '\t' || s[i] == ','))
        {
            i++;
        }
    }

    private static RegistryAuthenticationException Malformed(string header, string reason) =>
        new(RegistryValidationOutcome.ProtocolError, $"The registry sent a malformed WWW-Authenticate header ({reason}): {Truncate(header)}");

    private static string Truncate(string value) => value.Length <= 200 ? value : value[..200] + "…";
}
