using Microsoft.Extensions.Options;

namespace RegistryCredentials.AspNetCore.Internal;

/// <summary>Applies the stored settings over configuration.</summary>
internal sealed class StoredSettingsOptionsSetup(IRegistrySettingsStore store) : IPostConfigureOptions<RegistryCredentialsOptions>
{
    public void PostConfigure(string? name, RegistryCredentialsOptions options)
    {
        if (name != Microsoft.Extensions.Options.Options.DefaultName || store.Current is not { } settings)
        {
            return;
        }

        options.DefaultRegistry = settings.DefaultRegistry;
        options.AllowedRegistries.Clear();
        foreach (var allowed in settings.AllowedRegistries)
        {
            options.AllowedRegistries.Add(allowed);
        }
    }
}
