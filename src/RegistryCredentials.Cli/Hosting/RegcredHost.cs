using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RegistryCredentials.Sqlite;

namespace RegistryCredentials.Cli.Hosting;

/// <summary>
/// The library, composed for one run of the tool: the chosen store, secret protection (key file), the persisted settings
/// and the credential providers. Built only by commands that need the store. Shared with the lookup executable
/// (regcred-lookup), which builds only the lean composition (<c>lookupOnly</c>); the cloud providers are registered in
/// RegcredHost.Providers.cs, regcred's only.
/// </summary>
internal sealed partial class RegcredHost : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private RegcredHost(ServiceProvider services) => _services = services;

    public IRegistryManager Manager => _services.GetRequiredService<IRegistryManager>();

    /// <summary>The policy (default registry, allow-list) kept in the store.</summary>
    public IRegistryPolicyManager Policies => _services.GetRequiredService<IRegistryPolicyManager>();

    public IRegistryCredentialResolver Resolver => _services.GetRequiredService<IRegistryCredentialResolver>();

    public TimeProvider Time => _services.GetRequiredService<TimeProvider>();

    /// <summary>
    /// The entries of the run's account that can match a pull from <paramref name="registry"/>: that registry's and every glob
    /// host's, in one indexed read when the store has the host query (<see cref="IRegistryHostQuery"/>), else every entry of
    /// the account (the caller matches them). Read from the store without building the manager and its validator.
    /// </summary>
    /// <param name="registry">The registry, <c>host[:port]</c>.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The entries.</returns>
    public async Task<IReadOnlyList<RegistryEntry>> ListEntriesForRegistryAsync(string registry, CancellationToken cancellationToken)
    {
        var store = _services.GetRequiredService<IRegistryStore>();
        var account = RegistryAccounts.Normalize(Options.Account);
        var records = store is IRegistryHostQuery query
            ? await query.ListForRegistryAsync(account, registry, cancellationToken)
            : await store.ListAsync(account, cancellationToken);
        return [.. records.Select(r => r.Entry)];
    }

    public RegistryCredentialsOptions Options => _services.GetRequiredService<IOptions<RegistryCredentialsOptions>>().Value;

    /// <param name="store">The store.</param>
    /// <param name="keyFile">
    /// The secret key file; null for the library's default (<see cref="SecretProtectionOptions.DefaultKeyFile"/>, or
    /// <c>REGCRED_SECRET_KEY</c>).
    /// </param>
    /// <param name="account">The account; null for the library's default.</param>
    /// <param name="createKeyFile">Whether a missing key file is created (only the commands that may create a store).</param>
    /// <param name="lookupOnly">
    /// The lean composition of a lookup (<see cref="ToolContext.LookupAsync"/>): the core's <c>docker_v2</c> provider only
    /// (the cloud providers and their options validation are not built), the SQLite file opened read-only with no integrity
    /// check (<see cref="SqliteRegistryStoreOptions.ReadOnly"/>: one connection, nothing written), and the
    /// resolver's index loaded on demand (<see cref="RegistryCredentialsOptions.LoadIndexOnDemand"/>): one indexed read of
    /// the registry asked instead of every entry.
    /// </param>
    public static RegcredHost Create(StoreLocation store, string? keyFile, string? account, bool createKeyFile, bool lookupOnly = false)
    {
        var services = new ServiceCollection();
        var builder = services.AddRegistryCredentials(options =>
        {
            if (account is not null)
            {
                options.Account = account;
            }

            // A lookup resolves one reference and exits: read only the entries that can match its registry.
            options.LoadIndexOnDemand = lookupOnly;
        });
        store.Apply(builder, lookupOnly);
        builder.UseSecretProtection(o =>
        {
            if (keyFile is not null)
            {
                o.KeyFile = keyFile;
            }

            o.CreateKeyFile = createKeyFile;
        });

        if (lookupOnly)
        {
            ClosedOptions.Add<RegistryCredentialsOptions>(services);
            ClosedOptions.Add<SecretProtectionOptions>(services);
        }
        else
        {
            ConfigureProviders(builder);
        }

        var provider = services.BuildServiceProvider();
        try
        {
            // Fail now, in one message, when the options hold something the library refuses.
            _ = provider.GetRequiredService<IOptionsMonitor<RegistryCredentialsOptions>>().CurrentValue;
            return new RegcredHost(provider);
        }
        catch
        {
            provider.Dispose();
            throw;
        }
    }

    /// <summary>
    /// THE place where credential providers are registered. The core registers <c>docker_v2</c>; here the ECR
    /// (<c>awsecr</c>), Google (<c>gcr</c>) and Azure (<c>acr</c>) providers join, with their default options
    /// (<c>awsauto</c> and Application Default Credentials stay refused). The lookup executable has none of them: it never
    /// builds the full composition, it hands such commands to regcred.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static partial RegistryCredentialsBuilder ConfigureProviders(RegistryCredentialsBuilder builder);

    /// <summary>Reads (or creates) the key and opens (or creates) a SQLite file now, rather than on first use.</summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when both are ready.</returns>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        _ = _services.GetRequiredService<ISecretProtector>();
        if (_services.GetService<SqliteRegistryStore>() is { } sqlite)
        {
            await sqlite.InitializeAsync(cancellationToken);
        }
    }

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}
