namespace RegistryCredentials.Tests.Support.Registry;

/// <summary>One entry of a token's <c>access</c> claim, or one requested <c>scope</c> (<c>type:name:action,action</c>).</summary>
public sealed record TokenAccess(string Type, string Name, IReadOnlyList<string> Actions)
{
    /// <summary>Parses <c>repository:test/app:pull,push</c>; the name may contain colons (<c>host:port/repo</c>). Null when malformed.</summary>
    public static TokenAccess? TryParse(string scope)
    {
        var first = scope.IndexOf(':', StringComparison.Ordinal);
        var last = scope.LastIndexOf(':');
        if (first <= 0 || last <= first + 1)
        {
            return null;
        }

        var actions = scope[(last + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return new TokenAccess(scope[..first], scope[(first + 1)..last], actions);
    }

    /// <summary>Back to the scope form, <c>type:name:actions</c>.</summary>
    public override string ToString() => $"{Type}:{Name}:{string.Join(',', Actions)}";
}
