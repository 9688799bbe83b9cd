namespace RegistryCredentials.Aws.Tests.Support;

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
