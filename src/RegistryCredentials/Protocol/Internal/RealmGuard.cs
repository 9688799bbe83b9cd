using System.Net;
using System.Net.Sockets;

namespace RegistryCredentials.Internal;

/// <summary>
/// Refuses token realms a credential must not be sent to: plain HTTP (unless the entry is insecure-http); unspecified,
/// link-local, carrier-grade NAT and cloud metadata addresses (always); loopback or private addresses unless the registry
/// itself is on such an address. IPv6 forms that reach an IPv4 address (IPv4-mapped <c>::ffff:0:0/96</c>, NAT64
/// <c>64:ff9b::/96</c>) are judged by that IPv4 address. A realm given by name is refused when any address it resolves
/// to is refused.
/// </summary>
/// <remarks>
/// The rules are applied twice: by name before the first request to a realm (<see cref="CheckAsync"/>, so a refusal comes
/// before anything is sent), and again on the addresses a new connection to a realm is actually opened to
/// (<see cref="CheckAddressesAsync"/>, from <see cref="RegistryTransport"/>'s connect callback for requests that carry
/// <see cref="Option"/>). Without the second, a realm name whose DNS answers an allowed address to the check and a refused
/// one to the connection (DNS rebinding) would receive the credential.
/// </remarks>
internal static class RealmGuard
{
    /// <summary>Marks a request to a token realm, with the registry it is for.</summary>
    public static readonly HttpRequestOptionsKey<Rule> Option = new("RegistryCredentials.RealmGuard");

    private static readonly IPAddress Ec2MetadataV6 = IPAddress.Parse("fd00:ec2::254");

    public static async Task CheckAsync(Uri realm, Uri registry, bool insecureHttp, CancellationToken cancellationToken)
    {
        if (realm.Scheme != Uri.UriSchemeHttps && !(insecureHttp && realm.Scheme == Uri.UriSchemeHttp))
        {
            throw Refused(realm, insecureHttp ? "it must use HTTP or HTTPS" : "it must use HTTPS");
        }

        var realmAddresses = await ResolveAsync(realm.IdnHost, cancellationToken).ConfigureAwait(false);
        await CheckAddressesAsync(realm, realmAddresses, registry, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Applies the address rules to the addresses <paramref name="realm"/> is reached at.</summary>
    public static async Task CheckAddressesAsync(Uri realm, IPAddress[] realmAddresses, Uri registry, CancellationToken cancellationToken)
    {
        foreach (var address in realmAddresses)
        {
            if (AlwaysRefused(address) is { } why)
            {
                throw Refused(realm, $"it is on {why} ({address})");
            }
        }

        if (realmAddresses.Any(IsLoopbackOrPrivate))
        {
            var registryAddresses = await ResolveAsync(registry.IdnHost, cancellationToken).ConfigureAwait(false);
            if (registryAddresses.Length == 0 || !registryAddresses.All(IsLoopbackOrPrivate))
            {
                throw Refused(realm, "it is on a loopback or private address but the registry is not");
            }
        }
    }

    /// <summary>The addresses of a host: an IP literal (bracketed or not) as it is, a name through DNS.</summary>
    public static async Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        if (IPAddress.TryParse(host.Trim('[', ']'), out var literal))
        {
            return [literal];
        }

        try
        {
            return await Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException e)
        {
            throw new RegistryAuthenticationException(
                RegistryValidationOutcome.Unreachable,
                $"The host {host} could not be resolved (DNS: {e.SocketErrorCode}).",
                e);
        }
    }

    /// <summary>Why a realm on <paramref name="address"/> is refused whatever the registry, or null.</summary>
    internal static string? AlwaysRefused(IPAddress address)
    {
        address = Unwrap(address);
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return b[0] switch
            {
                0 => "an unspecified address",                                  // 0.0.0.0/8, RFC 1122 "this network"
                169 when b[1] == 254 => "a link-local or cloud metadata address", // 169.254.0.0/16, RFC 3927
                100 when (b[1] & 0xC0) == 64 => "a carrier-grade NAT address",  // 100.64.0.0/10, RFC 6598
                _ => null,
            };
        }

        if (address.Equals(IPAddress.IPv6Any))
        {
            return "an unspecified address"; // ::
        }

        return address.IsIPv6LinkLocal || address.Equals(Ec2MetadataV6) ? "a link-local or cloud metadata address" : null;
    }

    internal static bool IsLoopbackOrPrivate(IPAddress address)
    {
        address = Unwrap(address);
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

    /// <summary>
    /// The IPv4 address an IPv6 address reaches: IPv4-mapped (<c>::ffff:a.b.c.d</c>, RFC 4291 §2.5.5.2) and NAT64
    /// well-known prefix (<c>64:ff9b::a.b.c.d</c>, RFC 6052 §2.1); any other address as it is.
    /// </summary>
    internal static IPAddress Unwrap(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4();
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            Span<byte> b = stackalloc byte[16];
            address.TryWriteBytes(b, out _);
            if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b && !b[4..12].ContainsAnyExcept((byte)0))
            {
                return new IPAddress(b[12..]);
            }
        }

        return address;
    }

    private static RegistryAuthenticationException Refused(Uri realm, string why) =>
        new(RegistryValidationOutcome.ProtocolError, $"The token realm {realm.GetLeftPart(UriPartial.Path)} was refused: {why}.");

    /// <summary>What a realm request's connection is checked against: the registry whose challenge named the realm.</summary>
    internal sealed record Rule(Uri Registry);
}
