using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RegistryCredentials.Tests.Support;

namespace RegistryCredentials.Tests;

/// <summary>
/// The provider kit: <see cref="RegistryCredentialsBuilder.AddProvider{TProvider, TOptions, TValidator}"/> and
/// <see cref="RegistryCredentialProvider{TOptions}"/>, with a provider that mints numbered tokens in process.
/// </summary>
public class ProviderKitTests
{
    private const string HttpClientName = "RegistryCredentials.KitTest";

    [Test]
    public void Invalid_options_fail_on_start_and_when_the_provider_is_created_with_every_error()
    {
        var services = new ServiceCollection();
        services.AddRegistryCredentials().AddProvider<KitProvider, KitOptions, KitOptionsValidator>(o =>
        {
            o.Audience = string.Empty;
            o.Lifetime = TimeSpan.Zero;
        });
        using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

        Assert.Throws<OptionsValidationException>(provider.GetRequiredService<IStartupValidator>().Validate);
        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IRegistryCredentialResolver>());
        Assert.That(error!.Failures.ToList(), Has.Count.EqualTo(2));
        Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<KitProvider>());
    }

    [Test]
    public void Calling_it_again_registers_one_provider_and_adds_the_configuration()
    {
        var services = new ServiceCollection();
        var builder = services.AddRegistryCredentials();
        builder.AddProvider<KitProvider, KitOptions, KitOptionsValidator>(o => o.Audience = "first", HttpClientName);
        builder.AddProvider<KitProvider, KitOptions, KitOptionsValidator>(o => o.Lifetime = TimeSpan.FromMinutes(7), HttpClientName);
        using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

        var kit = provider.GetServices<RegistryCredentialProvider>().OfType<KitProvider>().Single();
        Assert.That(provider.GetRequiredService<KitProvider>(), Is.SameAs(kit));
        Assert.That(provider.GetServices<IValidateOptions<KitOptions>>().Count(), Is.EqualTo(1));
        Assert.That(kit.CurrentOptions.Audience, Is.EqualTo("first"));
        Assert.That(kit.CurrentOptions.Lifetime, Is.EqualTo(TimeSpan.FromMinutes(7)));
        Assert.That(provider.GetServices<RegistryCredentialProvider>().Select(p => p.Type), Is.EqualTo(new[] { RegistryType.DockerV2, KitProvider.KitType }));
    }

    [Test]
    public void The_provider_gets_the_host_logger_or_a_null_logger_without_logging()
    {
        using var withLogging = new TestHost(build: b => b.AddProvider<KitProvider, KitOptions, KitOptionsValidator>());
        var logged = withLogging.Services.GetRequiredService<KitProvider>();
        logged.LogSomething("kit provider says hello");
        Assert.That(withLogging.Logs.Lines, Has.Some.Contain("kit provider says hello").And.Contain("KitProvider"));

        var services = new ServiceCollection();
        services.AddRegistryCredentials().AddProvider<KitProvider, KitOptions, KitOptionsValidator>();
        using var provider = services.BuildServiceProvider();
        Assert.That(provider.GetRequiredService<KitProvider>().CurrentLogger, Is.SameAs(NullLogger<KitProvider>.Instance));
    }

    [Test]
    public async Task The_named_client_follows_no_redirect_and_keeps_no_cookie()
    {
        var cookies = new List<string>();
        await using var server = await LoopbackHttpServer.StartAsync(context =>
        {
            cookies.Add(context.Request.Headers.Cookie.ToString());
            context.Response.Headers.SetCookie = "session=abc; Path=/";
            context.Response.Headers.Location = "http://127.0.0.2:1/elsewhere";
            context.Response.StatusCode = StatusCodes.Status302Found;
            return Task.CompletedTask;
        });
        var services = new ServiceCollection();
        services.AddRegistryCredentials().AddProvider<KitProvider, KitOptions, KitOptionsValidator>(httpClientName: HttpClientName);
        using var provider = services.BuildServiceProvider();
        using var client = provider.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName);

        using var first = await client.GetAsync(server.BaseUri);
        using var second = await client.GetAsync(server.BaseUri);

        Assert.That(first.StatusCode, Is.EqualTo(System.Net.HttpStatusCode.Found), "the redirect is returned, not followed");
        Assert.That(server.Requests, Has.Count.EqualTo(2));
        Assert.That(server.Requests.Select(r => r.Path), Is.All.EqualTo("/"));
        Assert.That(cookies, Is.EqualTo(new[] { string.Empty, string.Empty }), "the cookie set by the first answer is not sent back");
    }

    [Test]
    public async Task InvalidateAsync_drops_this_providers_tokens_of_the_entry_only_and_the_manager_drops_them_all()
    {
        using var host = new TestHost(build: b => b.AddProvider<KitProvider, KitOptions, KitOptionsValidator>());
        var kit = host.Services.GetRequiredService<KitProvider>();
        var cache = host.Services.GetRequiredService<RegistryTokenCache>();
        var entry = await host.AddAsync("kit.example.com", type: KitProvider.KitType);
        await host.AddAsync("other.example.com", type: KitProvider.KitType);
        var first = (await host.Resolver.ResolveAsync("kit.example.com/app:1")).Credential!;
        await host.Resolver.ResolveAsync("other.example.com/app:1");
        var byAnotherProvider = cache.CreateKey(entry, RegistryType.Google, "x");
        await cache.GetOrCreateAsync(byAnotherProvider, _ => Task.FromResult(RegistryCredential.FromRegistryToken("g", host.Time.GetUtcNow().AddHours(1))));

        Assert.That((await host.Resolver.ResolveAsync("kit.example.com/app:1")).Credential, Is.SameAs(first), "cached");
        await kit.InvalidateAsync(entry);
        Assert.That(kit.Evicted, Is.EqualTo(new[] { (entry.Scope.Value, 1) }));
        Assert.That(cache.Count, Is.EqualTo(2), "the other entry's token and the other provider's token stay");
        Assert.That((await host.Resolver.ResolveAsync("kit.example.com/app:1")).Credential!.Secret.Reveal(), Is.EqualTo("token-3"));

        await host.Manager.DeactivateAsync(entry.Scope);
        Assert.That(cache.Count, Is.EqualTo(1), "deactivating drops every token of the entry, whichever provider made it");
        Assert.That(kit.Minted, Is.EqualTo(3));
    }

    /// <summary>A kit provider whose "upstream" is a counter: token-1, token-2, … valid for <see cref="KitOptions.Lifetime"/>.</summary>
    public sealed class KitProvider(
        IOptionsMonitor<KitOptions> options,
        ILogger<KitProvider> logger,
        TimeProvider timeProvider,
        RegistryTokenCache tokenCache,
        IRegistryHttpSender httpSender)
        : RegistryCredentialProvider<KitOptions>(options, logger, timeProvider, tokenCache, httpSender)
    {
        public static readonly RegistryType KitType = RegistryType.Parse("kittest");

        private int _minted;

        public override RegistryType Type => KitType;

        public int Minted => Volatile.Read(ref _minted);

        public List<(string Scope, int Count)> Evicted { get; } = [];

        public KitOptions CurrentOptions => Options;

        public ILogger CurrentLogger => Logger;

        public void LogSomething(string message) => Logger.Log(LogLevel.Information, default, message, null, static (m, _) => m);

        public override ValueTask<RegistryCredential> GetCredentialAsync(
            RegistryEntry entry,
            RegistrySecret secret,
            CancellationToken cancellationToken = default) =>
            TokenCache.GetOrCreateAsync(
                TokenKey(entry, Options.Audience, entry.Username, secret.Reveal()),
                _ => Task.FromResult(RegistryCredential.FromRegistryToken(
                    "token-" + Interlocked.Increment(ref _minted), TimeProvider.GetUtcNow() + Options.Lifetime)),
                cancellationToken);

        protected override void OnTokensEvicted(RegistryEntry entry, int count) => Evicted.Add((entry.Scope.Value, count));
    }

    public sealed class KitOptions
    {
        public string Audience { get; set; } = "kit";

        public TimeSpan Lifetime { get; set; } = TimeSpan.FromHours(1);
    }

    public sealed class KitOptionsValidator : IValidateOptions<KitOptions>
    {
        public ValidateOptionsResult Validate(string? name, KitOptions options)
        {
            var failures = new List<string>();
            if (string.IsNullOrEmpty(options.Audience))
            {
                failures.Add("KitOptions.Audience is required.");
            }

            if (options.Lifetime <= TimeSpan.Zero)
            {
                failures.Add("KitOptions.Lifetime must be positive.");
            }

            return failures.Count > 0 ? ValidateOptionsResult.Fail(failures) : ValidateOptionsResult.Success;
        }
    }
}
