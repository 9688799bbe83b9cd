using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace RegistryCredentials;

/// <summary>
/// Returned by <see cref="RegistryCredentialsServiceCollectionExtensions.AddRegistryCredentials"/>: chooses the store and
/// adds providers. Other packages extend it (<c>UseSqliteStore</c>, <c>AddAwsEcr</c>, …).
/// </summary>
public sealed class RegistryCredentialsBuilder
{
    /// <summary>
    /// The protector registered by default: per-process for <see cref="InMemoryRegistryStore"/>, durable for every other store.
    /// Chosen when first resolved, from the store actually registered, so that no durable store is paired with a key that dies
    /// with the process unless the host asks for it by name (<see cref="UseEphemeralSecretProtection"/>).
    /// </summary>
    internal static readonly ServiceDescriptor DefaultSecretProtector = ServiceDescriptor.Singleton<ISecretProtector>(sp =>
        sp.GetRequiredService<IRegistryStore>() is InMemoryRegistryStore
            ? new Internal.EphemeralSecretProtector()
            : new AesGcmSecretProtector(sp.GetRequiredService<IOptions<SecretProtectionOptions>>()));

    internal RegistryCredentialsBuilder(IServiceCollection services) => Services = services;

    /// <summary>The service collection, for extensions from other packages.</summary>
    public IServiceCollection Services { get; }

    /// <summary>Keeps entries in process memory (the default when no store is chosen).</summary>
    /// <returns>This builder.</returns>
    public RegistryCredentialsBuilder UseInMemoryStore() => UseStore<InMemoryRegistryStore>();

    /// <summary>
    /// Uses a store type, replacing any store chosen before. Unless a protector is chosen, a store other than
    /// <see cref="InMemoryRegistryStore"/> gets durable secret protection (<see cref="AesGcmSecretProtector"/>).
    /// </summary>
    /// <typeparam name="TStore">The store; resolved as a singleton.</typeparam>
    /// <returns>This builder.</returns>
    public RegistryCredentialsBuilder UseStore<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TStore>()
        where TStore : class, IRegistryStore
    {
        Services.RemoveAll<IRegistryStore>();
        Services.AddSingleton<TStore>();
        Services.AddSingleton<IRegistryStore>(sp => sp.GetRequiredService<TStore>());
        return this;
    }

    /// <summary>
    /// Uses a store instance, replacing any store chosen before. Unless a protector is chosen, a store other than
    /// <see cref="InMemoryRegistryStore"/> gets durable secret protection (<see cref="AesGcmSecretProtector"/>).
    /// </summary>
    /// <param name="store">The store.</param>
    /// <returns>This builder.</returns>
    public RegistryCredentialsBuilder UseStore(IRegistryStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        Services.RemoveAll<IRegistryStore>();
        Services.AddSingleton(store);
        return this;
    }

    /// <summary>Adds a credential provider for a registry type; a provider added later wins for the same type.</summary>
    /// <typeparam name="TProvider">The provider; resolved as a singleton.</typeparam>
    /// <returns>This builder.</returns>
    public RegistryCredentialsBuilder AddProvider<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TProvider>()
        where TProvider : RegistryCredentialProvider
    {
        Services.TryAddEnumerable(ServiceDescriptor.Singleton<RegistryCredentialProvider, TProvider>());
        return this;
    }

    /// <summary>
    /// The provider kit's registration, for provider packages (one line in their <c>Add…</c> extension): the options
    /// (<paramref name="configure"/> is added on every call; bind configuration with <c>Services.AddOptions&lt;TOptions&gt;().Bind(…)</c>),
    /// their validator, validation when the host starts (and at the latest when the provider is created), the provider as a
    /// singleton (resolvable as <typeparamref name="TProvider"/> too), and, with <paramref name="httpClientName"/>, a named
    /// <see cref="HttpClient"/> for the provider's own cloud API that follows no redirects (a signed or credentialed request
    /// is never replayed to another host) and keeps no cookies. Calling it again only adds <paramref name="configure"/>.
    /// </summary>
    /// <typeparam name="TProvider">
    /// The provider. Its public constructor takes, in this order, <see cref="Microsoft.Extensions.Options.IOptionsMonitor{TOptions}"/>,
    /// <see cref="Microsoft.Extensions.Logging.ILogger{TCategoryName}"/> of itself (a null logger when logging is not registered),
    /// <see cref="System.TimeProvider"/>, <see cref="RegistryTokenCache"/> and <see cref="IRegistryHttpSender"/>, then any other
    /// service it needs; deriving from <see cref="RegistryCredentialProvider{TOptions}"/> gives that shape.
    /// </typeparam>
    /// <typeparam name="TOptions">The provider's options.</typeparam>
    /// <typeparam name="TValidator">Validates the options, reporting every failure at once.</typeparam>
    /// <param name="configure">Changes the options; optional.</param>
    /// <param name="httpClientName">The name of the provider's <see cref="HttpClient"/> (for <see cref="IHttpClientFactory"/>), or null for none.</param>
    /// <returns>This builder.</returns>
    public RegistryCredentialsBuilder AddProvider<
        [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TProvider,
        [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] TOptions,
        [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TValidator>(
        Action<TOptions>? configure = null,
        string? httpClientName = null)
        where TProvider : RegistryCredentialProvider
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>
    {
        var options = Services.AddOptions<TOptions>();
        options.ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        if (Services.Any(d => d.ServiceType == typeof(TProvider)))
        {
            return this;
        }

        Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TOptions>, TValidator>());
        if (httpClientName is not null)
        {
            Services.AddHttpClient(httpClientName)
                .ConfigurePrimaryHttpMessageHandler(static () => new SocketsHttpHandler
                {
                    AllowAutoRedirect = false,
                    UseCookies = false,
                    PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                });
        }

        Services.TryAddSingleton(static sp => ActivatorUtilities.CreateInstance<TProvider>(
            sp, sp.GetService<ILogger<TProvider>>() ?? NullLogger<TProvider>.Instance));
        Services.TryAddEnumerable(ServiceDescriptor.Singleton<RegistryCredentialProvider, TProvider>(static sp => sp.GetRequiredService<TProvider>()));
        return this;
    }

    /// <summary>
    /// Protects secrets at rest with <see cref="AesGcmSecretProtector"/> (a key from options, an environment variable or a
    /// key file), replacing any protector registered before. The durable stores turn this on by themselves.
    /// </summary>
    /// <param name="configure">Where the key comes from; optional.</param>
    /// <returns>This builder.</returns>
    public RegistryCredentialsBuilder UseSecretProtection(Action<SecretProtectionOptions>? configure = null)
    {
        var options = Services.AddOptions<SecretProtectionOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        Services.RemoveAll<ISecretProtector>();
        Services.AddSingleton<ISecretProtector, AesGcmSecretProtector>();
        return this;
    }

    /// <summary>
    /// Protects secrets with a random key that lives only in this process, replacing any protector registered before, for
    /// every store. Only for data that dies with the process: secrets a durable store keeps under it cannot be read by any
    /// later or other process, and since its key differs in every process, the store refuses their writes
    /// (<see cref="RegistrySecretKeyException"/>). The in-memory store gets it by default; any other store only when asked here.
    /// </summary>
    /// <returns>This builder.</returns>
    public RegistryCredentialsBuilder UseEphemeralSecretProtection()
    {
        Services.RemoveAll<ISecretProtector>();
        Services.AddSingleton<ISecretProtector, Internal.EphemeralSecretProtector>();
        return this;
    }

    /// <summary>
    /// For store packages: switches to <see cref="AesGcmSecretProtector"/> while the protector is still the default, and
    /// leaves a protector the host chose alone (<see cref="UseSecretProtection"/>, <see cref="UseEphemeralSecretProtection"/>
    /// or its own <see cref="ISecretProtector"/>), whichever was registered first.
    /// </summary>
    /// <returns>This builder.</returns>
    public RegistryCredentialsBuilder EnsureDurableSecretProtection()
    {
        var current = Services.LastOrDefault(d => d.ServiceType == typeof(ISecretProtector));
        return current is null || ReferenceEquals(current, DefaultSecretProtector)
            ? UseSecretProtection()
            : this;
    }

    /// <summary>Configures the options (in addition to any configuration binding).</summary>
    /// <param name="configure">Changes the options.</param>
    /// <returns>This builder.</returns>
    public RegistryCredentialsBuilder Configure(Action<RegistryCredentialsOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        Services.Configure(configure);
        return this;
    }
}
