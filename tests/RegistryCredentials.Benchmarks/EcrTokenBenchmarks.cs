using System.Net;
using System.Security.Cryptography;
using System.Text;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using RegistryCredentials.Aws;

namespace RegistryCredentials.Benchmarks;

/// <summary>
/// The ECR provider through the resolver: <c>AddRegistryCredentials().AddAwsEcr()</c> with one access-key entry for
/// <c>&lt;account&gt;.dkr.ecr.us-east-1.amazonaws.com</c>. The ECR API is a stub transport under the provider's named
/// <see cref="HttpClient"/> that answers <c>GetAuthorizationToken</c> in process (a real, SigV4-signed request goes through
/// the factory's handlers to it), so the figures are the library's work, not a network. Measured:
/// <list type="bullet">
/// <item><description><see cref="WarmToken_Resolve"/>: <c>ResolveAsync</c> when the 12-hour token is cached;</description></item>
/// <item><description><see cref="ColdCache_1000Callers"/>: the token is dropped, then 1,000 callers resolve at once on both cores and share
/// one token call, held at the stub until all have asked; the benchmark throws unless exactly one call was made;</description></item>
/// <item><description><see cref="ColdCache_SingleCaller"/>: one caller after the token was dropped: signing, the call and decoding.</description></item>
/// </list>
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class EcrTokenBenchmarks
{
    public const int Callers = 1_000;

    private readonly Task<RegistryResolution>[] _waiters = new Task<RegistryResolution>[Callers];
    private ServiceProvider _services = null!;
    private IRegistryCredentialResolver _resolver = null!;
    private AwsEcrCredentialProvider _provider = null!;
    private RegistryEntry _entry = null!;
    private StubEcr _ecr = null!;
    private ImageReference _image = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _ecr = new StubEcr();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddRegistryCredentials().AddAwsEcr(o => o.ServiceUrl = new Uri("https://ecr.benchmark.invalid/"));
        services.AddHttpClient(AwsEcrOptions.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(() => _ecr)
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan);
        _services = services.BuildServiceProvider();
        _resolver = _services.GetRequiredService<IRegistryCredentialResolver>();
        _provider = _services.GetRequiredService<AwsEcrCredentialProvider>();
        var manager = _services.GetRequiredService<IRegistryManager>();
        const string registry = "123456789012.dkr.ecr.us-east-1.amazonaws.com";
        _entry = await manager.AddAsync(new RegistryAddRequest
        {
            Scope = registry,
            Username = "AKIA" + RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16),
            Password = Convert.ToBase64String(RandomNumberGenerator.GetBytes(30)),
            Validate = false,
        });
        _image = ImageReference.Parse(registry + "/team/app:1");
        var first = await _resolver.ResolveAsync(_image);
        if (first.Credential?.Username != "AWS" || _ecr.Calls != 1)
        {
            throw new InvalidOperationException($"Setup did not get one ECR token ({first.Kind}, {_ecr.Calls} calls).");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _services.Dispose();

    /// <summary>A resolve whose ECR token is cached (no call).</summary>
    [Benchmark]
    public RegistryCredential? WarmToken_Resolve()
    {
        var pending = _resolver.ResolveAsync(_image);
        var resolution = pending.IsCompletedSuccessfully ? pending.Result : pending.AsTask().GetAwaiter().GetResult();
        return resolution.Credential;
    }

    /// <summary>One caller on a dropped token: one signed call to the stub.</summary>
    [Benchmark]
    public async Task<RegistryCredential?> ColdCache_SingleCaller()
    {
        await _provider.InvalidateAsync(_entry).ConfigureAwait(false);
        var before = _ecr.Calls;
        var resolution = await _resolver.ResolveAsync(_image).ConfigureAwait(false);
        if (_ecr.Calls != before + 1)
        {
            throw new InvalidOperationException("A cold resolve did not make exactly one ECR call.");
        }

        return resolution.Credential;
    }

    /// <summary>1,000 callers on a dropped token share one call.</summary>
    [Benchmark]
    public async Task<RegistryCredential?> ColdCache_1000Callers()
    {
        await _provider.InvalidateAsync(_entry).ConfigureAwait(false);
        var before = _ecr.Calls;
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _ecr.Gate = gate;
        var waiters = _waiters;
        Parallel.For(0, Callers, i => waiters[i] = _resolver.ResolveAsync(_image).AsTask());
        gate.SetResult();
        var first = (await waiters[0].ConfigureAwait(false)).Credential;
        foreach (var waiter in waiters)
        {
            if (!ReferenceEquals((await waiter.ConfigureAwait(false)).Credential, first))
            {
                throw new InvalidOperationException("The callers did not all get the one token.");
            }
        }

        _ecr.Gate = null;
        if (_ecr.Calls != before + 1)
        {
            throw new InvalidOperationException($"{Callers} callers on a cold cache made {_ecr.Calls - before} ECR calls, expected 1.");
        }

        return first;
    }

    /// <summary>Answers GetAuthorizationToken like ECR: a 12-hour token for user AWS.</summary>
    private sealed class StubEcr : HttpMessageHandler
    {
        private static readonly string Token = Convert.ToBase64String(Encoding.UTF8.GetBytes("AWS:"
            + Convert.ToBase64String(RandomNumberGenerator.GetBytes(1536))));
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public TaskCompletionSource? Gate { get; set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            if (!request.Headers.TryGetValues(
                "Authorization",
                out var authorization) || !authorization.Single().StartsWith("AWS4-HMAC-SHA256 Credential=", StringComparison.Ordinal))
            {
                throw new InvalidOperationException("The ECR request is not SigV4-signed.");
            }

            if (Gate is { } gate)
            {
                await gate.Task.ConfigureAwait(false);
            }

            var expiresAt = TimeProvider.System.GetUtcNow().AddHours(12).ToUnixTimeSeconds();
            return new HttpResponseMessage(HttpStatusCode.OK)
            {
                Content = new StringContent($"{{\"authorizationData\":[{{\"authorizationToken\":\"{Token}\",\"expiresAt\":{expiresAt}}}]}}"),
            };
        }
    }
}
