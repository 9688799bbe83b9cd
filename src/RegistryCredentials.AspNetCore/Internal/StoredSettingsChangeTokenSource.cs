using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace RegistryCredentials.AspNetCore.Internal;

/// <summary>Reloads the options (and so the resolver's settings) when the stored settings change.</summary>
internal sealed class StoredSettingsChangeTokenSource(IRegistrySettingsStore store) : IOptionsChangeTokenSource<RegistryCredentialsOptions>
{
    public string Name => Options.DefaultName;

    public IChangeToken GetChangeToken() => store.Watch();
}
