using RegistryCredentials.Google.Internal;

namespace RegistryCredentials.Google;

/// <summary>Adds the Google Container Registry / Artifact Registry provider to a <see cref="RegistryCredentialsBuilder"/>.</summary>
public static class RegistryCredentialsGoogleBuilderExtensions
{
    /// <summary>
    /// Adds <see cref="GoogleCredentialProvider"/> for registry type <c>gcr</c> (hosts <c>gcr.io</c>, <c>*.gcr.io</c>,
    /// <c>*-docker.pkg.dev</c>, <c>docker.&lt;region&gt;.rep.pkg.dev</c>) with the core's provider kit
    /// (<see cref="RegistryCredentialsBuilder.AddProvider{TProvider, TOptions, TValidator}"/>). Options are validated when
    /// the host starts. Calling it again only adds <paramref name="configure"/>.
    /// </summary>
    /// <param name="builder">The builder from <c>AddRegistryCredentials()</c>.</param>
    /// <param name="configure">Changes the options (in addition to any configuration binding); optional.</param>
    /// <returns>The builder.</returns>
    public static RegistryCredentialsBuilder AddGoogle(this RegistryCredentialsBuilder builder, Action<GoogleOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddProvider<GoogleCredentialProvider, GoogleOptions, GoogleOptionsValidator>(configure);
    }
}
