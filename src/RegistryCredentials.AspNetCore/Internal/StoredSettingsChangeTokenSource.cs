using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace RegistryCredentials.AspNetCore.Internal;

/// <summary>
/// Reloads the options (and so the resolver's settings) when the stored settings change. The tokens are the store's own
/// (a <see cref="RegistryChangeSignal"/> in the stores of this package): once the store is disposed they never fire and
/// taking one does not throw, so the options simply stop reloading.
/// </summary>
internal sealed class StoredSettingsChangeTokenSource(IRegistrySettingsStore store) : IOptionsChangeTokenSource<RegistryCredentialsOptions>
{
    public string Name => Options.DefaultName;

    public IChangeToken GetChangeToken() => store.Watch();
}
