using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RegistryCredentials.Internal;

namespace RegistryCredentials;

/// <summary>Registers RegistryCredentials in a service collection.</summary>
public static class RegistryCredentialsServiceCollectionExtensions
{
    /// <summary>
    /// Adds the resolver (<see cref="IRegistryCredentialResolver"/>), the manager (<see cref="IRegistryManager"/>), the
    /// <c>docker_v2</c> provider, the Docker Registry v2 credential validator, the token cache
    /// (<see cref="RegistryTokenCache"/>) and, unless replaced, an in-memory store. Secrets are protected, unless another
    /// protector is registered, with a key that lives only in this process when the store is <see cref="InMemoryRegistryStore"/>
    /// (whose data dies with the process too), and with <see cref="AesGcmSecretProtector"/> (a durable key, see
    /// <see cref="SecretProtectionOptions"/>) for any other store, whichever way it was registered.
    /// Options are validated when the host starts (and at the latest when the resolver or manager is first created),
    /// with every error reported at once.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Changes the options; optional.</param>
    /// <returns>A builder to choose the store and add providers.</returns>
    public static RegistryCredentialsBuilder AddRegistryCredentials(this IServiceCollection services, Action<RegistryCredentialsOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var optionsBuilder = services.AddOptions<RegistryCredentialsOptions>();
        optionsBuilder.ValidateOnStart();
        if (configure is not null)
        {
            optionsBuilder.Configure(configure);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RegistryCredentialsOptions>, RegistryCredentialsOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IRegistryStore, InMemoryRegistryStore>();
        services.AddOptions<SecretProtectionOptions>();
        services.TryAdd(RegistryCredentialsBuilder.DefaultSecretProtector);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<RegistryCredentialProvider, DockerV2CredentialProvider>());
        services.TryAddSingleton(sp => new RegistryTokenCache(sp.GetRequiredService<TimeProvider>()));
        if (RegistryFeatures.IsRegistryHttpSupported)
        {
            services.TryAddSingleton<RegistryTransport>();
            services.TryAddSingleton<RegistryHttpSender>();
            services.TryAddSingleton<IRegistryHttpSender>(sp => sp.GetRequiredService<RegistryHttpSender>());
            services.TryAddSingleton<RegistryTokenClient>();
            services.TryAddSingleton<RegistryAuthenticator>();
            services.TryAddSingleton<IRegistryCredentialValidator, RegistryV2Validator>();
        }

        services.TryAddSingleton<IRegistryCredentialResolver>(sp => new RegistryCredentialResolver(
            sp.GetRequiredService<IRegistryStore>(),
            sp.GetRequiredService<ISecretProtector>(),
            sp.GetServices<RegistryCredentialProvider>(),
            ValidatedOptions(sp),
            sp.GetRequiredService<TimeProvider>(),
            Logger<RegistryCredentialResolver>(sp)));
        services.TryAddSingleton<IRegistryManager>(sp => new RegistryManager(
            sp.GetRequiredService<IRegistryStore>(),
            sp.GetRequiredService<ISecretProtector>(),
            sp.GetService<IRegistryCredentialValidator>(),
            sp.GetRequiredService<RegistryTokenCache>(),
            sp.GetServices<RegistryCredentialProvider>(),
            ValidatedOptions(sp),
            sp.GetRequiredService<TimeProvider>(),
            Logger<RegistryManager>(sp),
            (sp.GetService<IRegistryCredentialResolver>() as RegistryCredentialResolver)?.Updater));
        services.TryAddSingleton<IRegistryPolicyManager>(sp => new RegistryPolicyManager(
            sp.GetRequiredService<IRegistryStore>(),
            ValidatedOptions(sp),
            sp.GetRequiredService<TimeProvider>(),
            Logger<RegistryPolicyManager>(sp),
            (sp.GetService<IRegistryCredentialResolver>() as RegistryCredentialResolver)?.Updater));
        return new RegistryCredentialsBuilder(services);
    }

    /// <summary>The logger when logging is registered; the library works without it.</summary>
    private static ILogger<T> Logger<T>(IServiceProvider services) =>
        services.GetService<ILogger<T>>() ?? NullLogger<T>.Instance;

    private static IOptionsMonitor<RegistryCredentialsOptions> ValidatedOptions(IServiceProvider services)
    {
        var monitor = services.GetRequiredService<IOptionsMonitor<RegistryCredentialsOptions>>();
        _ = monitor.CurrentValue; // throws OptionsValidationException with every failure
        return monitor;
    }
}
