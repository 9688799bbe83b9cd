using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Authentication;

namespace RegistryCredentials.Internal;

/// <summary>
/// Sends requests to registries and token realms through <see cref="RegistryTransport"/>: follows redirects itself
/// (the <c>Authorization</c> header only while scheme, host and port stay the same; never from HTTPS to HTTP),
/// reads bodies with a size limit, and turns transport failures into <see cref="RegistryAuthenticationException"/>
/// with an outcome that names them.
/// </summary>
internal sealed class RegistryHttpSender(RegistryTransport transport) : IRegistryHttpSender
{
    /// <summary>The largest token or error body read: 1 MiB.</summary>
    public const int MaxBodyBytes = 1024 * 1024;

    private const int MaxRedirects = 5;

    public async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, RegistryEntry? entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var origin = request.RequestUri!;
        var response = await FollowRedirectsAsync(request, SendOnceAsync, cancellationToken).ConfigureAwait(false);
        if (IsRedirect(response.StatusCode) && response.Headers.Location is { } location && request.Content is null)
        {
            var next = new Uri(response.RequestMessage?.RequestUri ?? origin, location);
            response.Dispose();
            throw new RegistryAuthenticationException(
                RegistryValidationOutcome.ProtocolError,
                next.Scheme != Uri.UriSchemeHttps && origin.Scheme == Uri.UriSchemeHttps
                    ? $"Refused a redirect from HTTPS to {next.Scheme}."
                    : $"More than {MaxRedirects} redirects from {origin.GetLeftPart(UriPartial.Path)}.");
        }

        return response;

        async Task<HttpResponseMessage> SendOnceAsync(HttpRequestMessage message, CancellationToken token)
        {
            var connection = transport.For(message.RequestUri!, entry, message.Options.TryGetValue(RealmGuard.Option, out var realm) ? realm : null);
            try
            {
                return await connection.Invoker.SendAsync(message, token).ConfigureAwait(false);
            }
            catch (HttpRequestException e) when (e.InnerException is RegistryAuthenticationException refused)
            {
                // A realm connection refused by RealmGuard at connect (RegistryTransport): the refusal itself.
                throw refused;
            }
            catch (HttpRequestException e)
            {
                throw Map(e, message.RequestUri!, connection.Policy);
            }
        }
    }

    /// <summary>
    /// Sends a request and follows up to <see cref="MaxRedirects"/> redirects of a body-less request, dropping the
    /// <c>Authorization</c> header when the origin changes (and never putting it back). Stops, returning the redirect, at
    /// a downgrade from HTTPS or at the limit. The response's <see cref="HttpResponseMessage.RequestMessage"/> is the
    /// request that was answered, so callers can tell which origin answered (<see cref="AnsweredFrom"/>).
    /// </summary>
    public static async Task<HttpResponseMessage> FollowRedirectsAsync(
        HttpRequestMessage request, Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> send, CancellationToken cancellationToken)
    {
        var response = await send(request, cancellationToken).ConfigureAwait(false);
        response.RequestMessage ??= request;
        for (var redirects = 0; redirects < MaxRedirects
            && IsRedirect(response.StatusCode)
            && response.Headers.Location is { } location
            && request.Content is null; redirects++)
        {
            var next = new Uri(request.RequestUri!, location);
            if (request.RequestUri!.Scheme == Uri.UriSchemeHttps && next.Scheme != Uri.UriSchemeHttps)
            {
                return response;
            }

            response.Dispose();
            request = Redirected(request, next);
            response = await send(request, cancellationToken).ConfigureAwait(false);
            response.RequestMessage ??= request;
        }

        return response;
    }

    /// <summary>The URI whose origin answered <paramref name="response"/>: the last one a redirect led to.</summary>
    public static Uri AnsweredFrom(HttpResponseMessage response, Uri sentTo) => response.RequestMessage?.RequestUri ?? sentTo;

    public Task<byte[]> ReadBodyAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(response);
        return ReadLimitedAsync(response, what, cancellationToken);
    }

    /// <summary>Reads a body of at most <see cref="MaxBodyBytes"/>.</summary>
    public static async Task<byte[]> ReadLimitedAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        if (response.Content.Headers.ContentLength > MaxBodyBytes)
        {
            throw TooLarge(what);
        }

        using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                throw TooLarge(what);
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    public static bool IsRedirect(HttpStatusCode status) =>
        status is HttpStatusCode.MovedPermanently or HttpStatusCode.Found or HttpStatusCode.SeeOther
            or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect;

    /// <summary>True when both URIs have the same scheme, host and port: only then may credentials follow.</summary>
    public static bool SameOrigin(Uri a, Uri b) =>
        a.Scheme == b.Scheme && string.Equals(a.IdnHost, b.IdnHost, StringComparison.OrdinalIgnoreCase) && a.Port == b.Port;

    /// <summary>A copy of a body-less request for a redirect target; credentials are dropped when the origin changes.</summary>
    public static HttpRequestMessage Redirected(HttpRequestMessage request, Uri next)
    {
        var copy = new HttpRequestMessage(request.Method, next) { Version = request.Version, VersionPolicy = request.VersionPolicy };
        foreach (var header in request.Headers)
        {
            copy.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        if (!SameOrigin(request.RequestUri!, next))
        {
            copy.Headers.Authorization = null;
        }

        foreach (var option in request.Options)
        {
            ((IDictionary<string, object?>)copy.Options)[option.Key] = option.Value;
        }

        return copy;
    }

    private static RegistryAuthenticationException Map(HttpRequestException e, Uri target, TlsPolicy policy)
    {
        var where = target.GetLeftPart(UriPartial.Authority);
        if (e.HttpRequestError == HttpRequestError.SecureConnectionError || e.InnerException is AuthenticationException)
        {
            return new(RegistryValidationOutcome.TlsFailure, $"TLS with {where} failed: {policy.LastFailure ?? e.InnerException?.Message ?? e.Message}.", e);
        }

        var socket = e.InnerException as SocketException ?? e.InnerException?.InnerException as SocketException;
        var detail = e.HttpRequestError switch
        {
            HttpRequestError.NameResolutionError => "DNS: the host name could not be resolved",
            HttpRequestError.ConnectionError when socket?.SocketErrorCode == SocketError.ConnectionRefused => "TCP: connection refused",
            HttpRequestError.ConnectionError => "TCP: " + (socket?.SocketErrorCode.ToString() ?? "the connection failed"),
            HttpRequestError.InvalidResponse or HttpRequestError.ResponseEnded => "the connection was reset or the answer was not HTTP",
            _ => e.Message,
        };
        return new(RegistryValidationOutcome.Unreachable, $"{where} could not be reached ({detail}).", e);
    }

    private static RegistryAuthenticationException TooLarge(string what) =>
        new(RegistryValidationOutcome.ProtocolError, $"The {what} is larger than {MaxBodyBytes / 1024} KiB.");

    /// <summary>The value of a Basic <c>Authorization</c> header for a credential, or null when it has no user name.</summary>
    public static AuthenticationHeaderValue? Basic(RegistryCredential? credential) =>
        credential?.Kind == RegistryCredentialKind.UsernamePassword
            ? AuthenticationHeaderValue.Parse(credential.GetAuthorizationHeaderValue()!)
            : null;
}
