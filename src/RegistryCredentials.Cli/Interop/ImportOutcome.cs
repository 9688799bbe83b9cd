namespace RegistryCredentials.Cli.Interop;

/// <summary>What happened to one credential found in a Docker config.</summary>
internal enum ImportOutcome
{
    /// <summary>Stored (added, or replaced with <c>--replace</c>).</summary>
    Imported,

    /// <summary>Not stored: an entry with the scope exists (exit code 3 unless something worse happened).</summary>
    Exists,

    /// <summary>Not stored: the registry rejected it or could not be checked (exit code 4).</summary>
    Invalid,

    /// <summary>Not stored, for a reason that is not an error: nothing to import, a helper without it, a duplicate…</summary>
    Skipped,
}
