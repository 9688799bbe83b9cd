using System.Text;

namespace RegistryCredentials.Azure;

/// <summary>
/// What <see cref="AzureOptions.CredentialFactory"/> is asked for: an Entra ID <c>TokenCredential</c> for one entry in one
/// of the Entra ID modes. <see cref="ToString"/> and serialisation never show the secret.
/// </summary>
public sealed class AzureCredentialRequest
{
    /// <summary>Creates a request.</summary>
    /// <param name="entry">The entry.</param>
    /// <param name="mode">The entry's mode; never <see cref="AzureAuthenticationMode.PassThrough"/>.</param>
    /// <param name="tenantId">The tenant of <see cref="AzureAuthenticationMode.ClientSecret"/>, otherwise null.</param>
    /// <param name="clientId">The application (client) id, or the user-assigned managed identity's client id, if any.</param>
    /// <param name="managedIdentityResourceId">The user-assigned managed identity's resource id, if it was given that way.</param>
    /// <param name="clientSecret">The client secret of <see cref="AzureAuthenticationMode.ClientSecret"/>, otherwise null.</param>
    /// <param name="authorityHost">The Entra ID authority host to use, or null for Azure.Identity's default.</param>
    public AzureCredentialRequest(
        RegistryEntry entry,
        AzureAuthenticationMode mode,
        string? tenantId,
        string? clientId,
        string? managedIdentityResourceId,
        RegistrySecret? clientSecret,
        Uri? authorityHost)
    {
        ArgumentNullException.ThrowIfNull(entry);
        Entry = entry;
        Mode = mode;
        TenantId = tenantId;
        ClientId = clientId;
        ManagedIdentityResourceId = managedIdentityResourceId;
        ClientSecret = clientSecret;
        AuthorityHost = authorityHost;
    }

    /// <summary>The entry the credential is for.</summary>
    public RegistryEntry Entry { get; }

    /// <summary>The entry's mode.</summary>
    public AzureAuthenticationMode Mode { get; }

    /// <summary>The tenant (directory) id or domain, for <see cref="AzureAuthenticationMode.ClientSecret"/>.</summary>
    public string? TenantId { get; }

    /// <summary>The application (client) id, or a user-assigned managed identity's client id.</summary>
    public string? ClientId { get; }

    /// <summary>A user-assigned managed identity's Azure resource id, when the entry names it that way.</summary>
    public string? ManagedIdentityResourceId { get; }

    /// <summary>The client secret, for <see cref="AzureAuthenticationMode.ClientSecret"/>; masked everywhere but <see cref="RegistrySecret.Reveal"/>.</summary>
    public RegistrySecret? ClientSecret { get; }

    /// <summary>
    /// The Entra ID authority host the provider would use (<see cref="AzureOptions.AuthorityHost"/>, or chosen from the
    /// registry's cloud), or null.
    /// </summary>
    public Uri? AuthorityHost { get; }

    /// <summary>Describes the request without the secret.</summary>
    /// <returns>For example <c>ClientSecret credential for myregistry.azurecr.io (tenant …, client …)</c>.</returns>
    public override string ToString()
    {
        var text = new StringBuilder().Append(Mode).Append(" credential for ").Append(Entry.Scope.Value);
        if (TenantId is not null)
        {
            text.Append(", tenant ").Append(TenantId);
        }

        if (ClientId is not null)
        {
            text.Append(", client ").Append(ClientId);
        }

        if (ManagedIdentityResourceId is not null)
        {
            text.Append(", identity ").Append(ManagedIdentityResourceId);
        }

        return text.ToString();
    }
}
