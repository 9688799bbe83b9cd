namespace RegistryCredentials;

/// <summary>
/// Options of the resolver and the manager. Bind them from configuration with
/// <c>services.Configure&lt;RegistryCredentialsOptions&gt;(configuration.GetSection(RegistryCredentialsOptions.SectionName))</c>;
/// they are validated at start-up and every error is reported at once.
/// </summary>
public sealed class RegistryCredentialsOptions
{
    /// <summary>The configuration section these options are usually bound from: <c>RegistryCredentials</c>.</summary>
    public const string SectionName = "RegistryCredentials";

    /// <summary>
    /// The registry (<c>host[:port]</c>) that replaces Docker Hub for references naming no registry (Rancher's
    /// <c>registry.default</c>): with <c>reg.example.com</c>, <c>ubuntu:22.04</c> resolves against
    /// <c>reg.example.com/ubuntu</c>. Null or a Docker Hub name keeps Docker Hub.
    /// </summary>
    public string? DefaultRegistry { get; set; }

    /// <summary>
    /// When not empty, only these registries may be pulled from (Rancher's <c>registry.whitelist</c>); others are
    /// denied before any credential is looked up. Each item is a scope: <c>host[:port]</c>, optionally with
    /// <c>*</c> host labels or a repository path. Docker Hub is allowed only when one of its names is listed.
    /// </summary>
    public IList<string> AllowedRegistries { get; } = [];

    /// <summary>
    /// False (the default): a deactivated entry denies the pulls it matches. True: deactivated entries are
    /// skipped, and the next most specific entry (or anonymous) applies.
    /// </summary>
    public bool SkipInactiveEntries { get; set; }

    /// <summary>How long one credential check against a registry may take, token request included. Default 10 seconds.</summary>
    public TimeSpan ValidationTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The account resolved and managed when a call names none. Default <see cref="RegistryAccounts.Default"/>.</summary>
    public string Account { get; set; } = RegistryAccounts.Default;

    /// <summary>
    /// How long the resolver may keep answering from its index after the store signalled a change that is not yet applied.
    /// Changes are applied in the background as they come (a few milliseconds each), and a resolve never waits for that;
    /// only when a signalled change has waited longer than this (a slow or unreachable store) does a resolve wait for the
    /// update (and fail with the store's error if it cannot be read), rather than answer from data older than this.
    /// Counted from the signal: add the store's own notice time (SQLite's poll interval; a PostgreSQL notification's
    /// delivery) for the longest a change made by another process can go unseen. Default 5 seconds; more than zero and
    /// at most one hour, or <see cref="Timeout.InfiniteTimeSpan"/> to never wait.
    /// </summary>
    public TimeSpan IndexStalenessBound { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// For a short-lived process that resolves a few references and exits (a credential helper, a kubelet plugin): when
    /// true and the store implements <see cref="IRegistryHostQuery"/>, the resolver does not read every entry at start;
    /// the first resolve of each registry (and account) reads only the entries that can match it (that registry's and the
    /// glob hosts), and later changes are applied as usual. The answers are the same as with the whole index. A store
    /// without the query is read whole, as when false. Read once, when the resolver is created. Default false: a
    /// long-running process reads the store once and answers every registry from memory.
    /// </summary>
    public bool LoadIndexOnDemand { get; set; }
}
