namespace RegistryCredentials.Azure;

/// <summary>
/// How an <c>acr</c> entry authenticates, chosen by its user name (see <see cref="AzureCredentialProvider"/>).
/// </summary>
public enum AzureAuthenticationMode
{
    /// <summary>
    /// The admin user or a service principal (application id and secret), or a repository-scoped ACR token: the user name
    /// and password pass through as HTTP Basic credentials, as the anchorectl documentation describes.
    /// </summary>
    PassThrough,

    /// <summary>
    /// Entra ID with a client secret: user name <c>&lt;tenant-id&gt;/&lt;client-id&gt;</c>, password the client secret
    /// (<c>ClientSecretCredential</c>).
    /// </summary>
    ClientSecret,

    /// <summary>
    /// A managed identity: user name <c>managed-identity</c> (system-assigned) or <c>managed-identity:&lt;client-id&gt;</c>
    /// / <c>managed-identity:&lt;resource-id&gt;</c> (user-assigned) (<c>ManagedIdentityCredential</c>). The password is not used.
    /// </summary>
    ManagedIdentity,

    /// <summary>
    /// Workload identity federation (AKS): user name <c>workload-identity</c>, with tenant, client and token file from
    /// <c>AZURE_TENANT_ID</c>, <c>AZURE_CLIENT_ID</c> and <c>AZURE_FEDERATED_TOKEN_FILE</c> (<c>WorkloadIdentityCredential</c>).
    /// The password is not used.
    /// </summary>
    WorkloadIdentity,

    /// <summary>
    /// <c>DefaultAzureCredential</c>: user name <c>default</c>, allowed only with <see cref="AzureOptions.AllowDefaultCredential"/>.
    /// The password is not used.
    /// </summary>
    DefaultCredential,
}
