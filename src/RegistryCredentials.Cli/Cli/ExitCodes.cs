
namespace RegistryCredentials.Cli.Cli;

/// <summary>
/// The exit codes of <c>regcred</c>; scripts may rely on them. Every failure code is the <see cref="RegistryErrorMapping.ExitCode"/>
/// of a reason in <see cref="RegistryErrorCatalog"/>, the one table the HTTP API reads too: these are names for its values.
/// </summary>
internal static class ExitCodes
{
    /// <summary>Success.</summary>
    public const int Ok = 0;

    /// <summary>Interrupted (Ctrl+C).</summary>
    public const int Cancelled = 130;

    /// <summary>
    /// Bad usage (unknown command or option, malformed registry or image, bad setting, an entry its provider refuses or a
    /// mode the settings turn off) or any other failure (store, secret key).
    /// </summary>
    public static int Usage => RegistryErrorCatalog.For(RegistryErrorReason.InvalidArgument).ExitCode;

    /// <summary>
    /// The registry entry (or the file to import) does not exist, or the store or its key file does not (only
    /// <c>registry add</c>, <c>import</c> and the helper's <c>store</c> create them).
    /// </summary>
    public static int NotFound => RegistryErrorCatalog.For(RegistryErrorReason.NotFound).ExitCode;

    /// <summary>The entry already exists (add without <c>--replace</c>) or changed concurrently.</summary>
    public static int Conflict => RegistryErrorCatalog.For(RegistryErrorReason.Conflict).ExitCode;

    /// <summary>
    /// The registry (or its token service, or the cloud provider's API) rejected the credential or could not be checked
    /// (unauthorized, unreachable, TLS, timeout, throttled, not a registry, protocol error); on add and update nothing was stored.
    /// </summary>
    public static int ValidationFailed => RegistryErrorCatalog.For(RegistryErrorReason.Unauthorized).ExitCode;

    /// <summary>The pull is denied (registry not allowed, entry deactivated, no provider for its type).</summary>
    public static int Denied => RegistryErrorCatalog.For(RegistryErrorReason.PullDenied).ExitCode;
}
