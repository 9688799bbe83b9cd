using System.Globalization;
using System.Text;

namespace RegistryCredentials.Cli.Interop;

/// <summary>
/// JSON exactly as Go's <c>encoding/json</c> writes it (what docker-credential-helpers print): HTML-safe escapes in lower
/// case (<c>\u003c</c>, <c>\u003e</c>, <c>\u0026</c>), <c>\u2028</c>/<c>\u2029</c>, short escapes for <c>\b \f \n \r \t</c>,
/// other control characters as <c>\u00XX</c>, invalid UTF-16 as <c>\ufffd</c>, and no spaces.
/// </summary>
internal static class GoJson
{
    public static string Quote(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var text = new StringBuilder(value.Length + 2).Append('"');
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            switch (c)
            {
                case '"':
                    text.Append("\\\"");
                    break;
                case '\\':
                    text.Append("\\\\");
                    break;
                case '\b':
                    text.Append("\\b");
                    break;
                case '\f':
                    text.Append("\\f");
                    break;
                case '\n':
                    text.Append("\\n");
                    break;
                case '\r':
                    text.Append("\\r");
                    break;
                case '\t':
                    text.Append("\\t");
                    break;
                case '<' or '>' or '&' or '\u2028' or '\u2029':
                    AppendUnicodeEscape(text, c);
                    break;
                default:
                    if (c < 0x20)
                    {
                        AppendUnicodeEscape(text, c);
                    }
                    else if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
                    {
                        text.Append(c).Append(value[++i]);
                    }
                    else if (char.IsSurrogate(c))
                    {
                        text.Append("\\ufffd");
                    }
                    else
                    {
                        text.Append(c);
                    }

                    break;
            }
        }

        return text.Append('"').ToString();
    }

    /// <summary>An object of string members in the given order, like a Go struct with string fields.</summary>
    public static string Object(IEnumerable<KeyValuePair<string, string>> members) =>
        "{" + string.Join(',', members.Select(m => Quote(m.Key) + ":" + Quote(m.Value))) + "}";

    /// <summary>A <c>map[string]string</c>: Go sorts the keys by their bytes.</summary>
    public static string Map(IEnumerable<KeyValuePair<string, string>> members) =>
        Object(members.OrderBy(m => Encoding.UTF8.GetBytes(m.Key), ByteOrder.Instance));

    private static void AppendUnicodeEscape(StringBuilder text, char c) =>
        text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));

    private sealed class ByteOrder : IComparer<byte[]>
    {
        public static readonly ByteOrder Instance = new();

        public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);
    }
}
