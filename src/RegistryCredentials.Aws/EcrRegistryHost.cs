using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;
using RegistryCredentials.Aws.Internal;

namespace RegistryCredentials.Aws;

/// <summary>
/// An Amazon ECR registry host name taken apart: the AWS account that owns the registry, its region, whether it is a
/// FIPS or dual-stack endpoint, the AWS partition, and the <c>GetAuthorizationToken</c> API endpoint that serves it.
/// Every host form of amazon-ecr-credential-helper and of AWS's endpoint lists is understood:
/// <list type="table">
/// <item>
/// <term><c>123456789012.dkr.ecr.us-east-1.amazonaws.com</c></term><description>commercial (<c>aws</c>;
/// <c>aws-us-gov</c> for <c>us-gov-*</c> regions)</description>
/// </item>
/// <item><term><c>123456789012.dkr.ecr-fips.us-gov-west-1.amazonaws.com</c></term><description>FIPS</description></item>
/// <item><term><c>123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn</c></term><description>China (<c>aws-cn</c>)</description></item>
/// <item>
/// <term><c>123456789012.dkr-ecr.us-east-1.on.aws</c>,
/// <c>123456789012.dkr-ecr.cn-north-1.on.amazonwebservices.com.cn</c></term><description>dual-stack (IPv4 and
/// IPv6)</description>
/// </item>
/// <item><term><c>123456789012.dkr.ecr.eusc-de-east-1.amazonaws.eu</c></term><description>AWS European Sovereign Cloud (<c>aws-eusc</c>)</description></item>
/// <item>
/// <term><c>c2s.ic.gov</c>, <c>sc2s.sgov.gov</c>, <c>cloud.adc-e.uk</c>, <c>csp.hci.ic.gov</c></term><description>ISO
/// partitions (<c>aws-iso</c>, <c>aws-iso-b</c>, <c>aws-iso-e</c>, <c>aws-iso-f</c>)</description>
/// </item>
/// <item>
/// <term><c>public.ecr.aws</c>, <c>ecr-public.aws.com</c> (dual-stack)</term><description>ECR Public, whose tokens come
/// from the ECR Public API in <c>us-east-1</c></description>
/// </item>
/// </list>
/// The region must belong to the partition of the host's DNS suffix (<c>us-gov-*</c> under <c>amazonaws.com</c> is
/// GovCloud; <c>cn-*</c> only under the China suffixes, and so on). The account and the region may be <c>*</c> (a glob
/// scope): then <see cref="AccountId"/> or <see cref="Region"/> is null. The API endpoint follows ECR's endpoint
/// ruleset, the data the AWS SDKs build their ECR endpoint resolvers from (see <see cref="ResolveApiEndpoint"/>).
/// </summary>
public sealed partial class EcrRegistryHost
{
    /// <summary>The ECR Public registry host, <c>public.ecr.aws</c>.</summary>
    public const string PublicHost = "public.ecr.aws";

    /// <summary>The dual-stack (IPv4 and IPv6) ECR Public registry host, <c>ecr-public.aws.com</c>.</summary>
    public const string PublicDualStackHost = "ecr-public.aws.com";

    /// <summary>The region of the ECR Public API, <c>us-east-1</c>.</summary>
    public const string PublicRegion = "us-east-1";

    private EcrRegistryHost(string host, string? accountId, string? region, bool fips, bool dualStack, bool isPublic, string partition, string dnsSuffix)
    {
        Host = host;
        AccountId = accountId;
        Region = region;
        IsFips = fips;
        IsDualStack = dualStack;
        IsPublic = isPublic;
        Partition = partition;
        DnsSuffix = dnsSuffix;
        ApiEndpoint = region is null ? null : ApiEndpointFor(region);
    }

    /// <summary>The host, lower-case, such as <c>123456789012.dkr.ecr.us-east-1.amazonaws.com</c>.</summary>
    public string Host { get; }

    /// <summary>The 12-digit AWS account id that owns the registry; null for ECR Public and for a <c>*</c> account.</summary>
    public string? AccountId { get; }

    /// <summary>The region, such as <c>us-east-1</c>; <c>us-east-1</c> for ECR Public; null for a <c>*</c> region.</summary>
    public string? Region { get; }

    /// <summary>
    /// Whether the host is a FIPS endpoint (<c>dkr.ecr-fips</c> or <c>dkr-ecr-fips</c>); its API endpoint and STS
    /// endpoint are then FIPS endpoints too.
    /// </summary>
    public bool IsFips { get; }

    /// <summary>
    /// Whether the host is a dual-stack (IPv4 and IPv6) endpoint: <c>….on.aws</c>, <c>….on.amazonwebservices.com.cn</c> or
    /// <c>ecr-public.aws.com</c>; its API endpoint and STS endpoint are then dual-stack too.
    /// </summary>
    public bool IsDualStack { get; }

    /// <summary>Whether the host is ECR Public (<c>public.ecr.aws</c> or <c>ecr-public.aws.com</c>).</summary>
    public bool IsPublic { get; }

    /// <summary>
    /// The AWS partition: <c>aws</c>, <c>aws-us-gov</c>, <c>aws-cn</c>, <c>aws-eusc</c>, <c>aws-iso</c>,
    /// <c>aws-iso-b</c>, <c>aws-iso-e</c> or <c>aws-iso-f</c>.
    /// </summary>
    public string Partition { get; }

    /// <summary>The DNS suffix of the partition's API endpoints, such as <c>amazonaws.com</c> or <c>amazonaws.com.cn</c>.</summary>
    public string DnsSuffix { get; }

    /// <summary>
    /// Where <c>GetAuthorizationToken</c> is called (<see cref="ResolveApiEndpoint"/> for the host's region, FIPS and
    /// dual-stack), such as <c>https://api.ecr.us-east-1.amazonaws.com/</c>, <c>https://api.ecr-fips.us-east-1.amazonaws.com/</c>
    /// or <c>https://ecr.us-west-2.api.aws/</c>; <c>https://api.ecr-public.us-east-1.amazonaws.com/</c> (dual-stack
    /// <c>https://ecr-public.us-east-1.api.aws/</c>) for ECR Public; null when the region is <c>*</c>.
    /// </summary>
    public Uri? ApiEndpoint { get; }

    /// <summary>The SigV4 signing name of the API: <c>ecr</c>, or <c>ecr-public</c> for ECR Public.</summary>
    public string SigningService => IsPublic ? "ecr-public" : "ecr";

    /// <summary>Parses a registry host.</summary>
    /// <param name="host">The host, without scheme, port or path; case-insensitive.</param>
    /// <returns>The parsed host.</returns>
    /// <exception cref="FormatException"><paramref name="host"/> is not an Amazon ECR registry host.</exception>
    public static EcrRegistryHost Parse(string host)
    {
        ArgumentNullException.ThrowIfNull(host);
        return TryParse(host, out var parsed, out var error) ? parsed : throw new FormatException(error);
    }

    /// <summary>Parses a registry host without throwing.</summary>
    /// <param name="host">The host, without scheme, port or path; case-insensitive.</param>
    /// <param name="result">The parsed host, or null.</param>
    /// <returns>True when <paramref name="host"/> is an Amazon ECR registry host.</returns>
    public static bool TryParse([NotNullWhen(true)] string? host, [NotNullWhen(true)] out EcrRegistryHost? result) =>
        TryParse(host, out result, out _);

    /// <summary>The API endpoint of this registry's partition, FIPS and dual-stack choice for a region (how a <c>*</c> region is filled in).</summary>
    /// <param name="region">The region, such as <c>us-west-2</c>; it must be in the host's partition.</param>
    /// <returns><see cref="ResolveApiEndpoint"/> with the host's FIPS and dual-stack choice; the ECR Public endpoint for ECR Public.</returns>
    /// <exception cref="ArgumentException"><paramref name="region"/> is not a region name, or is in another partition.</exception>
    public Uri ApiEndpointFor(string region)
    {
        ArgumentNullException.ThrowIfNull(region);
        if (IsPublic)
        {
            // ECR Public's endpoint ruleset: https://api.ecr-public.{Region}.{dnsSuffix}, dual-stack https://ecr-public.{Region}.api.aws.
            return new Uri(IsDualStack ? "https://ecr-public." + PublicRegion + ".api.aws/" : "https://api.ecr-public." + PublicRegion + ".amazonaws.com/");
        }

        var partition = PartitionOf(region, nameof(region));
        if (!IsSameFamily(partition.Name, Partition))
        {
            throw new ArgumentException(
                $"The region '{region}' is in the {partition.Name} partition; {Host} is a registry of the {Partition} partition.",
                nameof(region));
        }

        return EcrApi(partition, region, IsFips, IsDualStack);
    }

    /// <summary>
    /// The ECR API endpoint for a region, as ECR's endpoint ruleset gives it (<c>botocore/data/ecr/2015-09-21/endpoint-rule-set-1.json</c>,
    /// the data the AWS SDKs generate their ECR endpoint resolvers from) with each partition's DNS suffixes: in every
    /// partition <c>https://api.ecr.{region}.{dnsSuffix}/</c>; FIPS <c>https://api.ecr-fips.{region}.{dnsSuffix}/</c>;
    /// dual-stack <c>https://ecr.{region}.{dualStackDnsSuffix}/</c>; FIPS and dual-stack
    /// <c>https://ecr-fips.{region}.{dualStackDnsSuffix}/</c>.
    /// </summary>
    /// <param name="region">The region, such as <c>eu-west-1</c>, <c>us-gov-west-1</c> or <c>cn-north-1</c>.</param>
    /// <param name="useFips">Whether the FIPS endpoint is wanted.</param>
    /// <param name="useDualStack">Whether the dual-stack (IPv4 and IPv6) endpoint is wanted.</param>
    /// <returns>The endpoint, such as <c>https://api.ecr-fips.us-east-1.amazonaws.com/</c>.</returns>
    /// <exception cref="ArgumentException"><paramref name="region"/> is not a region name.</exception>
    public static Uri ResolveApiEndpoint(string region, bool useFips, bool useDualStack)
    {
        ArgumentNullException.ThrowIfNull(region);
        return EcrApi(PartitionOf(region, nameof(region)), region, useFips, useDualStack);
    }

    /// <summary>Whether a text is an AWS region name, such as <c>us-east-1</c>, <c>us-gov-west-1</c> or <c>eusc-de-east-1</c>.</summary>
    /// <param name="region">The text.</param>
    /// <returns>True for a region name.</returns>
    public static bool IsRegionName([NotNullWhen(true)] string? region) => region is not null && RegionName().IsMatch(region);

    /// <summary>Returns <see cref="Host"/>.</summary>
    /// <returns>The host.</returns>
    public override string ToString() => Host;

    private static bool TryParse(string? host, [NotNullWhen(true)] out EcrRegistryHost? result, [NotNullWhen(false)] out string? error)
    {
        result = null;
        if (string.IsNullOrEmpty(host))
        {
            error = "The registry host is empty.";
            return false;
        }

        var lower = host.ToLowerInvariant();
        if (lower is PublicHost or PublicDualStackHost)
        {
            result = new EcrRegistryHost(
                lower,
                null,
                PublicRegion,
                false,
                lower == PublicDualStackHost,
                true,
                AwsPartition.Aws.Name,
                AwsPartition.Aws.DnsSuffix);
            error = null;
            return true;
        }

        var match = HostPattern().Match(lower);
        if (!match.Success)
        {
            error = $"'{host}' is not an Amazon ECR registry host: expected <account>.dkr.ecr[-fips].<region>.amazonaws.com[.cn] "
                + "(or .amazonaws.eu, .c2s.ic.gov, .sc2s.sgov.gov, .cloud.adc-e.uk, .csp.hci.ic.gov), the dual-stack "
                + "<account>.dkr-ecr[-fips].<region>.on.aws / .on.amazonwebservices.com.cn, or public.ecr.aws / ecr-public.aws.com.";
            return false;
        }

        var account = match.Groups["account"].Value;
        var region = match.Groups["region"].Value;
        var suffix = match.Groups["suffix"].Value;
        var dualStack = suffix is "on.aws" or "on.amazonwebservices.com.cn";
        var separator = match.Groups["sep"].Value;
        if (dualStack != (separator == "-"))
        {
            error = dualStack
                ? $"'{host}' is not an Amazon ECR registry host: dual-stack hosts are <account>.dkr-ecr.<region>.{suffix}."
                : $"'{host}' is not an Amazon ECR registry host: 'dkr-ecr' is only used by the dual-stack hosts (.on.aws).";
            return false;
        }

        var partition = suffix switch
        {
            "amazonaws.com" or "on.aws" => AwsPartition.Aws,
            "amazonaws.com.cn" or "on.amazonwebservices.com.cn" => AwsPartition.China,
            "amazonaws.eu" => AwsPartition.EuropeanSovereignCloud,
            "c2s.ic.gov" => AwsPartition.Iso,
            "sc2s.sgov.gov" => AwsPartition.IsoB,
            "cloud.adc-e.uk" => AwsPartition.IsoE,
            _ => AwsPartition.IsoF,
        };

        if (region != "*")
        {
            var ofRegion = AwsPartition.ForRegion(region);
            if (!IsSameFamily(ofRegion.Name, partition.Name))
            {
                error = $"'{host}' is not an Amazon ECR registry host: the region '{region}' is in the {ofRegion.Name} partition, "
                    + $"whose registries are not under {suffix}.";
                return false;
            }

            partition = ofRegion; // us-gov-* under amazonaws.com is GovCloud
        }

        result = new EcrRegistryHost(
            lower,
            account == "*" ? null : account,
            region == "*" ? null : region,
            match.Groups["fips"].Success,
            dualStack,
            false,
            partition.Name,
            partition.DnsSuffix);
        error = null;
        return true;
    }

    private static AwsPartition PartitionOf(string region, string parameter) =>
        IsRegionName(region)
            ? AwsPartition.ForRegion(region)
            : throw new ArgumentException($"'{region}' is not an AWS region name (such as us-east-1).", parameter);

    /// <summary>The commercial and GovCloud partitions share the <c>amazonaws.com</c> and <c>on.aws</c> registry hosts.</summary>
    private static bool IsSameFamily(string partition, string other) =>
        partition == other || (partition is "aws" or "aws-us-gov" && other is "aws" or "aws-us-gov");

    private static Uri EcrApi(AwsPartition partition, string region, bool fips, bool dualStack) =>
        new((fips, dualStack) switch
        {
            (false, false) => "https://api.ecr." + region + "." + partition.DnsSuffix + "/",
            (true, false) => "https://api.ecr-fips." + region + "." + partition.DnsSuffix + "/",
            (false, true) => "https://ecr." + region + "." + partition.DualStackDnsSuffix + "/",
            (true, true) => "https://ecr-fips." + region + "." + partition.DualStackDnsSuffix + "/",
        });

    [GeneratedRegex(
        @"^(?<account>\d{12}|\*)\.dkr(?<sep>[.-])ecr(?<fips>-fips)?\.(?<region>[a-z]{2,4}(-[a-z0-9]+)+-\d+|\*)\."
        + @"(?<suffix>amazonaws\.com\.cn|amazonaws\.com|amazonaws\.eu|on\.aws|on\.amazonwebservices\.com\.cn"
        + @"|c2s\.ic\.gov|sc2s\.sgov\.gov|cloud\.adc-e\.uk|csp\.hci\.ic\.gov)$",
        RegexOptions.CultureInvariant)]
    private static partial Regex HostPattern();

    [GeneratedRegex(@"^[a-z]{2,4}(-[a-z0-9]+)+-\d+$", RegexOptions.CultureInvariant)]
    private static partial Regex RegionName();
}
