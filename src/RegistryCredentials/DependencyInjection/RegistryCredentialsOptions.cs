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
}
