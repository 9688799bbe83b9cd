using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
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
    public RegistryCredentialsBuilder UseStore<TStore>()
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
    public RegistryCredentialsBuilder AddProvider<TProvider>()
        where TProvider : RegistryCredentialProvider
    {
        Services.TryAddEnumerable(ServiceDescriptor.Singleton<RegistryCredentialProvider, TProvider>());
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
