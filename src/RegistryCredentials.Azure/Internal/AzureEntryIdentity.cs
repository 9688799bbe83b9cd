using System.Text.RegularExpressions;

namespace RegistryCredentials.Azure.Internal;

/// <summary>
/// What an <c>acr</c> entry's user name says about how it authenticates (see <see cref="AzureAuthenticationMode"/>).
/// User names containing <c>:</c> can never pass through (HTTP Basic separates user and password with it), and ACR's
/// admin users, service principals and tokens never contain <c>/</c>, so the Entra ID forms cannot be mistaken for them;
/// only the three reserved names <c>managed-identity</c>, <c>workload-identity</c> and <c>default</c> are taken.
/// </summary>
internal sealed partial record AzureEntryIdentity(AzureAuthenticationMode Mode, string? TenantId, string? ClientId, string? ResourceId)
{
    public const string ManagedIdentityName = "managed-identity";
    public const string WorkloadIdentityName = "workload-identity";
    public const string DefaultCredentialName = "default";

    private const string Forms =
        "An acr user name is the admin user or a service principal's application id (passed through), "
        + "'<tenant-id>/<client-id>' with the client secret as password (Entra ID), 'managed-identity', "
        + "'managed-identity:<client-id>', 'managed-identity:<resource-id>', 'workload-identity' or 'default'.";

    public bool IsEntra => Mode != AzureAuthenticationMode.PassThrough;

    /// <summary>Reads a user name.</summary>
    /// <exception cref="ArgumentException">The user name is none of the forms.</exception>
    public static AzureEntryIdentity Parse(string username)
    {
        ArgumentNullException.ThrowIfNull(username);
        if (string.Equals(username, ManagedIdentityName, StringComparison.OrdinalIgnoreCase))
        {
            return new(AzureAuthenticationMode.ManagedIdentity, null, null, null);
        }

        if (username.StartsWith(ManagedIdentityName + ":", StringComparison.OrdinalIgnoreCase))
        {
            var id = username[(ManagedIdentityName.Length + 1)..];
            if (Guid.TryParseExact(id, "D", out _))
            {
                return new(AzureAuthenticationMode.ManagedIdentity, null, id, null);
            }

            if (id.StartsWith("/subscriptions/", StringComparison.OrdinalIgnoreCase) && !id.Any(char.IsWhiteSpace))
            {
                return new(AzureAuthenticationMode.ManagedIdentity, null, null, id);
            }

            throw Invalid(
                $"'{username}' does not name a user-assigned managed identity: use 'managed-identity:<client-id>' "
                + $"with a GUID, or 'managed-identity:/subscriptions/…' with its resource id.");
        }

        if (string.Equals(username, WorkloadIdentityName, StringComparison.OrdinalIgnoreCase))
        {
            return new(AzureAuthenticationMode.WorkloadIdentity, null, null, null);
        }

        if (string.Equals(username, DefaultCredentialName, StringComparison.OrdinalIgnoreCase))
        {
            return new(AzureAuthenticationMode.DefaultCredential, null, null, null);
        }

        var slash = username.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0)
        {
            var tenant = username[..slash];
            var client = username[(slash + 1)..];
            if (!TenantName().IsMatch(tenant) || !Guid.TryParseExact(client, "D", out _))
            {
                throw Invalid(
                    $"'{username}' is not '<tenant-id>/<client-id>': the tenant is a directory "
                    + $"id or domain (letters, digits, '.' and '-') and the client id a GUID.");
            }

            return new(AzureAuthenticationMode.ClientSecret, tenant, client, null);
        }

        if (username.Contains(':', StringComparison.Ordinal))
        {
            throw Invalid($"'{username}' cannot pass through: HTTP Basic authentication separates user and password with ':'.");
        }

        return new(AzureAuthenticationMode.PassThrough, null, null, null);
    }

    private static ArgumentException Invalid(string message, string paramName = "username") => new(message + " " + Forms, paramName);

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9.-]{0,253}$", RegexOptions.CultureInvariant)]
    private static partial Regex TenantName();
}
