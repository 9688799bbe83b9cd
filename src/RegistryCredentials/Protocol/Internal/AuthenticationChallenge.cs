namespace RegistryCredentials.Internal;

/// <summary>One challenge of a <c>WWW-Authenticate</c> header: a scheme and its parameters (RFC 7235).</summary>
internal sealed class AuthenticationChallenge(string scheme, Dictionary<string, string> parameters, string? token68)
{
    /// <summary>The scheme, such as <c>Basic</c> or <c>Bearer</c>, as sent.</summary>
    public string Scheme { get; } = scheme;

    /// <summary>Parameters; names compare case-insensitively.</summary>
    public IReadOnlyDictionary<string, string> Parameters { get; } = parameters;

    /// <summary>A token68 instead of parameters, if the challenge had one.</summary>
    public string? Token68 { get; } = token68;

    public bool IsScheme(string scheme) => string.Equals(Scheme, scheme, StringComparison.OrdinalIgnoreCase);

    public string? this[string name] => Parameters.TryGetValue(name, out var value) ? value : null;
}
