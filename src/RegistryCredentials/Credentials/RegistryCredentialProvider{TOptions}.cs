using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace RegistryCredentials;

/// <summary>
/// The base of a provider package built with the provider kit: one constructor shape (options monitor, logger, clock,
/// token cache, HTTP sender, in that order, then whatever else the provider needs), options validated when the provider
/// is created, token-cache keys made from the entry, and <see cref="InvalidateAsync"/> that drops the entry's tokens.
/// Register it with <see cref="RegistryCredentialsBuilder.AddProvider{TProvider, TOptions, TValidator}"/>.
/// </summary>
/// <typeparam name="TOptions">The provider's options.</typeparam>
/// <example>
/// <code>
/// public sealed class QuayCredentialProvider(
///     IOptionsMonitor&lt;QuayOptions&gt; options, ILogger&lt;QuayCredentialProvider&gt; logger, TimeProvider timeProvider,
///     RegistryTokenCache tokenCache, IRegistryHttpSender httpSender)
///     : RegistryCredentialProvider&lt;QuayOptions&gt;(options, logger, timeProvider, tokenCache, httpSender)
/// {
///     public override RegistryType Type { get; } = RegistryType.Parse("quay");
///
///     public override ValueTask&lt;RegistryCredential&gt; GetCredentialAsync(
///         RegistryEntry entry,
///         RegistrySecret secret,
///         CancellationToken cancellationToken = default) =>
///         TokenCache.GetOrCreateAsync(TokenKey(entry, entry.Username, secret.Reveal()), ct =&gt; FetchAsync(entry, secret, ct), cancellationToken);
/// }
/// </code>
/// </example>
public abstract class RegistryCredentialProvider<TOptions> : RegistryCredentialProvider
    where TOptions : class
{
    private readonly IOptionsMonitor<TOptions> _options;

    /// <summary>Creates the provider and validates its options.</summary>
    /// <param name="options">The provider's options; read again (<see cref="IOptionsMonitor{TOptions}.CurrentValue"/>) on every use.</param>
    /// <param name="logger">The provider's logger.</param>
    /// <param name="timeProvider">The clock for token lifetimes, timeouts and anything signed with a time.</param>
    /// <param name="tokenCache">The token cache shared with the rest of the library, so that changing or deleting an entry drops its tokens.</param>
    /// <param name="httpSender">The library's HTTP path to registries and their token services (the entry's TLS settings apply).</param>
    /// <exception cref="OptionsValidationException">
    /// The options are not valid (every failure at once, from the validators registered for
    /// <typeparamref name="TOptions"/>).
    /// </exception>
    protected RegistryCredentialProvider(
        IOptionsMonitor<TOptions> options,
        ILogger logger,
        TimeProvider timeProvider,
        RegistryTokenCache tokenCache,
        IRegistryHttpSender httpSender)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(tokenCache);
        ArgumentNullException.ThrowIfNull(httpSender);
        _ = options.CurrentValue; // throws OptionsValidationException with every failure, when the resolver or manager is created
        _options = options;
        Logger = logger;
        TimeProvider = timeProvider;
        TokenCache = tokenCache;
        HttpSender = httpSender;
    }

    /// <summary>The provider's options as they are now.</summary>
    protected TOptions Options => _options.CurrentValue;

    /// <summary>The options monitor, for parts of the provider that read the options themselves.</summary>
    protected IOptionsMonitor<TOptions> OptionsMonitor => _options;

    /// <summary>The provider's logger.</summary>
    protected ILogger Logger { get; }

    /// <summary>The clock.</summary>
    protected TimeProvider TimeProvider { get; }

    /// <summary>The token cache shared with the rest of the library.</summary>
    protected RegistryTokenCache TokenCache { get; }

    /// <summary>The library's HTTP path to registries and their token services.</summary>
    protected IRegistryHttpSender HttpSender { get; }

    /// <summary>
    /// Drops every token this provider made for <paramref name="entry"/> from <see cref="TokenCache"/> (a registry refused
    /// one), then calls <see cref="OnTokensEvicted"/>.
    /// </summary>
    /// <param name="entry">The entry whose credential was refused.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A completed task.</returns>
    public override ValueTask InvalidateAsync(RegistryEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        OnTokensEvicted(entry, TokenCache.EvictEntry(entry, Type));
        return ValueTask.CompletedTask;
    }

    /// <summary>The key of a token this provider makes for <paramref name="entry"/>: see <see cref="RegistryTokenCache.CreateKey"/>.</summary>
    /// <param name="entry">The entry the token is made from.</param>
    /// <param name="parts">What tells the entry's tokens apart; may include secrets.</param>
    /// <returns>The key.</returns>
    protected RegistryTokenKey TokenKey(RegistryEntry entry, params ReadOnlySpan<string> parts) => TokenCache.CreateKey(entry, Type, parts);

    /// <summary>Called by <see cref="InvalidateAsync"/> with how many tokens were dropped, for a log line. The default does nothing.</summary>
    /// <param name="entry">The entry.</param>
    /// <param name="count">How many tokens were dropped (may be 0).</param>
    protected virtual void OnTokensEvicted(RegistryEntry entry, int count)
    {
    }
}
