using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using RegistryCredentials.AspNetCore.Tests.Support;

namespace RegistryCredentials.AspNetCore.Tests;

/// <summary>Who may call what: authentication, accounts (tenants), the settings policy and antiforgery.</summary>
public class AccessTests
{
    [Test]
    public async Task Unauthenticated_requests_are_refused_by_the_host_policy()
    {
        await using var host = await ApiHost.StartAsync();
        using var anonymous = host.Client(user: null);
        Assert.That((await anonymous.GetAsync("/registries")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That((await anonymous.GetAsync("/registries-ui")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(
            (await anonymous.PostAsJsonAsync(
                "/registries?validate=false",
                new { registry = "a.example.com", registry_user = "u", registry_pass = "p" })).StatusCode,
            Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(await host.SnapshotAsync(), Is.Empty);
    }

    [Test]
    public async Task One_account_never_sees_or_changes_another_accounts_entries()
    {
        await using var host = await ApiHost.StartAsync();
        using var alice = host.Client("alice");
        using var bob = host.Client("bob");
        await (await alice.AddAsync("docker.io/acme/*", "alice-pw")).ExpectAsync(201);
        var before = await host.SnapshotAsync();

        Assert.That((await (await bob.GetAsync("/registries")).ExpectAsync(200)).GetArrayLength(), Is.Zero);
        await (await bob.GetAsync("/registries/docker.io%2Facme%2F%2A")).ExpectAsync(404, RegistryProblemTypes.NotFound);
        await (await bob.PutEntryAsync("docker.io/acme/*", new { registry_pass = "bob-pw" })).ExpectAsync(404, RegistryProblemTypes.NotFound);
        await (await bob.PutEntryAsync("docker.io/acme/*", new { registry_pass = "bob-pw" }, ifMatch: "\"1\"")).ExpectAsync(404, RegistryProblemTypes.NotFound);
        // Issue 14: a delete of an entry the account does not have succeeds as in Anchore, and deletes nothing of alice's.
        await (await bob.DeleteAsync("/registries/docker.io%2Facme%2F%2A")).ExpectAsync(204);
        await (await bob.PostAsync("/registries/docker.io%2Facme%2F%2A/deactivate", null)).ExpectAsync(404, RegistryProblemTypes.NotFound);
        await (await bob.PostAsync("/registries/docker.io%2Facme%2F%2A/activate", null)).ExpectAsync(404, RegistryProblemTypes.NotFound);
        var resolved = await (await bob.GetAsync("/registries/_resolve?image=acme/app")).ExpectAsync(200);
        Assert.That(resolved.GetProperty("result").GetString(), Is.EqualTo("anonymous"));
        Assert.That(await host.SnapshotAsync(), Is.EqualTo(before));

        // Bob may hold his own entry for the same scope, and each account resolves to its own.
        var bobs = (await (await bob.AddAsync("docker.io/acme/*", "bob-pw", user: "bob-ci")).ExpectAsync(201))[0];
        Assert.That(bobs.GetProperty("userId").GetString(), Is.EqualTo("bob"));
        Assert.That(await host.StoredPasswordAsync("acme/app", "alice"), Is.EqualTo("alice-pw"));
        Assert.That(await host.StoredPasswordAsync("acme/app", "bob"), Is.EqualTo("bob-pw"));
        var aliceList = await (await alice.GetAsync("/registries")).ExpectAsync(200);
        Assert.That(aliceList.EnumerateArray().Select(e => e.GetProperty("registry_user").GetString()), Is.EqualTo(new[] { "ci" }));
    }

    [Test]
    public async Task The_account_comes_from_the_hosts_function_of_the_request()
    {
        await using var host = await ApiHost.StartAsync(o => o.Api = api => api.AccountSelector = context =>
            context.Request.Headers["X-Tenant"] is { Count: 1 } tenant ? "tenant-" + tenant : null);
        using var client = host.Client("alice");
        client.DefaultRequestHeaders.Add("X-Tenant", "blue");
        var entry = (await (await client.AddAsync("docker.io/acme/*")).ExpectAsync(201))[0];
        Assert.That(entry.GetProperty("userId").GetString(), Is.EqualTo("tenant-blue"));
        Assert.That(await host.Manager.ListAsync("tenant-blue"), Has.Count.EqualTo(1));

        using var noTenant = host.Client("alice");
        await (await noTenant.GetAsync("/registries")).ExpectAsync(403, RegistryProblemTypes.AccountRequired);
    }

    [Test]
    public async Task A_user_name_that_is_not_a_valid_account_name_is_403()
    {
        await using var host = await ApiHost.StartAsync();
        using var client = host.Client("John Doe");
        var problem = await (await client.GetAsync("/registries")).ExpectAsync(403, RegistryProblemTypes.AccountRequired);
        Assert.That(problem.GetProperty("detail").GetString(), Does.Contain("AccountSelector"));
    }

    [Test]
    public async Task Anonymous_access_needs_the_explicit_option_and_then_uses_the_configured_account()
    {
        await using var host = await ApiHost.StartAsync(o =>
        {
            o.Api = api => api.AllowAnonymous = true;
            o.Core = core => core.Account = "shared";
            o.Map = app =>
            {
                app.MapRegistryCredentialsApi();
                app.MapRegistryCredentialsDashboard();
            };
        });
        using var anonymous = host.Client(user: null);
        var entry = (await (await anonymous.AddAsync("docker.io/acme/*")).ExpectAsync(201))[0];
        Assert.That(entry.GetProperty("userId").GetString(), Is.EqualTo("shared"));
        Assert.That((await anonymous.GetAsync("/registries-ui")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Writing_settings_can_require_an_extra_policy()
    {
        await using var host = await ApiHost.StartAsync(o => o.Api = api => api.SettingsPolicy = ApiHost.AdminPolicy);
        using var user = host.Client("alice");
        using var admin = host.Client("root", roles: "admin");
        var body = new { default_registry = "reg.example.com", allowed_registries = Array.Empty<string>() };

        await (await user.GetAsync("/registries/_settings")).ExpectAsync(200);
        Assert.That((await user.PutAsJsonAsync("/registries/_settings", body)).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        var settings = await (await admin.PutAsJsonAsync("/registries/_settings", body)).ExpectAsync(200);
        Assert.That(settings.GetProperty("default_registry").GetString(), Is.EqualTo("reg.example.com"));
    }

    [Test]
    public async Task Browser_requests_that_change_state_need_the_antiforgery_token()
    {
        await using var host = await ApiHost.StartAsync();
        using var api = host.Client("alice");
        await (await api.AddAsync("docker.io/acme/*")).ExpectAsync(201);

        // A request carrying a cookie, an Origin or Sec-Fetch-Site comes from a browser: no token, no change.
        foreach (var (header, value) in new[] { ("Cookie", "session=1"), ("Origin", "http://localhost"), ("Sec-Fetch-Site", "same-origin") })
        {
            using var browser = host.Client("alice");
            browser.DefaultRequestHeaders.TryAddWithoutValidation(header, value);
            await (await browser.PostAsync("/registries/docker.io%2Facme%2F%2A/deactivate", null)).ExpectAsync(400,
                RegistryProblemTypes.AntiforgeryTokenInvalid);
            await (await browser.AddAsync("quay.io/x")).ExpectAsync(400, RegistryProblemTypes.AntiforgeryTokenInvalid);
            await (await browser.PutAsJsonAsync(
                "/registries/_settings",
                new { default_registry = "x.example.com" })).ExpectAsync(400, RegistryProblemTypes.AntiforgeryTokenInvalid);
            await (await browser.GetAsync("/registries")).ExpectAsync(200);
        }

        Assert.That((await host.Manager.GetAsync("docker.io/acme/*", "alice")).IsActive, Is.True);

        // With the token from _antiforgery (and its cookie) the same call goes through.
        using var page = host.Client("alice");
        var tokenResponse = await page.GetAsync("/registries/_antiforgery");
        var token = await tokenResponse.ExpectAsync(200);
        var cookie = string.Join("; ", tokenResponse.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]));
        var headerName = token.GetProperty("header_name").GetString()!;
        using var request = new HttpRequestMessage(HttpMethod.Post, "/registries/docker.io%2Facme%2F%2A/deactivate");
        request.Headers.Add("Cookie", cookie);
        request.Headers.Add("Origin", "http://localhost");
        request.Headers.Add(headerName, token.GetProperty("request_token").GetString());
        await (await page.SendAsync(request)).ExpectAsync(200);
        Assert.That((await host.Manager.GetAsync("docker.io/acme/*", "alice")).IsActive, Is.False);

        // A token issued to another user does not work for this one.
        using var mallory = host.Client("mallory");
        using var forged = new HttpRequestMessage(HttpMethod.Post, "/registries/docker.io%2Facme%2F%2A/activate");
        forged.Headers.Add("Cookie", cookie);
        forged.Headers.Add(headerName, token.GetProperty("request_token").GetString());
        await (await mallory.SendAsync(forged)).ExpectAsync(400, RegistryProblemTypes.AntiforgeryTokenInvalid);
    }

    [Test]
    public async Task The_antiforgery_decision_is_the_hosts_to_change()
    {
        await using var host = await ApiHost.StartAsync(o => o.Api = api => api.AntiforgeryRequired = _ => true);
        using var script = host.Client("alice");
        await (await script.AddAsync("docker.io/acme/*")).ExpectAsync(400, RegistryProblemTypes.AntiforgeryTokenInvalid);
    }

    [Test]
    public void The_default_account_and_browser_rules()
    {
        var context = new DefaultHttpContext();
        Assert.That(RegistryCredentialsApiOptions.AuthenticatedUserName(context), Is.Null);
        Assert.That(RegistryCredentialsApiOptions.IsBrowserRequest(context), Is.False);
        context.User = new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity(
            [new System.Security.Claims.Claim(System.Security.Claims.ClaimTypes.Name, "carol")], "test"));
        context.Request.Headers["Sec-Fetch-Site"] = "same-origin";
        Assert.That(RegistryCredentialsApiOptions.AuthenticatedUserName(context), Is.EqualTo("carol"));
        Assert.That(RegistryCredentialsApiOptions.IsBrowserRequest(context), Is.True);
    }

    [Test]
    public async Task Responses_are_never_cached_and_never_sniffed()
    {
        await using var host = await ApiHost.StartAsync();
        using var client = host.Client("alice");
        foreach (var path in new[] { "/registries", "/registries/_settings", "/registries/_resolve?image=nginx", "/registries/nope.example.com" })
        {
            var response = await client.GetAsync(path);
            Assert.That(response.Headers.CacheControl?.NoStore, Is.True, path);
            Assert.That(response.Headers.GetValues("X-Content-Type-Options"), Is.EqualTo(new[] { "nosniff" }), path);
        }

        var json = await (await client.GetAsync("/registries")).Content.ReadAsStringAsync();
        Assert.That(JsonDocument.Parse(json).RootElement.ValueKind, Is.EqualTo(JsonValueKind.Array));
    }
}
