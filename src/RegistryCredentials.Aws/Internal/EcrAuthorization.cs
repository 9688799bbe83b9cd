namespace RegistryCredentials.Aws.Internal;

/// <summary>A decoded <c>GetAuthorizationToken</c> answer: <c>AWS</c> and the password, and when it expires.</summary>
internal sealed record EcrAuthorization(string Username, string Password, DateTimeOffset ExpiresAt);
