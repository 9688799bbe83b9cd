using System.Text.RegularExpressions;

namespace RegistryCredentials.Aws.Internal;

/// <summary>
/// An AWS partition as the AWS SDKs' endpoint data describes it (<c>botocore/data/partitions.json</c> in boto/botocore,
/// the same values AWSSDK.Core's <c>Fn.Partition</c> returns; a test compares the two): the DNS suffixes of its API
/// endpoints and the region names it holds. A region belongs to the partition whose <see cref="RegionPattern"/> it
/// matches, and to <c>aws</c> when it matches none, as the SDKs' <c>aws.partition</c> function decides.
/// </summary>
internal sealed partial class AwsPartition
{
    public static readonly AwsPartition Aws = new("aws", "amazonaws.com", "api.aws", AwsRegions());
    public static readonly AwsPartition China = new("aws-cn", "amazonaws.com.cn", "api.amazonwebservices.com.cn", ChinaRegions());
    public static readonly AwsPartition GovCloud = new("aws-us-gov", "amazonaws.com", "api.aws", GovCloudRegions());
    public static readonly AwsPartition Iso = new("aws-iso", "c2s.ic.gov", "api.aws.ic.gov", IsoRegions());
    public static readonly AwsPartition IsoB = new("aws-iso-b", "sc2s.sgov.gov", "api.aws.scloud", IsoBRegions());
    public static readonly AwsPartition IsoE = new("aws-iso-e", "cloud.adc-e.uk", "api.cloud-aws.adc-e.uk", IsoERegions());
    public static readonly AwsPartition IsoF = new("aws-iso-f", "csp.hci.ic.gov", "api.aws.hci.ic.gov", IsoFRegions());
    public static readonly AwsPartition EuropeanSovereignCloud = new("aws-eusc", "amazonaws.eu", "api.amazonwebservices.eu", EuscRegions());

    /// <summary>Every partition, in the order partitions.json lists them.</summary>
    public static readonly IReadOnlyList<AwsPartition> All = [Aws, China, EuropeanSovereignCloud, Iso, IsoB, IsoE, IsoF, GovCloud];

    private AwsPartition(string name, string dnsSuffix, string dualStackDnsSuffix, Regex regionPattern)
    {
        Name = name;
        DnsSuffix = dnsSuffix;
        DualStackDnsSuffix = dualStackDnsSuffix;
        RegionPattern = regionPattern;
    }

    /// <summary>The partition's name, such as <c>aws-us-gov</c>.</summary>
    public string Name { get; }

    /// <summary>The DNS suffix of its IPv4 API endpoints (<c>dnsSuffix</c>).</summary>
    public string DnsSuffix { get; }

    /// <summary>The DNS suffix of its dual-stack API endpoints (<c>dualStackDnsSuffix</c>).</summary>
    public string DualStackDnsSuffix { get; }

    /// <summary>The partition's <c>regionRegex</c>.</summary>
    public Regex RegionPattern { get; }

    /// <summary>The partition of a region: the first whose pattern it matches, else <c>aws</c>.</summary>
    public static AwsPartition ForRegion(string region) => All.FirstOrDefault(p => p.RegionPattern.IsMatch(region)) ?? Aws;

    [GeneratedRegex(@"^(us|eu|ap|sa|ca|me|af|il|mx)\-\w+\-\d+$", RegexOptions.CultureInvariant)]
    private static partial Regex AwsRegions();

    [GeneratedRegex(@"^cn\-\w+\-\d+$", RegexOptions.CultureInvariant)]
    private static partial Regex ChinaRegions();

    [GeneratedRegex(@"^us\-gov\-\w+\-\d+$", RegexOptions.CultureInvariant)]
    private static partial Regex GovCloudRegions();

    [GeneratedRegex(@"^us\-iso\-\w+\-\d+$", RegexOptions.CultureInvariant)]
    private static partial Regex IsoRegions();

    [GeneratedRegex(@"^us\-isob\-\w+\-\d+$", RegexOptions.CultureInvariant)]
    private static partial Regex IsoBRegions();

    [GeneratedRegex(@"^eu\-isoe\-\w+\-\d+$", RegexOptions.CultureInvariant)]
    private static partial Regex IsoERegions();

    [GeneratedRegex(@"^us\-isof\-\w+\-\d+$", RegexOptions.CultureInvariant)]
    private static partial Regex IsoFRegions();

    [GeneratedRegex(@"^eusc\-(de)\-\w+\-\d+$", RegexOptions.CultureInvariant)]
    private static partial Regex EuscRegions();
}
