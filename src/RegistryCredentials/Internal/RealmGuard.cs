using System.Net;
using System.Net.Sockets;

namespace RegistryCredentials.Internal;

/// <summary>
/// Refuses token realms a credential must not be sent to: plain HTTP (unless the entry is insecure-http),
/// link-local and cloud metadata addresses (always), and loopback or private addresses unless the registry itself is
/// on such an address.
/// </summary>
internal static class RealmGuard
{
    private static readonly IPAddress Ec2MetadataV6 = IPAddress.Parse("fd00:ec2::254");

    public static async Task CheckAsync(Uri realm, Uri registry, bool insecureHttp, CancellationToken cancellationToken)
    {
        if (realm.Scheme != Uri.UriSchemeHttps && !(insecureHttp && realm.Scheme == Uri.UriSchemeHttp))
        {
            throw Refused(realm, insecureHttp ? "it must use HTTP or HTTPS" : "it must use HTTPS");
        }

        var realmAddresses = await ResolveAsync(realm, cancellationToken).ConfigureAwait(false);
        if (realmAddresses.Any(IsMetadataOrLinkLocal))
        {
            throw Refused(realm, "it is on a link-local or cloud metadata address");
        }

        if (realmAddresses.Any(IsLoopbackOrPrivate))
        {
            var registryAddresses = await ResolveAsync(registry, cancellationToken).ConfigureAwait(false);
            if (registryAddresses.Length == 0 || !registryAddresses.All(IsLoopbackOrPrivate))
            {
                throw Refused(realm, "it is on a loopback or private address but the registry is not");
            }
        }
    }

    private static async Task<IPAddress[]> ResolveAsync(Uri uri, CancellationToken cancellationToken)
    {
        if (IPAddress.TryParse(uri.IdnHost.Trim('[', ']'), out var literal))
        {
            return [literal];
        }

        try
        {
            return await Dns.GetHostAddressesAsync(uri.IdnHost, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException e)
        {
            throw new RegistryAuthenticationException(RegistryValidationOutcome.Unreachable, $"The host {uri.IdnHost} could not be resolved (DNS: {e.SocketErrorCode}).", e);
        }
    }

    internal static bool IsMetadataOrLinkLocal(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return b[0] == 169 && b[1] == 254;
        }

        return address.IsIPv6LinkLocal || address.Equals(Ec2MetadataV6);
    }

    internal static bool IsLoopbackOrPrivate(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (IPAddress.IsLoopback(address))
        {
            return true;
        }

        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return b[0] == 10 || (b[0] == 172 && b[1] >= 16 && b[1] <= 31) || (b[0] == 192 && b[1] == 168);
        }

        return address.IsIPv6UniqueLocal || address.IsIPv6SiteLocal;
    }

    private static RegistryAuthenticationException Refused(Uri realm, string why) =>
        new(RegistryValidationOutcome.ProtocolError, $"The token realm {realm.GetLeftPart(UriPartial.Path)} was refused: {why}.");
}
