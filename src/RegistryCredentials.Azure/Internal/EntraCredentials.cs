using Azure.Core;
using Azure.Identity;

namespace RegistryCredentials.Azure.Internal;

/// <summary>Builds the Azure.Identity credential of an Entra ID entry when <see cref="AzureOptions.CredentialFactory"/> does not.</summary>
internal static class EntraCredentials
{
    /// <summary>The authority host for an entry: the option, else the registry's sovereign cloud, else null (Azure.Identity's default).</summary>
    public static Uri? AuthorityHostFor(RegistryEntry entry, AzureOptions options)
    {
        if (options.AuthorityHost is { } configured)
        {
            return configured;
        }

        var host = entry.Scope.Host;
        return host.EndsWith(".azurecr.cn", StringComparison.OrdinalIgnoreCase) ? AzureAuthorityHosts.AzureChina
            : host.EndsWith(".azurecr.us", StringComparison.OrdinalIgnoreCase) ? AzureAuthorityHosts.AzureGovernment
            : null;
    }

    public static TokenCredential Create(AzureCredentialRequest request, AzureOptions options)
    {
        switch (request.Mode)
        {
            case AzureAuthenticationMode.ClientSecret:
            {
                var o = new ClientSecretCredentialOptions { DisableInstanceDiscovery = options.DisableInstanceDiscovery };
                Configure(o, request, options);
                return new ClientSecretCredential(request.TenantId, request.ClientId, request.ClientSecret!.Reveal(), o);
            }

            case AzureAuthenticationMode.ManagedIdentity:
            {
                var id = request.ManagedIdentityResourceId is { } resourceId ? ManagedIdentityId.FromUserAssignedResourceId(new ResourceIdentifier(resourceId))
                    : request.ClientId is { } clientId ? ManagedIdentityId.FromUserAssignedClientId(clientId)
                    : ManagedIdentityId.SystemAssigned;
                var o = new ManagedIdentityCredentialOptions(id);
                Configure(o, request, options);
                return new ManagedIdentityCredential(o);
            }

            case AzureAuthenticationMode.WorkloadIdentity:
            {
                var o = new WorkloadIdentityCredentialOptions { DisableInstanceDiscovery = options.DisableInstanceDiscovery };
                Configure(o, request, options);
                return new WorkloadIdentityCredential(o);
            }

            case AzureAuthenticationMode.DefaultCredential:
            {
                var o = new DefaultAzureCredentialOptions { DisableInstanceDiscovery = options.DisableInstanceDiscovery };
                Configure(o, request, options);
                return new DefaultAzureCredential(o);
            }

            default:
                throw new ArgumentOutOfRangeException(nameof(request), request.Mode, "Pass-through entries have no Entra ID credential.");
        }
    }

    private static void Configure(TokenCredentialOptions credentialOptions, AzureCredentialRequest request, AzureOptions options)
    {
        if (request.AuthorityHost is { } authority)
        {
            credentialOptions.AuthorityHost = authority;
        }

        options.ConfigureCredentialOptions?.Invoke(credentialOptions);
    }
}
