using System.Diagnostics.CodeAnalysis;

namespace RegistryCredentials.Internal;

/// <summary>
/// The library's feature switches (AppContext switches that a trimmed or Native AOT application can fix at publish time with
/// <c>&lt;RuntimeHostConfigurationOption Include="…" Value="false" Trim="true" /&gt;</c>, so that the code behind them is
/// left out of the binary).
/// </summary>
internal static class RegistryFeatures
{
    /// <summary>The switch of <see cref="IsRegistryHttpSupported"/>.</summary>
    public const string RegistryHttpSwitch = "RegistryCredentials.RegistryHttp.IsSupported";

    /// <summary>
    /// Whether the core registers its registry HTTP client: the Registry v2 credential check (<see cref="IRegistryCredentialValidator"/>)
    /// and the token exchanges and transport the cloud providers use. On unless the switch is set false, which an
    /// application that only resolves credentials (a credential helper) does to leave the HTTP stack out of its binary;
    /// there, validation fails with a typed error naming the missing validator, as without one registered.
    /// </summary>
    [FeatureSwitchDefinition(RegistryHttpSwitch)]
    public static bool IsRegistryHttpSupported => !AppContext.TryGetSwitch(RegistryHttpSwitch, out var enabled) || enabled;
}
