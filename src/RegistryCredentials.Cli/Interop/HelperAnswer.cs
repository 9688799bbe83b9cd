namespace RegistryCredentials.Cli.Interop;

/// <summary>What another credential helper answered to <c>get</c>.</summary>
internal sealed record HelperAnswer(string? Username, string? Secret, bool IsNotFound, string? Failure)
{
    public bool IsFound => Username is not null && Secret is not null;

    public static HelperAnswer Found(string username, string secret) => new(username, secret, false, null);

    public static HelperAnswer NotFound() => new(null, null, true, null);

    public static HelperAnswer Failed(string failure) => new(null, null, false, failure);

    /// <summary>Never shows the secret.</summary>
    public override string ToString() => IsFound ? $"found (user {Username})" : IsNotFound ? "not found" : "failed: " + Failure;
}
