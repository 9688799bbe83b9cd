namespace RegistryCredentials.Tests.Support.Cloud;

/// <summary>What <see cref="ServiceAccountTokenIssuer.Validate"/> found wrong with a token.</summary>
public enum TokenProblem
{
    None,
    Malformed,
    BadSignature,
    WrongIssuer,
    WrongAudience,
    Expired,
    NotYetValid,
}
