using Azure.Core;
using Azure.Identity;

namespace RegistryCredentials.Azure;

/// <summary>Settings of <see cref="AzureCredentialProvider"/>; set them with <c>AddAzure(o => …)</c>.</summary>
public sealed class AzureOptions
{
    /// <summary>The Entra ID scope whose token is exchanged: ACR's own audience, <c>https://containerregistry.azure.net/.default</c>.</summary>
    public const string DefaultTokenScope = "https://containerregistry.azure.net/.default";

    /// <summary>
    /// Whether entries with the user name <c>default</c> may use <c>DefaultAzureCredential</c> (environment, workload
    /// identity, managed identity, developer tools …). False by default, because it picks up whatever identity the host
    /// process happens to have: such entries are then refused when added and when resolved.
    /// </summary>
    public bool AllowDefaultCredential { get; set; }

    /// <summary>
    /// The Entra ID authority host for every Entra ID mode, such as <see cref="AzureAuthorityHosts.AzureGovernment"/>; must be
    /// HTTPS. When null, the host follows the registry's cloud (<c>*.azurecr.cn</c> → Azure China, <c>*.azurecr.us</c> →
    /// Azure Government) and otherwise Azure.Identity's default (the
    /// <c>AZURE_AUTHORITY_HOST</c> environment variable, else the public cloud).
    /// </summary>
    public Uri? AuthorityHost { get; set; }

    /// <summary>
    /// Turns off Entra ID instance discovery (metadata requests to the public cloud) for the client-secret, workload-identity
    /// and default modes: for private clouds such as Azure Stack, and for authorities Entra ID does not know.
    /// </summary>
    public bool DisableInstanceDiscovery { get; set; }

    /// <summary>The Entra ID scope to ask for; <see cref="DefaultTokenScope"/> unless a cloud needs another audience.</summary>
    public string TokenScope { get; set; } = DefaultTokenScope;

    /// <summary>
    /// Makes the <see cref="TokenCredential"/> for an Entra ID entry instead of the provider; return null to let the provider
    /// build its own (<c>ClientSecretCredential</c>, <c>ManagedIdentityCredential</c>, <c>WorkloadIdentityCredential</c> or
    /// <c>DefaultAzureCredential</c>). Called once per token fetch; <see cref="AllowDefaultCredential"/> is checked first.
    /// </summary>
    public Func<AzureCredentialRequest, TokenCredential?>? CredentialFactory { get; set; }

    /// <summary>
    /// Changes the options of every credential the provider builds, after it set <see cref="AuthorityHost"/> and
    /// <see cref="DisableInstanceDiscovery"/>: for example a <c>Transport</c>, retry or diagnostics settings, or
    /// <see cref="WorkloadIdentityCredentialOptions.TokenFilePath"/>. The argument is a
    /// <see cref="ClientSecretCredentialOptions"/>, <see cref="ManagedIdentityCredentialOptions"/>,
    /// <see cref="WorkloadIdentityCredentialOptions"/> or <see cref="DefaultAzureCredentialOptions"/>.
    /// </summary>
    public Action<TokenCredentialOptions>? ConfigureCredentialOptions { get; set; }

    /// <summary>
    /// How long before its <c>exp</c> an ACR refresh token is replaced in the background (30 minutes of its about 3 hours by
    /// default). A token that lives less than twice this long is refreshed at half its remaining life instead.
    /// </summary>
    public TimeSpan RefreshMargin { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// How long before its <c>exp</c> an ACR refresh token stops being handed out (1 minute by default), for clock skew and
    /// for the pull that starts with it.
    /// </summary>
    public TimeSpan ExpiryMargin { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long getting an Entra ID token and exchanging it at the registry may take together; 30 seconds by default.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
