namespace RegistryCredentials.Tests.Support.Cloud;

/// <summary>What <see cref="SigV4Verifier.Verify"/> found.</summary>
public sealed record SigV4Result(
    bool IsValid,
    string? ErrorCode,
    string? Message,
    string? AccessKeyId,
    string? Region,
    string? Service,
    string? SessionToken,
    IReadOnlyList<string> SignedHeaders,
    string? AmzDate)
{
    public static SigV4Result Fail(string code, string message, string? accessKeyId = null) =>
        new(false, code, message, accessKeyId, null, null, null, [], null);
}
