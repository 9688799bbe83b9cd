using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RegistryCredentials.Testing;

namespace RegistryCredentials.AspNetCore.Tests.Support;

/// <summary>
/// A web application with the Registries API and page: in-memory store, test authentication (the <c>X-Test-User</c>
/// header, or a cookie set by <c>GET /test-login?user=…</c> for the browser), the <c>registries</c> policy (an
/// authenticated user) and <c>admins</c> (role <c>admin</c>), OpenAPI at <c>/openapi/v1.json</c>, captured logs.
/// </summary>
public sealed class ApiHost : IAsyncDisposable
{
    public const string Policy = "registries";
    public const string AdminPolicy = "admins";

    private ApiHost(WebApplication app, Uri baseAddress, CapturingLoggerProvider logs, IRegistryCredentialValidator? validator)
    {
        App = app;
        BaseAddress = baseAddress;
        Logs = logs;
        Validator = validator as FakeValidator;
    }

    public WebApplication App { get; }

    public Uri BaseAddress { get; }

    public CapturingLoggerProvider Logs { get; }

    public FakeValidator? Validator { get; }

    public IServiceProvider Services => App.Services;

    public IRegistryManager Manager => Services.GetRequiredService<IRegistryManager>();

    public IRegistryStore Store => Services.GetRequiredService<IRegistryStore>();

    public IRegistryCredentialResolver Resolver => Services.GetRequiredService<IRegistryCredentialResolver>();

    /// <summary>Builds the application without starting it (for the start-up check tests).</summary>
    public static WebApplication Build(ApiHostOptions options, CapturingLoggerProvider logs)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.Logging.ClearProviders().SetMinimumLevel(LogLevel.Debug).AddProvider(logs);
        if (options.Kestrel)
        {
            builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        }
        else
        {
            builder.WebHost.UseTestServer();
        }

        var services = builder.Services;
        if (options.Validator is { } validator)
        {
            services.AddSingleton(validator);
        }

        services.AddDataProtection().UseEphemeralDataProtectionProvider();
        var registry = services.AddRegistryCredentials(options.Core).AddHttpApi(options.Api);
        options.Build?.Invoke(registry);
        services.AddOpenApi();
        services.AddAuthentication("Test")
            .AddPolicyScheme("Test", "Header or cookie", o => o.ForwardDefaultSelector = context =>
                context.Request.Headers.ContainsKey(HeaderAuthenticationHandler.UserHeader)
                    ? HeaderAuthenticationHandler.SchemeName
                    : CookieAuthenticationDefaults.AuthenticationScheme)
            .AddScheme<AuthenticationSchemeOptions, HeaderAuthenticationHandler>(HeaderAuthenticationHandler.SchemeName, null)
            .AddCookie(o =>
            {
                o.Events.OnRedirectToLogin = context =>
                {
                    context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                    return Task.CompletedTask;
                };
                o.Events.OnRedirectToAccessDenied = context =>
                {
                    context.Response.StatusCode = StatusCodes.Status403Forbidden;
                    return Task.CompletedTask;
                };
            });
        services.AddAuthorizationBuilder()
            .AddPolicy(Policy, p => p.RequireAuthenticatedUser())
            .AddPolicy(AdminPolicy, p => p.RequireRole("admin"));
        options.Services?.Invoke(services);

        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapOpenApi();
        app.MapGet("/test-login", async (HttpContext context, string user) =>
        {
            var identity = new ClaimsIdentity(
                [new Claim(ClaimTypes.Name, user), new Claim(ClaimTypes.NameIdentifier, user)],
                CookieAuthenticationDefaults.AuthenticationScheme);
            await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity));
            return Results.Redirect("/registries-ui");
        });
        if (options.Map is { } map)
        {
            map(app);
        }
        else
        {
            app.MapRegistryCredentialsApi().RequireAuthorization(Policy);
            app.MapRegistryCredentialsDashboard().RequireAuthorization(Policy);
        }

        return app;
    }

    public static async Task<ApiHost> StartAsync(Action<ApiHostOptions>? configure = null)
    {
        var options = new ApiHostOptions();
        configure?.Invoke(options);
        var logs = new CapturingLoggerProvider();
        var app = Build(options, logs);
        await app.StartAsync();
        var address = options.Kestrel
            ? new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single().Replace(
                "[::1]",
                "127.0.0.1",
                StringComparison.Ordinal))
            : new Uri("http://localhost/");
        return new ApiHost(app, address, logs, options.Validator);
    }

    /// <summary>
    /// A client authenticated as <paramref name="user"/> through the header (null: anonymous). It accepts
    /// <c>application/problem+json</c>, so errors come as RFC 9457 problems; <see cref="AnchoreClient"/> gets Anchore's body.
    /// </summary>
    public HttpClient Client(string? user = "alice", string? roles = null)
    {
        var client = AnchoreClient(user, roles);
        client.DefaultRequestHeaders.Accept.ParseAdd("application/problem+json");
        return client;
    }

    /// <summary>A client as anchore-cli is (Python requests: <c>Accept: */*</c>), authenticated as <paramref name="user"/>.</summary>
    public HttpClient AnchoreClient(string? user = "alice", string? roles = null)
    {
        var client = App.GetTestServerOrNull() is { } server ? server.CreateClient() : new HttpClient { BaseAddress = BaseAddress };
        client.DefaultRequestHeaders.Accept.ParseAdd("*/*");
        if (user is not null)
        {
            client.DefaultRequestHeaders.Add(HeaderAuthenticationHandler.UserHeader, user);
        }

        if (roles is not null)
        {
            client.DefaultRequestHeaders.Add(HeaderAuthenticationHandler.RolesHeader, roles);
        }

        return client;
    }

    /// <summary>Everything the store holds (entries of every account and their protected secrets), for before/after comparisons.</summary>
    public async Task<string> SnapshotAsync()
    {
        var records = await Store.ListAsync(null);
        return string.Join(
            "\n",
            records.Select(r =>
                $"{r.Entry.Account}|{r.Entry}|{r.Entry.Name}|{r.Entry.Email}|{r.Entry.UpdatedOn:O}|{Convert.ToBase64String(r.ProtectedSecret.Span)}"));
    }

    /// <summary>The password stored for an entry, as the resolver hands it out.</summary>
    public async Task<string?> StoredPasswordAsync(string image, string account = "alice")
    {
        var resolution = await Resolver.ResolveAsync(ImageReference.Parse(image), account);
        return resolution.Credential?.Secret.Reveal();
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
