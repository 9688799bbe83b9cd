using System.Text.RegularExpressions;

namespace RegistryCredentials.PostgreSql.Internal;

/// <summary>Checks and quotes the schema and channel names that go into SQL text (they cannot be parameters).</summary>
internal static partial class Identifier
{
    public const int MaxLength = 63;

    /// <summary>True for a lower-case SQL identifier: <c>[a-z_][a-z0-9_]{0,62}</c>.</summary>
    public static bool IsValid(string? name) => name is not null && Pattern().IsMatch(name);

    /// <summary>The name in double quotes; only called for names <see cref="IsValid"/> accepted.</summary>
    public static string Quote(string name) => "\"" + name + "\"";

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
