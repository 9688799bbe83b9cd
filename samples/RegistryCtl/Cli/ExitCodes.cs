namespace RegistryCtl.Cli;

/// <summary>The exit codes of <c>regcred</c>; scripts may rely on them.</summary>
internal static class ExitCodes
{
    /// <summary>Success.</summary>
    public const int Ok = 0;

    /// <summary>Bad usage (unknown command or option, malformed registry or image, bad setting) or any other failure.</summary>
    public const int Usage = 1;

    /// <summary>
    /// The registry entry (or the file to import) does not exist, or the store or its key file does not (only
    /// <c>registry add</c>, <c>import</c> and the helper's <c>store</c> create them).
    /// </summary>
    public const int NotFound = 2;

    /// <summary>The entry already exists (add without <c>--replace</c>) or changed concurrently.</summary>
    public const int Conflict = 3;

    /// <summary>The registry rejected the credential or could not be checked; nothing was stored.</summary>
    public const int ValidationFailed = 4;

    /// <summary>The pull is denied (registry not allowed, entry deactivated, no provider for its type).</summary>
    public const int Denied = 5;

    /// <summary>Interrupted (Ctrl+C).</summary>
    public const int Cancelled = 130;
}
