using Amazon.Runtime;

namespace RegistryCredentials.Aws.Internal;

/// <summary>Temporary credentials of an assumed <c>_iam_role</c> role and when they expire.</summary>
internal sealed record RoleSession(ImmutableCredentials Credentials, DateTimeOffset Expiration);
