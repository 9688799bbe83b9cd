using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using RegistryCredentials.Internal;

namespace RegistryCredentials;

/// <summary>
/// The kind of a registry, which decides how its credential is turned into what a pull needs.
/// An extensible string value: <see cref="DockerV2"/>, <see cref="AwsEcr"/>, <see cref="Google"/> and
/// <see cref="Azure"/> are built in, and providers may define more.
/// </summary>
[JsonConverter(typeof(RegistryTypeJsonConverter))]
public sealed partial class RegistryType : IEquatable<RegistryType>
{
    /// <summary>A plain Docker Registry HTTP API v2 registry with username and password (Anchore's <c>docker_v2</c>).</summary>
    public static readonly RegistryType DockerV2 = new("docker_v2");

    /// <summary>Amazon ECR (Anchore's <c>awsecr</c>).</summary>
    public static readonly RegistryType AwsEcr = new("awsecr");

    /// <summary>Google Container Registry and Artifact Registry (<c>gcr</c>).</summary>
    public static readonly RegistryType Google = new("gcr");

    /// <summary>Azure Container Registry (<c>acr</c>).</summary>
    public static readonly RegistryType Azure = new("acr");

    private RegistryType(string value) => Value = value;

    /// <summary>The type's name, lower-case, such as <c>docker_v2</c>.</summary>
    public string Value { get; }

    /// <summary>Returns the type for a name, case-insensitively; the built-in instances are returned for their names.</summary>
    /// <param name="value">A name of lower-case letters, digits and <c>_</c> or <c>-</c>, 1 to 64 characters.</param>
    /// <returns>The type.</returns>
    /// <exception cref="ArgumentException"><paramref name="value"/> is not a valid type name.</exception>
    public static RegistryType Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var lower = value.ToLowerInvariant();
        if (!TypeName().IsMatch(lower))
        {
            throw new ArgumentException(
                $"'{value}' is not a registry type: use letters, digits, '_' or '-' (1-64 characters), such as docker_v2, awsecr, gcr or acr.",
                nameof(value));
        }

        return lower switch
        {
            "docker_v2" => DockerV2,
            "awsecr" => AwsEcr,
            "gcr" => Google,
            "acr" => Azure,
            _ => new RegistryType(lower),
        };
    }

    /// <summary>Guesses the type from a scope's host (glob labels count as any label).</summary>
    /// <param name="scope">The scope.</param>
    /// <returns><see cref="AwsEcr"/>, <see cref="Google"/>, <see cref="Azure"/>, or <see cref="DockerV2"/>.</returns>
    public static RegistryType Guess(RegistryScope scope)
    {
        ArgumentNullException.ThrowIfNull(scope);
        return Guess(scope.Host);
    }

    /// <summary>Guesses the type from a registry host name.</summary>
    /// <param name="host">A host such as <c>123456789012.dkr.ecr.us-east-1.amazonaws.com</c>; a port is ignored.</param>
    /// <returns><see cref="AwsEcr"/>, <see cref="Google"/>, <see cref="Azure"/>, or <see cref="DockerV2"/>.</returns>
    public static RegistryType Guess(string host)
    {
        ArgumentNullException.ThrowIfNull(host);
        var h = host.ToLowerInvariant();
        var colon = h.LastIndexOf(':');
        if (colon > 0 && !h.StartsWith('['))
        {
            h = h[..colon];
        }

        if (h is "public.ecr.aws" or "ecr-public.aws.com" || EcrHost().IsMatch(h))
        {
            return AwsEcr;
        }

        if (GoogleHost().IsMatch(h))
        {
            return Google;
        }

        if (AzureHost().IsMatch(h))
        {
            return Azure;
        }

        return DockerV2;
    }

    /// <summary>Returns <see cref="Value"/>.</summary>
    /// <returns>The type's name.</returns>
    public override string ToString() => Value;

    /// <inheritdoc />
    public bool Equals(RegistryType? other) => other is not null && string.Equals(Value, other.Value, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as RegistryType);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Value);

    /// <summary>Compares two types for equality.</summary>
    /// <param name="left">The first type.</param>
    /// <param name="right">The second type.</param>
    /// <returns>True when both are null or equal.</returns>
    public static bool operator ==(RegistryType? left, RegistryType? right) => Equals(left, right);

    /// <summary>Compares two types for inequality.</summary>
    /// <param name="left">The first type.</param>
    /// <param name="right">The second type.</param>
    /// <returns>True when they differ.</returns>
    public static bool operator !=(RegistryType? left, RegistryType? right) => !Equals(left, right);

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex TypeName();

    // amazon-ecr-credential-helper's host forms: commercial, China, EU sovereign, dual-stack and the ISO partitions.
    [GeneratedRegex(
        @"^(\d{12}|\*)\.dkr[.-]ecr(-fips)?\.([a-z0-9][a-z0-9-]*|\*)\."
        + @"(amazonaws\.com(\.cn)?|amazonaws\.eu|on\.aws|on\.amazonwebservices\.com\.cn|c2s\.ic\.gov|sc2s\.sgov\.gov|cloud\.adc-e\.uk|csp\.hci\.ic\.gov)$",
        RegexOptions.CultureInvariant)]
    private static partial Regex EcrHost();

    [GeneratedRegex(@"^((([a-z0-9-]+|\*)\.)?gcr\.io|([a-z0-9-]+-docker|\*)\.pkg\.dev|docker\.([a-z0-9-]+|\*)\.rep\.pkg\.dev)$", RegexOptions.CultureInvariant)]
    private static partial Regex GoogleHost();

    [GeneratedRegex(@"^([a-z0-9-]+|\*)\.azurecr\.(io|cn|de|us)$", RegexOptions.CultureInvariant)]
    private static partial Regex AzureHost();
}
