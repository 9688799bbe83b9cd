using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using RegistryCredentials.Google.Internal;

namespace RegistryCredentials.Google;

/// <summary>Adds the Google Container Registry / Artifact Registry provider to a <see cref="RegistryCredentialsBuilder"/>.</summary>
public static class RegistryCredentialsGoogleBuilderExtensions
{
    /// <summary>
    /// Adds <see cref="GoogleCredentialProvider"/> for registry type <c>gcr</c> (hosts <c>gcr.io</c>, <c>*.gcr.io</c>,
    /// <c>*-docker.pkg.dev</c>, <c>docker.&lt;region&gt;.rep.pkg.dev</c>). Options are validated when the host starts.
    /// </summary>
    /// <param name="builder">The builder from <c>AddRegistryCredentials()</c>.</param>
    /// <param name="configure">Changes the options (in addition to any configuration binding); optional.</param>
    /// <returns>The builder.</returns>
    public static RegistryCredentialsBuilder AddGoogle(this RegistryCredentialsBuilder builder, Action<GoogleOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Services.AddOptions<GoogleOptions>();
        options.ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<GoogleOptions>, GoogleOptionsValidator>());
        return builder.AddProvider<GoogleCredentialProvider>();
    }
}
