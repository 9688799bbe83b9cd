using RegistryCredentials.Aws.Internal;

namespace RegistryCredentials.Aws;

/// <summary>Adds the Amazon ECR provider to <see cref="RegistryCredentialsBuilder"/>.</summary>
public static class RegistryCredentialsAwsBuilderExtensions
{
    /// <summary>
    /// Adds <see cref="AwsEcrCredentialProvider"/> for <see cref="RegistryType.AwsEcr"/> entries, its options (validated when
    /// the host starts) and the <see cref="AwsEcrOptions.HttpClientName"/> HTTP client (no automatic redirects), with the
    /// core's provider kit (<see cref="RegistryCredentialsBuilder.AddProvider{TProvider, TOptions, TValidator}"/>).
    /// Calling it again only adds <paramref name="configure"/>.
    /// </summary>
    /// <param name="builder">The RegistryCredentials builder.</param>
    /// <param name="configure">Changes the options; optional (bind <see cref="AwsEcrOptions.SectionName"/> for configuration).</param>
    /// <returns>The builder.</returns>
    public static RegistryCredentialsBuilder AddAwsEcr(this RegistryCredentialsBuilder builder, Action<AwsEcrOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddProvider<AwsEcrCredentialProvider, AwsEcrOptions, AwsEcrOptionsValidator>(configure, AwsEcrOptions.HttpClientName);
    }
}
