using System.Security.Cryptography;
using System.Text;

namespace RegistryCredentials.Aws.Internal;

/// <summary>
/// Everything derived from an entry and its secret once, so a warm resolve is a lookup: the identity, the ECR target,
/// the token-cache key and the factory delegate handed to <see cref="RegistryTokenCache"/>.
/// </summary>
internal sealed class EcrEntryState
{
    public required RegistrySecret Secret { get; init; }

    public required AwsEcrOptions Options { get; init; }

    public required EcrIdentityKind Kind { get; init; }

    public required EcrTarget Target { get; init; }

    /// <summary>
    /// <see cref="RegistryTokenCache"/> key: made from the entry (so that updating, deactivating or deleting it drops its
    /// token), with partition, region and account (<see cref="Key"/>) and the identity as parts; the secret of an access
    /// key is a part too, kept by the key only as a keyed hash.
    /// </summary>
    public required RegistryTokenKey CacheKey { get; init; }

    /// <summary>The entry's scope, for messages (which name the entry, never the role ARN or external id of its password).</summary>
    public required string Scope { get; init; }

    public string? AccessKeyId { get; init; }

    public string? SecretAccessKey { get; init; }

    public string? RoleArn { get; init; }

    public string? ExternalId { get; init; }

    /// <summary>The workload's service-account token of a <see cref="EcrIdentityKind.WebIdentity"/> state.</summary>
    public string? WebIdentityToken { get; init; }

    /// <summary>The workload's service account, for messages (unverified: read from the token).</summary>
    public string? ServiceAccount { get; init; }

    /// <summary><see cref="RoleSessionCache"/> key of an <c>_iam_role</c> entry.</summary>
    public string? RoleKey { get; init; }

    public Func<CancellationToken, Task<RegistryCredential>>? Factory { get; set; }

    /// <summary>What the logs may say about the identity: its kind only, never a key id or role ARN.</summary>
    public string Describe() => Kind switch
    {
        EcrIdentityKind.AccessKey => "access key",
        EcrIdentityKind.Auto => "awsauto",
        EcrIdentityKind.WebIdentity => "web identity",
        _ => "_iam_role",
    };

    /// <summary>Where a token is valid: partition, region and registry account.</summary>
    public static string Key(EcrTarget target) =>
        target.Host.Partition + "|" + target.Region + "|" + (target.Host.IsPublic ? "public" : target.Host.AccountId ?? "*");

    public static string Hash(params string[] parts) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', parts))));
}
