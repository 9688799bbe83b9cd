using System.Net;
using System.Net.Http.Headers;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RegistryCredentials.Internal;

namespace RegistryCredentials.Benchmarks;

/// <summary>
/// What <c>AddRegistryAuthentication()</c> costs per request once the bearer token is cached: one
/// <c>GET /v2/test/app/manifests/v1</c> to a Kestrel registry on 127.0.0.1 (plain HTTP, token auth), sent by a plain
/// <see cref="HttpClient"/> that sets the right <c>Authorization: Bearer</c> header itself, by an
/// <c>IHttpClientFactory</c> client without the handler that sets it itself, and by the factory client with
/// <c>AddRegistryAuthentication()</c> (resolve, preauthorise from the cached challenge and token, send).
/// Time and allocations include the in-process server's share, which is the same in every case: the differences are
/// the client-side overhead. Because a loopback round trip varies by more than the handler costs, the same pair is also
/// measured over a stub transport that answers synchronously (no network, no thread hop): <c>StubTransport_*</c>
/// isolate the CPU time of <c>RegistryAuthenticationHandler</c>. Its allocations there leave out the boxes of its two
/// async methods, which a real connection adds (the loopback pair includes them).
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class HandlerOverheadBenchmarks
{
    private LoopbackRegistry _registry = null!;
    private ServiceProvider _services = null!;
    private HttpClient _plain = null!;
    private HttpClient _factoryPlain = null!;
    private HttpClient _authenticated = null!;
    private HttpMessageInvoker _stubPlain = null!;
    private HttpMessageInvoker _stubAuthenticated = null!;
    private Uri _manifest = null!;
    private string _token = string.Empty;
    private long _unauthorizedAfterSetup;
    private long _tokenRequestsAfterSetup;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _registry = await LoopbackRegistry.StartAsync();
        _manifest = _registry.ManifestUri;
        _token = _registry.Token;

        var services = new ServiceCollection();
        services.AddLogging();
        services.AddRegistryCredentials();
        services.AddHttpClient("registry").AddRegistryAuthentication();
        services.AddHttpClient("plain").ConfigurePrimaryHttpMessageHandler(() => NewSocketsHandler());
        _services = services.BuildServiceProvider();

        await _services.GetRequiredService<IRegistryManager>().AddAsync(new RegistryAddRequest
        {
            Scope = _registry.Authority,
            Username = LoopbackRegistry.Username,
            Password = _registry.Password,
            InsecureHttp = true,
            Validate = false,
        });

        var factory = _services.GetRequiredService<IHttpClientFactory>();
        _authenticated = factory.CreateClient("registry");
        _factoryPlain = factory.CreateClient("plain");
        _plain = new HttpClient(NewSocketsHandler(), disposeHandler: true);
        _stubPlain = new HttpMessageInvoker(new StubTransport(_token), disposeHandler: true);
        _stubAuthenticated = new HttpMessageInvoker(
            new RegistryAuthenticationHandler(
                _services.GetRequiredService<IRegistryCredentialResolver>(),
                _services.GetRequiredService<RegistryAuthenticator>(),
                _services.GetRequiredService<IOptionsMonitor<RegistryCredentialsOptions>>())
            {
                InnerHandler = new StubTransport(_token),
            },
            disposeHandler: true);

        // Warm-up: the first request learns the challenge (401), fetches the token and retries; the second must go
        // straight through with the cached token. The connections of every client are open afterwards.
        await WithRegistryAuthentication();
        await WithRegistryAuthentication();
        await Baseline_PlainHttpClient();
        await FactoryClient_HeaderSetByCaller();
        await StubTransport_HeaderSetByCaller();
        await StubTransport_WithRegistryAuthenticationHandler();
        if (_registry.Unauthorized != 1 || _registry.TokenRequests != 1 || _registry.Manifests != 4)
        {
            throw new InvalidOperationException(
                $"Warm-up saw {_registry.Unauthorized} 401s, {_registry.TokenRequests} token requests and {_registry.Manifests} manifests; "
                + "expected 1, 1 and 4.");
        }

        _unauthorizedAfterSetup = _registry.Unauthorized;
        _tokenRequestsAfterSetup = _registry.TokenRequests;
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        var unauthorized = _registry.Unauthorized - _unauthorizedAfterSetup;
        var tokens = _registry.TokenRequests - _tokenRequestsAfterSetup;
        _plain.Dispose();
        _factoryPlain.Dispose();
        _authenticated.Dispose();
        _stubPlain.Dispose();
        _stubAuthenticated.Dispose();
        await _services.DisposeAsync();
        await _registry.DisposeAsync();

        // Every measured request must have used the cached token: no 401 and no token request after setup.
        if (unauthorized != 0 || tokens != 0)
        {
            throw new InvalidOperationException($"The measured requests saw {unauthorized} 401s and {tokens} token requests: not the cached-token path.");
        }
    }

    /// <summary>A plain <see cref="HttpClient"/> over a <see cref="SocketsHttpHandler"/>; the caller sets the Bearer header.</summary>
    [Benchmark(Baseline = true)]
    public async Task<int> Baseline_PlainHttpClient()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, _manifest);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _token);
        using var response = await _plain.SendAsync(request);
        return Check(response);
    }

    /// <summary>
    /// An <c>IHttpClientFactory</c> client without registry authentication (the factory's default logging handlers,
    /// a <see cref="SocketsHttpHandler"/>); the caller sets the Bearer header. Separates the factory's share from the
    /// handler's.
    /// </summary>
    [Benchmark]
    public async Task<int> FactoryClient_HeaderSetByCaller()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, _manifest);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _token);
        using var response = await _factoryPlain.SendAsync(request);
        return Check(response);
    }

    /// <summary>The factory client with <c>AddRegistryAuthentication()</c>; the handler sets the cached Bearer token.</summary>
    [Benchmark]
    public async Task<int> WithRegistryAuthentication()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, _manifest);
        using var response = await _authenticated.SendAsync(request);
        return Check(response);
    }

    /// <summary>No network: the caller sets the Bearer header, the stub checks it and answers 200.</summary>
    [Benchmark]
    public async Task<int> StubTransport_HeaderSetByCaller()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, _manifest);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _token);
        using var response = await _stubPlain.SendAsync(request, CancellationToken.None);
        return Check(response);
    }

    /// <summary>No network: <c>RegistryAuthenticationHandler</c> (same resolver and token cache) over the stub.</summary>
    [Benchmark]
    public async Task<int> StubTransport_WithRegistryAuthenticationHandler()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, _manifest);
        using var response = await _stubAuthenticated.SendAsync(request, CancellationToken.None);
        return Check(response);
    }

    /// <summary>Like the transport's handler: no redirects, no cookies, no decompression.</summary>
    private static SocketsHttpHandler NewSocketsHandler() => new()
    {
        AllowAutoRedirect = false,
        UseCookies = false,
        AutomaticDecompression = DecompressionMethods.None,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
    };

    private static int Check(HttpResponseMessage response) =>
        response.StatusCode == HttpStatusCode.OK
            ? (int)response.StatusCode
            : throw new InvalidOperationException($"The registry answered {(int)response.StatusCode}.");

    /// <summary>Answers 200 to the expected Bearer header and 401 otherwise, synchronously.</summary>
    private sealed class StubTransport(string token) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var authorization = request.Headers.Authorization;
            var ok = authorization is { Scheme: "Bearer" } && string.Equals(authorization.Parameter, token, StringComparison.Ordinal);
            return Task.FromResult(new HttpResponseMessage(ok ? HttpStatusCode.OK : HttpStatusCode.Unauthorized) { RequestMessage = request });
        }
    }
}
