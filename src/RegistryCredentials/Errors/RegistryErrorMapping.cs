namespace RegistryCredentials;

/// <summary>
/// One row of <see cref="RegistryErrorCatalog"/>: what a <see cref="RegistryErrorReason"/> becomes at each front end (the
/// Registries HTTP API and the <c>regcred</c> command line), and whether a failure for it is usually transient.
/// </summary>
public sealed class RegistryErrorMapping
{
    internal RegistryErrorMapping(RegistryErrorReason reason, int httpStatus, string problemType, string title, int exitCode, bool isTransient)
    {
        Reason = reason;
        HttpStatus = httpStatus;
        ProblemType = problemType;
        Title = title;
        ExitCode = exitCode;
        IsTransient = isTransient;
    }

    /// <summary>The reason.</summary>
    public RegistryErrorReason Reason { get; }

    /// <summary>The HTTP status of the problem response (RFC 9457).</summary>
    public int HttpStatus { get; }

    /// <summary>The problem's <c>type</c>: a stable URN (not a link) to compare against.</summary>
    public string ProblemType { get; }

    /// <summary>The problem's <c>title</c>: a short summary that is the same for every occurrence of the type.</summary>
    public string Title { get; }

    /// <summary>The exit code of <c>regcred</c>.</summary>
    public int ExitCode { get; }

    /// <summary>
    /// Whether a failure for this reason is usually temporary, so that retrying the same call may succeed (the default of
    /// <see cref="RegistryCredentialsException.IsTransient"/>; an exception may know better).
    /// </summary>
    public bool IsTransient { get; }

    /// <summary>The reason and where it maps, for diagnostics.</summary>
    /// <returns>Such as <c>NotFound: HTTP 404 urn:registry-credentials:problem:not-found, exit 2</c>.</returns>
    public override string ToString() =>
        $"{Reason}: HTTP {HttpStatus} {ProblemType}, exit {ExitCode}{(IsTransient ? ", transient" : string.Empty)}";
}
