namespace RegistryCredentials.AspNetCore.Internal;

/// <summary>The package's own failures, in the one failure model (<see cref="RegistryErrorReason"/>).</summary>
internal static class RegistryApiErrors
{
    /// <summary>The host's setup is wrong (endpoints mapped without their services, without authorization, or a page without the API).</summary>
    public static RegistryCredentialsException Misconfigured(string message) => new(RegistryErrorReason.Misconfigured, message, null);
}
