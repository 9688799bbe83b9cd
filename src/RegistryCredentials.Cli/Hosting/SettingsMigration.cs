namespace RegistryCredentials.Cli.Hosting;

/// <summary>
/// Moves the settings file of older versions (<c>settings.json</c>) into the store, once: its default registry and allow-list
/// become the store's global policy (they applied to every account of the tool), unless the store has one already; then the
/// file is renamed <c>settings.json.migrated</c> and never read again. Says so on stderr either way.
/// </summary>
internal static class SettingsMigration
{
    public const string MigratedSuffix = ".migrated";

    public static void Run(ToolContext context, RegcredHost host)
    {
        var path = context.SettingsPath;
        if (!File.Exists(path))
        {
            return;
        }

        var settings = ToolSettings.Load(path);
        var policies = host.Policies;
        var global = policies.GetPolicyAsync(RegistryPolicy.GlobalAccount).GetAwaiter().GetResult();
        var renamed = path + MigratedSuffix;
        if (global.IsStored)
        {
            File.Move(path, renamed, overwrite: true);
            context.Terminal.WriteNotice(
                $"the store already has a global policy, so the old settings file {path} was not moved into it; it is renamed {renamed} and no longer read.");
            return;
        }

        try
        {
            policies.UpdatePolicyAsync(
                new RegistryPolicyUpdate { DefaultRegistry = settings.DefaultRegistry ?? string.Empty, AllowedRegistries = settings.AllowedRegistries },
                RegistryPolicy.GlobalAccount).GetAwaiter().GetResult();
        }
        catch (ArgumentException e)
        {
            var reason = e.Message.Replace($" (Parameter '{e.ParamName}')", string.Empty, StringComparison.Ordinal);
            throw new Cli.RegcredException(
                RegistryErrorReason.Misconfigured,
                $"The settings file {path} holds invalid settings ({reason}); "
                + "nothing was moved into the store. Fix or delete the file.");
        }

        File.Move(path, renamed, overwrite: true);
        context.Terminal.WriteNotice(
            $"moved the settings of {path} into the store as its global policy (default registry {settings.DefaultRegistry ?? "Docker Hub"}, "
            + $"{settings.AllowedRegistries.Count} allowed registries); the file is renamed {renamed} and no longer read. "
            + "Change them with 'regcred settings set'.");
    }
}
