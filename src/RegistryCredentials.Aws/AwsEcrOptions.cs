using Amazon.Runtime;

namespace RegistryCredentials.Aws;

/// <summary>
/// Settings of the Amazon ECR provider (<see cref="RegistryCredentialsAwsBuilderExtensions.AddAwsEcr"/>). Bind them from
/// the <see cref="SectionName"/> configuration section or set them in code; they are validated when the host starts.
/// </summary>
public sealed class AwsEcrOptions
{
    /// <summary>The configuration section these options are usually bound from: <c>RegistryCredentials:AwsEcr</c>.</summary>
    public const string SectionName = "RegistryCredentials:AwsEcr";

    /// <summary>
    /// The name of the <see cref="System.Net.Http.IHttpClientFactory"/> client used for the ECR and STS APIs. Configure it
    /// (proxy, a private CA for a VPC endpoint, test certificates) with <c>services.AddHttpClient(AwsEcrOptions.HttpClientName)</c>.
    /// </summary>
    public const string HttpClientName = "RegistryCredentials.Aws";

    /// <summary>
    /// Whether entries may use the machine's own AWS identity (user name and password <c>awsauto</c>) through the AWS
    /// default credential chain, first source found: environment keys, web identity (EKS service-account roles, IRSA),
    /// shared profile, ECS/EKS container credentials (EKS Pod Identity), EC2 instance profile. Anchore's <c>allow_awsecr_iam_auto</c>. False by default:
    /// anyone who can add an entry could otherwise pull with the machine's permissions. Checked on add and on every resolve.
    /// </summary>
    public bool AllowIamRoleAuto { get; set; }

    /// <summary>
    /// The ECR API endpoint to call instead of the one ECR's endpoint ruleset gives for the registry host
    /// (<see cref="EcrRegistryHost.ApiEndpoint"/>, such as <c>https://api.ecr.&lt;region&gt;.amazonaws.com</c>), for an
    /// interface VPC endpoint or a test double. The request is still signed for the registry's region. Null by default.
    /// </summary>
    public Uri? ServiceUrl { get; set; }

    /// <summary>
    /// The STS endpoint used to assume <c>_iam_role</c> roles instead of the regional STS endpoint of the registry's
    /// region (STS's FIPS or dual-stack endpoint for a FIPS or dual-stack registry host), for a VPC endpoint or a test
    /// double. Null by default.
    /// </summary>
    public Uri? StsServiceUrl { get; set; }

    /// <summary>
    /// The region of entries whose scope has none (<c>*.dkr.ecr.*.amazonaws.com</c>): for the API endpoint, the signature
    /// and STS. A registry host's own region always wins over it. It must be in the host's partition. Null by default.
    /// </summary>
    public string? Region { get; set; }

    /// <summary>
    /// Registry hosts (<c>host[:port]</c>, case-insensitive) that stand for an ECR registry host: a pull-through proxy,
    /// a private DNS name or a mirror in front of ECR. An <c>awsecr</c> entry whose host is a key here gets the tokens of
    /// the ECR registry that is its value (such as <c>123456789012.dkr.ecr.us-east-1.amazonaws.com</c>). Only hosts set
    /// here by the operator are accepted, so an entry cannot send ECR tokens to a host of its own choosing.
    /// </summary>
    public IDictionary<string, string> RegistryAliases { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>How many times a throttled (<c>ThrottlingException</c>, 429), failed (5xx) or unreachable call is retried; 3 by default, 0 to 10.</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>
    /// The first retry delay; it doubles with every retry up to <see cref="RetryMaxDelay"/>, and a random jitter of up
    /// to half of it is taken off. 200 ms by default.
    /// </summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The longest retry delay; 5 s by default.</summary>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long one API call may take before it counts as failed (and is retried); 30 s by default.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The session name used when assuming an <c>_iam_role</c> role (it shows in CloudTrail); <c>registry-credentials</c> by default.</summary>
    public string RoleSessionName { get; set; } = "registry-credentials";

    /// <summary>
    /// How long an assumed <c>_iam_role</c> session lasts (15 min to 12 h, within the role's maximum); 1 h by default.
    /// It is renewed 5 minutes before it ends.
    /// </summary>
    public TimeSpan RoleSessionDuration { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// The credentials used to assume <c>_iam_role</c> roles. Null by default: the AWS default credential chain (the
    /// machine's identity) is used, as Anchore does.
    /// </summary>
    public AWSCredentials? BaseCredentials { get; set; }
}
