namespace RegistryCredentials.Cli.Hosting;

/// <summary>regcred's full composition: the host with every store and provider, built in this process.</summary>
internal sealed partial class ToolContext
{
    private RegcredHost? _host;

    public partial RegcredHost Host => _host ??= Open(create: false);

    public async partial Task<RegcredHost> OpenOrCreateHostAsync(CancellationToken cancellationToken)
    {
        if (_host is not null)
        {
            return _host;
        }

        var storeMissing = !Store.IsPostgreSql && !File.Exists(Store.Value);
        var keyFile = EffectiveKeyFile;
        var keyMissing = keyFile is not null && !File.Exists(keyFile);
        var host = Open(create: true);
        _host = host;
        if (storeMissing || keyMissing)
        {
            await host.InitializeAsync(cancellationToken);
            Terminal.WriteNotice(
                storeMissing && keyMissing ? $"created new store {Store.Value} and key {keyFile}"
                : storeMissing
                    ? $"created new store {Store.Value} (with the existing key {keyFile ?? "from " + SecretProtectionOptions.DefaultKeyEnvironmentVariable})"
                : $"created new key {keyFile} for the store");
        }

        return host;
    }

    private partial bool HasHost => _host is not null;

    private partial async ValueTask DisposeHostAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }
}
