using RegistryCredentials.Cli.Cli;
using RegistryCredentials.Sqlite;

namespace RegistryCredentials.Cli.Hosting;

/// <summary>
/// One run's choices: the terminal, the store, the key file, the account and the settings file (each from its option,
/// else its environment variable, else the default), with the library host created on first use. Shared with the lookup
/// executable (regcred-lookup): the full composition (<see cref="Host"/>, <see cref="OpenOrCreateHostAsync"/>) is built here
/// by regcred (ToolContext.Full.cs) and, in the lookup executable, is regcred itself, which the command is handed to.
/// </summary>
internal sealed partial class ToolContext : IAsyncDisposable
{
    private RegcredHost? _lookupHost;

    public ToolContext(Terminal terminal, string? storeOption, string? keyFileOption, string? accountOption)
    {
        Terminal = terminal;
        Paths = new ToolPaths(terminal);
        StoreOption = storeOption;
        KeyFileOption = keyFileOption;
        AccountOption = accountOption;
        Store = StoreLocation.From(storeOption ?? terminal.Variable(ToolPaths.StoreVariable), Paths.DefaultStore);
        var keyFile = keyFileOption ?? terminal.Variable(ToolPaths.KeyFileVariable);
        KeyFile = keyFile is null ? null : Path.GetFullPath(keyFile);
        Account = accountOption ?? terminal.Variable(ToolPaths.AccountVariable);
        SettingsPath = Paths.Settings;
    }

    public Terminal Terminal { get; }

    public ToolPaths Paths { get; }

    /// <summary>The values given as options (not from the environment), for <c>helper install</c> to bake into the wrapper.</summary>
    public string? StoreOption { get; }

    public string? KeyFileOption { get; }

    public string? AccountOption { get; }

    public StoreLocation Store { get; }

    public string? KeyFile { get; }

    public string? Account { get; }

    public string SettingsPath { get; }

    /// <summary>True when the store exists (or is PostgreSQL, which cannot be seen from here) or a settings file waits to be migrated.</summary>
    public bool HasStoreOrSettings => Store.IsPostgreSql || File.Exists(Store.Value) || File.Exists(SettingsPath);

    /// <summary>
    /// The key file the run uses: <c>--key-file</c>, <c>REGCRED_KEY_FILE</c> or the library's default; null when
    /// <c>REGCRED_SECRET_KEY</c> holds the key itself (it wins over any file).
    /// </summary>
    public string? EffectiveKeyFile =>
        Terminal.Variable(SecretProtectionOptions.DefaultKeyEnvironmentVariable) is not null ? null : KeyFile ?? SecretProtectionOptions.DefaultKeyFile();

    /// <summary>
    /// The library over an existing store and key, created on first use. A SQLite store file or a key file that does not
    /// exist is an error (exit 2) and nothing is created: only <see cref="OpenOrCreateHostAsync"/> creates them. In the
    /// lookup executable, the command is handed to regcred instead (the process is replaced; this never returns).
    /// </summary>
    /// <exception cref="RegcredException">The store or the key file does not exist.</exception>
    public partial RegcredHost Host { get; }

    /// <summary>
    /// The library over the store and key, creating a missing SQLite store and a missing key file and saying so on stderr
    /// (for <c>registry add</c>, <c>import</c> and the helper's <c>store</c>, Docker's login). An existing store whose key
    /// file is missing is refused: a new key could not read its secrets. In the lookup executable, the command is handed
    /// to regcred instead.
    /// </summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The host.</returns>
    /// <exception cref="RegcredException">The store exists and its key file does not.</exception>
    public partial Task<RegcredHost> OpenOrCreateHostAsync(CancellationToken cancellationToken);

    /// <summary>Whether the full composition is built already (a lookup then uses it directly).</summary>
    private partial bool HasHost { get; }

    /// <summary>
    /// Resolves an image for a lookup (the helper's <c>get</c>, the kubelet plugin) on the lean host first: the store, the
    /// key, the settings and the core's <c>docker_v2</c> provider, nothing else. When the matching entry needs a provider
    /// the lean host does not have (<c>awsecr</c>, <c>gcr</c>, <c>acr</c>, …) the same lookup runs again on the full
    /// <see cref="Host"/>, so the answer is always the one the full composition gives. The returned host is the one that
    /// answered (its clock and manager go with the resolution).
    /// </summary>
    /// <param name="image">The image.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The host that answered and its resolution.</returns>
    /// <exception cref="RegcredException">The store or the key file does not exist.</exception>
    public async ValueTask<(RegcredHost Host, RegistryResolution Resolution)> LookupAsync(ImageReference image, CancellationToken cancellationToken)
    {
        if (!HasHost)
        {
            var lean = _lookupHost ??= Open(create: false, lookupOnly: true);
            try
            {
                var resolution = await lean.Resolver.ResolveAsync(image, null, cancellationToken);
                if (resolution is not { IsDenied: true, DenialReason: RegistryDenialReason.NoProvider })
                {
                    return (lean, resolution);
                }
            }
            catch (SqliteStoreException e) when (e.Kind == SqliteStoreErrorKind.ReadOnly)
            {
                // The lean host reads the file read-only; one of an older schema is migrated by the full host, which opens
                // it for writing, and answers the lookup.
            }
        }

        var host = Host;
        return (host, await host.Resolver.ResolveAsync(image, null, cancellationToken));
    }

    private RegcredHost Open(bool create, bool lookupOnly = false)
    {
        var keyFile = EffectiveKeyFile;
        var storeMissing = !Store.IsPostgreSql && !File.Exists(Store.Value);
        var keyMissing = keyFile is not null && !File.Exists(keyFile);
        if (!create && storeMissing)
        {
            throw new RegcredException(
                RegistryErrorReason.NotFound,
                $"There is no store at {Store.Value} (nothing was created): 'regcred registry add' or 'regcred "
                + $"import docker-config' creates one, or point --store or {ToolPaths.StoreVariable} at yours.");
        }

        // A new key goes only with a new store (or a PostgreSQL database, whose contents cannot be seen from here; the
        // library refuses to write under a key the store does not know).
        var mayCreateKey = create && (storeMissing || Store.IsPostgreSql);
        if (keyMissing && !mayCreateKey)
        {
            throw new RegcredException(
                RegistryErrorReason.NotFound,
                $"The key file {keyFile} does not exist, so the secrets of the store {StoreName} cannot be read (nothing was created): point --key-file "
                + $"or {ToolPaths.KeyFileVariable} at the key the store was written with, or set {SecretProtectionOptions.DefaultKeyEnvironmentVariable}"
                + (create ? "; to start afresh, move the store away first." : "."));
        }

        var host = RegcredHost.Create(Store, keyFile, Account, createKeyFile: create, lookupOnly);
        try
        {
            SettingsMigration.Run(this, host);
            return host;
        }
        catch
        {
            host.DisposeAsync().AsTask().GetAwaiter().GetResult();
            throw;
        }
    }

    /// <summary>The store for messages: the SQLite path, or "PostgreSQL" (a connection string may hold a password).</summary>
    private string StoreName => Store.IsPostgreSql ? "(PostgreSQL)" : Store.Value;

    public async ValueTask DisposeAsync()
    {
        if (_lookupHost is not null)
        {
            await _lookupHost.DisposeAsync();
        }

        await DisposeHostAsync();
    }

    private partial ValueTask DisposeHostAsync();
}
