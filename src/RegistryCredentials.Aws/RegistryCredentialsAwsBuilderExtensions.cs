using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RegistryCredentials.Aws.Internal;

namespace RegistryCredentials.Aws;

/// <summary>Adds the Amazon ECR provider to <see cref="RegistryCredentialsBuilder"/>.</summary>
public static class RegistryCredentialsAwsBuilderExtensions
{
    /// <summary>
    /// Adds <see cref="AwsEcrCredentialProvider"/> for <see cref="RegistryType.AwsEcr"/> entries, its options (validated when
    /// the host starts) and the <see cref="AwsEcrOptions.HttpClientName"/> HTTP client (no automatic redirects).
    /// Calling it again only adds <paramref name="configure"/>.
    /// </summary>
    /// <param name="builder">The RegistryCredentials builder.</param>
    /// <param name="configure">Changes the options; optional (bind <see cref="AwsEcrOptions.SectionName"/> for configuration).</param>
    /// <returns>The builder.</returns>
    public static RegistryCredentialsBuilder AddAwsEcr(this RegistryCredentialsBuilder builder, Action<AwsEcrOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        var options = services.AddOptions<AwsEcrOptions>();
        options.ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        if (services.Any(d => d.ServiceType == typeof(AwsEcrCredentialProvider)))
        {
            return builder;
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AwsEcrOptions>, AwsEcrOptionsValidator>());
        services.AddHttpClient(AwsEcrOptions.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(static () => new SocketsHttpHandler
            {
                // A signed request must never be replayed to another host; AWS APIs do not redirect.
                AllowAutoRedirect = false,
                UseCookies = false,
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            });
        services.TryAddSingleton(sp => new AwsEcrCredentialProvider(
            ValidatedOptions(sp),
            sp.GetRequiredService<RegistryTokenCache>(),
            sp.GetRequiredService<IHttpClientFactory>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<ILogger<AwsEcrCredentialProvider>>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<RegistryCredentialProvider, AwsEcrCredentialProvider>(
            static sp => sp.GetRequiredService<AwsEcrCredentialProvider>()));
        return builder;
    }

    private static IOptionsMonitor<AwsEcrOptions> ValidatedOptions(IServiceProvider services)
    {
        var monitor = services.GetRequiredService<IOptionsMonitor<AwsEcrOptions>>();
        _ = monitor.CurrentValue; // throws OptionsValidationException with every failure
        return monitor;
    }
}
