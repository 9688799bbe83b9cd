using System.Net.Http.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using RegistryCredentials.AspNetCore.Tests.Support;
using RegistryCredentials.Testing;

namespace RegistryCredentials.AspNetCore.Tests;

/// <summary>Secure by default: endpoints without an authorization policy are refused when the host starts.</summary>
public class StartupCheckTests
{
    // The start-up check throws the one failure model's Misconfigured error (issue 13; it was InvalidOperationException).
    private static async Task<RegistryCredentialsException?> StartAsync(Action<ApiHostOptions> configure)
    {
        var options = new ApiHostOptions();
        configure(options);
        await using var app = ApiHost.Build(options, new CapturingLoggerProvider());
        try
        {
            await app.StartAsync();
            using var client = app.GetTestServer().CreateClient();
            await app.StopAsync();
            return null;
        }
        catch (RegistryCredentialsException e) when (e.Reason == RegistryErrorReason.Misconfigured)
        {
            return e;
        }
    }

    [Test]
    public async Task Api_mapped_without_authorization_is_refused_at_start_up()
    {
        var error = await StartAsync(o => o.Map = app => app.MapRegistryCredentialsApi());
        Assert.That(error, Is.Not.Null);
        Assert.That(
            error!.Message,
            Does.Contain("without authorization").And.Contain("/registries").And.Contain("RequireAuthorization").And.Contain("AllowAnonymous = true"));
    }

    [Test]
    public async Task Page_mapped_without_authorization_is_refused_even_when_the_api_has_it()
    {
        var error = await StartAsync(o => o.Map = app =>
        {
            app.MapRegistryCredentialsApi().RequireAuthorization(ApiHost.Policy);
            app.MapRegistryCredentialsDashboard();
        });
        Assert.That(error?.Message, Does.Contain("/registries-ui"));
        Assert.That(error?.Message, Does.Not.Contain("HTTP: GET /registries/{registry}"));
    }

    [Test]
    public async Task AllowAnonymous_on_the_group_is_refused_without_the_explicit_option()
    {
        var error = await StartAsync(o => o.Map = app => app.MapRegistryCredentialsApi().RequireAuthorization(ApiHost.Policy).AllowAnonymous());
        Assert.That(error, Is.Not.Null);
    }

    [Test]
    public async Task The_explicit_option_allows_anonymous_access()
    {
        var error = await StartAsync(o =>
        {
            o.Api = api => api.AllowAnonymous = true;
            o.Map = app =>
            {
                app.MapRegistryCredentialsApi().AllowAnonymous();
                app.MapRegistryCredentialsDashboard();
            };
        });
        Assert.That(error, Is.Null);
    }

    [Test]
    public async Task A_policy_on_an_outer_group_an_authorize_attribute_or_a_fallback_policy_counts()
    {
        Assert.That(await StartAsync(o => o.Map = app =>
        {
            var admin = app.MapGroup("/admin").RequireAuthorization(ApiHost.Policy);
            admin.MapRegistryCredentialsApi();
            admin.MapRegistryCredentialsDashboard();
        }), Is.Null);

        Assert.That(await StartAsync(o => o.Map = app =>
        {
            app.MapRegistryCredentialsApi().WithMetadata(new AuthorizeAttribute(ApiHost.Policy));
            app.MapRegistryCredentialsDashboard().RequireAuthorization(p => p.RequireAuthenticatedUser());
        }), Is.Null);

        Assert.That(await StartAsync(o =>
        {
            o.Services = services => services.Configure<AuthorizationOptions>(a => a.FallbackPolicy = a.GetPolicy(ApiHost.Policy));
            o.Map = app =>
            {
                app.MapRegistryCredentialsApi();
                app.MapRegistryCredentialsDashboard();
            };
        }), Is.Null);
    }

    [Test]
    public async Task A_page_without_an_api_is_refused()
    {
        var error = await StartAsync(o => o.Map = app => app.MapRegistryCredentialsDashboard().RequireAuthorization(ApiHost.Policy));
        Assert.That(error?.Message, Does.Contain("MapRegistryCredentialsApi"));
    }

    [Test]
    public void Mapping_without_AddHttpApi_says_what_is_missing()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Services.AddRegistryCredentials();
        using var app = builder.Build();
        var error = Assert.Throws<RegistryCredentialsException>(() => app.MapRegistryCredentialsApi());
        Assert.That(error!.Message, Does.Contain("AddHttpApi"));
        Assert.That(error.Reason, Is.EqualTo(RegistryErrorReason.Misconfigured));
    }

    [Test]
    public async Task The_api_under_a_group_serves_the_page_with_the_right_api_path()
    {
        await using var host = await ApiHost.StartAsync(o => o.Map = app =>
        {
            var admin = app.MapGroup("/admin").RequireAuthorization(ApiHost.Policy);
            admin.MapRegistryCredentialsApi("/creds");
            admin.MapRegistryCredentialsDashboard("/creds-ui");
        });
        using var client = host.Client("alice");
        var html = await client.GetStringAsync("/admin/creds-ui");
        Assert.That(html, Does.Contain("data-api=\"/admin/creds\"").And.Contain("src=\"/admin/creds-ui/app.js\""));
        var created = await client.PostAsJsonAsync("/admin/creds?validate=false", new { registry = "docker.io/acme/*", registry_user = "ci",
            registry_pass = "pw" });
        await created.ExpectAsync(201);
        Assert.That(created.Headers.Location?.OriginalString, Is.EqualTo("/admin/creds/docker.io%2Facme%2F%2A"));
        Assert.That((await client.GetAsync("/admin/creds/docker.io%2Facme%2F%2A")).StatusCode, Is.EqualTo(System.Net.HttpStatusCode.OK));
    }
}
