using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using RegistryCredentials.AspNetCore.Tests.Support;

namespace RegistryCredentials.AspNetCore.Tests;

/// <summary>
/// <c>{prefix}/_settings</c> is the account's policy in the store (issue 14, section 5): writes are JSON merge patches
/// (PATCH, and PUT with the same meaning), an omitted allow-list is kept and only an explicit empty list (or null) clears it,
/// Rancher's <c>{id, value}</c> shape and unknown members are refused with nothing changed, and another account's or the
/// global policy needs the host's admin policy.
/// </summary>
[TestFixture]
public sealed class PolicyApiTests
{
    private const string Settings = "/registries/_settings";
    private static readonly string[] AllowedA = ["a.example.com"];

    private static Task<HttpResponseMessage> PatchAsync(
        HttpClient client, string json, string path = Settings, string mediaType = "application/merge-patch+json") =>
        client.PatchAsync(path, new StringContent(json, Encoding.UTF8, mediaType));

    private static Task<HttpResponseMessage> PutAsync(HttpClient client, string json, string path = Settings) =>
        client.PutAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));

    private static string[] Allowed(JsonElement settings) =>
        [.. settings.GetProperty("allowed_registries").EnumerateArray().Select(e => e.GetString()!)];

    /// <summary>Every stored policy, as text: what "nothing stored changed" compares.</summary>
    private static async Task<string> PoliciesAsync(ApiHost host)
    {
        var store = (IRegistryPolicyStore)host.Store;
        var all = await store.ListPoliciesAsync();
        return string.Join('\n', all.Select(p => $"{p.Account}|{p.Version}|{p.DefaultRegistry}|{string.Join(',', p.AllowedRegistries)}"));
    }

    private static async Task<HttpResponseMessage> WriteAsync(HttpClient client, HttpMethod method, string json, string? ifMatch)
    {
        using var request = new HttpRequestMessage(method, Settings) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        return await client.SendAsync(request);
    }

    private static string? ETag(HttpResponseMessage response) => response.Headers.ETag?.Tag;

    [TestCase("PATCH")]
    [TestCase("PUT")]
    public async Task If_match_makes_a_write_conditional_on_the_accounts_own_stored_version(string verb)
    {
        // The ETag is the version of the account's own stored policy ("0" while a global or configured one is in force);
        // a write with If-Match applies only at that version: 412 with nothing changed otherwise, as an entry's PUT.
        await using var host = await ApiHost.StartAsync(o => o.Api = api => api.PolicyAdministration = (_, _) => true);
        using var alice = host.Client("alice");
        var method = new HttpMethod(verb);
        await (await PatchAsync(alice, """{"default_registry": "global.example.com"}""", Settings + "?account=*")).ExpectAsync(200);

        var read = await alice.GetAsync(Settings);
        await read.ExpectAsync(200);
        Assert.That(ETag(read), Is.EqualTo("\"0\""), "alice has none of her own; the global one is in force");

        var first = await WriteAsync(alice, method, """{"default_registry": "one.example.com"}""", "\"0\"");
        await first.ExpectAsync(200);
        Assert.That(ETag(first), Is.EqualTo("\"1\""));

        var before = await PoliciesAsync(host);
        foreach (var stale in new[] { "\"0\"", "\"2\"", "W/\"1\"", "\"one\"" })
        {
            var refused = await WriteAsync(alice, method, """{"default_registry": "lost.example.com"}""", stale);
            var problem = await refused.ExpectAsync(412, RegistryProblemTypes.PreconditionFailed);
            Assert.That(problem.GetProperty("detail").GetString(), Does.Contain("at version 1"), stale);
        }

        Assert.That(await PoliciesAsync(host), Is.EqualTo(before), "nothing stored changed");

        var second = await WriteAsync(alice, method, """{"allowed_registries": ["a.example.com"]}""", "\"7\", \"1\"");
        var written = await second.ExpectAsync(200);
        Assert.That(ETag(second), Is.EqualTo("\"2\""));
        Assert.That(written.GetProperty("default_registry").GetString(), Is.EqualTo("one.example.com"));

        var any = await WriteAsync(alice, method, """{"default_registry": "any.example.com"}""", "*");
        await any.ExpectAsync(200);
        Assert.That(ETag(any), Is.EqualTo("\"3\""), "* names whatever is in force");
        var unconditional = await WriteAsync(alice, method, """{"default_registry": "free.example.com"}""", null);
        await unconditional.ExpectAsync(200);
        Assert.That(ETag(unconditional), Is.EqualTo("\"4\""));
    }

    [Test]
    public async Task A_patch_changes_only_the_members_it_sends()
    {
        await using var host = await ApiHost.StartAsync(o => o.Core = c => c.AllowedRegistries.Add("configured.example.com"));
        using var alice = host.Client("alice");

        var first = await (await PatchAsync(alice, """{"default_registry": "reg.example.com"}""")).ExpectAsync(200);
        Assert.That(first.GetProperty("default_registry").GetString(), Is.EqualTo("reg.example.com"));
        Assert.That(Allowed(first), Is.EqualTo(new[] { "configured.example.com" }), "started from configuration, the list kept");

        var second = await (await PatchAsync(alice, """{"allowed_registries": ["a.example.com"]}""")).ExpectAsync(200);
        Assert.That(second.GetProperty("default_registry").GetString(), Is.EqualTo("reg.example.com"), "an omitted default is kept");
        Assert.That(Allowed(second), Is.EqualTo(AllowedA));

        var empty = await (await PatchAsync(alice, "{}")).ExpectAsync(200);
        Assert.That(Allowed(empty), Is.EqualTo(AllowedA));

        var cleared = await (await PatchAsync(alice, """{"allowed_registries": []}""", mediaType: "application/json")).ExpectAsync(200);
        Assert.That(Allowed(cleared), Is.Empty, "an explicit empty list clears");
        Assert.That(cleared.GetProperty("default_registry").GetString(), Is.EqualTo("reg.example.com"));

        var read = await (await alice.GetAsync(Settings)).ExpectAsync(200);
        Assert.That(read.GetRawText(), Is.EqualTo(cleared.GetRawText()));
    }

    [Test]
    public async Task A_put_without_allowed_registries_keeps_the_list()
    {
        await using var host = await ApiHost.StartAsync();
        using var alice = host.Client("alice");
        await (await PatchAsync(alice, """{"allowed_registries": ["a.example.com"]}""")).ExpectAsync(200);

        var put = await (await PutAsync(alice, """{"default_registry": "x.example.com"}""")).ExpectAsync(200);

        Assert.That(Allowed(put), Is.EqualTo(AllowedA), "PUT changes only the members sent, as PATCH");
        Assert.That(put.GetProperty("default_registry").GetString(), Is.EqualTo("x.example.com"));
    }

    [Test]
    public async Task Null_in_a_merge_patch_removes_the_member()
    {
        await using var host = await ApiHost.StartAsync();
        using var alice = host.Client("alice");
        await (await PatchAsync(alice, """{"default_registry": "x.example.com", "allowed_registries": ["a.example.com"]}""")).ExpectAsync(200);

        var noDefault = await (await PatchAsync(alice, """{"default_registry": null}""")).ExpectAsync(200);
        Assert.That(noDefault.GetProperty("default_registry").ValueKind, Is.EqualTo(JsonValueKind.Null), "back to Docker Hub");
        Assert.That(Allowed(noDefault), Is.EqualTo(AllowedA));

        var noList = await (await PatchAsync(alice, """{"allowed_registries": null}""")).ExpectAsync(200);
        Assert.That(Allowed(noList), Is.Empty);
    }

    [TestCase("""{"id": "registry.whitelist", "value": "a.example.com"}""", "Rancher")]
    [TestCase("""{"allowedRegistries": []}""", "allowedRegistries")]
    [TestCase("""{"allowed_registries": [], "extra": 1}""", "extra")]
    [TestCase("""[{"allowed_registries": []}]""", "JSON object")]
    [TestCase("null", "not an object")]
    public async Task Unknown_shapes_are_refused_and_change_nothing(string body, string named)
    {
        await using var host = await ApiHost.StartAsync();
        using var alice = host.Client("alice");
        await (await PatchAsync(alice, """{"default_registry": "x.example.com", "allowed_registries": ["a.example.com"]}""")).ExpectAsync(200);
        var before = await PoliciesAsync(host);

        foreach (var response in new[] { await PutAsync(alice, body), await PatchAsync(alice, body) })
        {
            var problem = await response.ExpectAsync(400, RegistryProblemTypes.InvalidBody);
            Assert.That(problem.GetProperty("detail").GetString(), Does.Contain(named));
        }

        Assert.That(await PoliciesAsync(host), Is.EqualTo(before), "nothing stored changed");
    }

    [TestCase("""{"default_registry": 5}""", "default_registry")]
    [TestCase("""{"allowed_registries": "a.example.com"}""", "allowed_registries")]
    [TestCase("""{"allowed_registries": ["a.example.com", 7]}""", "allowed_registries")]
    [TestCase("""{"default_registry": "*.example.com"}""", "default_registry")]
    [TestCase("""{"default_registry": "reg.example.com/team"}""", "default_registry")]
    [TestCase("""{"allowed_registries": ["ok.example.com", "https://bad.example.com/"]}""", "allowed_registries")]
    [TestCase("""{"default_registry": "fine.example.com", "allowed_registries": ["bad..example.com"]}""", "allowed_registries")]
    public async Task Bad_values_are_typed_errors_naming_the_member_and_change_nothing(string body, string field)
    {
        await using var host = await ApiHost.StartAsync();
        using var alice = host.Client("alice");
        await (await PatchAsync(alice, """{"default_registry": "x.example.com", "allowed_registries": ["a.example.com"]}""")).ExpectAsync(200);
        var before = await PoliciesAsync(host);

        var response = await PatchAsync(alice, body);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        var problem = await response.JsonAsync();
        Assert.That(problem.GetProperty("field").GetString(), Is.EqualTo(field), problem.GetRawText());
        Assert.That(await PoliciesAsync(host), Is.EqualTo(before), "nothing stored changed");
    }

    [Test]
    public async Task A_body_that_is_not_json_is_refused()
    {
        await using var host = await ApiHost.StartAsync();
        using var alice = host.Client("alice");
        await (await PatchAsync(alice, "default_registry=x", mediaType: "text/plain")).ExpectAsync(415, RegistryProblemTypes.UnsupportedMediaType);
        await (await PatchAsync(alice, "{not json")).ExpectAsync(400, RegistryProblemTypes.InvalidBody);
        Assert.That(await PoliciesAsync(host), Is.Empty);
    }

    [Test]
    public async Task The_policy_written_through_the_api_is_the_one_in_the_store_and_the_resolver_uses_at_once()
    {
        await using var host = await ApiHost.StartAsync();
        using var alice = host.Client("alice");
        await (await PatchAsync(alice, """{"default_registry": "reg.example.com", "allowed_registries": ["reg.example.com"]}""")).ExpectAsync(200);

        var stored = await ((IRegistryPolicyStore)host.Store).GetPolicyAsync("alice");
        Assert.That(stored!.DefaultRegistry, Is.EqualTo("reg.example.com"));
        var viaManager = await host.Services.GetRequiredService<IRegistryPolicyManager>().GetPolicyAsync("alice");
        Assert.That(viaManager.Version, Is.EqualTo(stored.Version));

        var denied = await (await alice.GetAsync("/registries/_resolve?image=other.example.com/app")).ExpectAsync(200);
        Assert.That(denied.GetRawText(), Does.Contain("registry_not_allowed"));
        var implicitImage = await host.Resolver.ResolveAsync(ImageReference.Parse("ubuntu"), "alice");
        Assert.That(implicitImage.Registry, Is.EqualTo("reg.example.com"));

        // Another account is untouched: its policy still comes from configuration.
        var forBob = await host.Resolver.ResolveAsync(ImageReference.Parse("other.example.com/app"), "bob");
        Assert.That(forBob.Kind, Is.EqualTo(RegistryResolutionKind.Anonymous));
    }

    [Test]
    public async Task By_default_an_account_changes_only_its_own_policy()
    {
        await using var host = await ApiHost.StartAsync();
        using var alice = host.Client("alice");
        using var bob = host.Client("bob");
        await (await PatchAsync(bob, """{"allowed_registries": ["b.example.com"]}""")).ExpectAsync(200);
        var before = await PoliciesAsync(host);

        await (await PatchAsync(alice, """{"allowed_registries": []}""", Settings + "?account=bob")).ExpectAsync(403, RegistryProblemTypes.NotAllowed);
        await (await PatchAsync(alice, """{"allowed_registries": []}""", Settings + "?account=*")).ExpectAsync(403, RegistryProblemTypes.NotAllowed);
        await (await PutAsync(alice, """{"allowed_registries": []}""", Settings + "?account=bob")).ExpectAsync(403, RegistryProblemTypes.NotAllowed);
        await (await alice.GetAsync(Settings + "?account=bob")).ExpectAsync(403, RegistryProblemTypes.NotAllowed);
        Assert.That(await PoliciesAsync(host), Is.EqualTo(before), "nothing stored changed");

        await (await alice.GetAsync(Settings + "?account=*")).ExpectAsync(200); // the global policy may be read
        await (await alice.GetAsync(Settings + "?account=alice")).ExpectAsync(200);
        await (await alice.GetAsync(Settings + "?account=no%20such")).ExpectAsync(400, RegistryProblemTypes.InvalidField);
    }

    [Test]
    public async Task The_hosts_admin_policy_lets_an_administrator_change_another_account_and_the_global_policy()
    {
        await using var host = await ApiHost.StartAsync(o => o.Api = api => api.PolicyAdministration = (context, _) => context.User.IsInRole("admin"));
        using var admin = host.Client("root", roles: "admin");
        using var alice = host.Client("alice");
        using var bob = host.Client("bob");

        await (await PatchAsync(admin, """{"default_registry": "global.example.com"}""", Settings + "?account=*")).ExpectAsync(200);
        await (await PatchAsync(admin, """{"allowed_registries": ["b.example.com"]}""", Settings + "?account=bob")).ExpectAsync(200);
        await (await PatchAsync(alice, """{"allowed_registries": []}""", Settings + "?account=bob")).ExpectAsync(403, RegistryProblemTypes.NotAllowed);

        var forBob = await (await bob.GetAsync(Settings)).ExpectAsync(200);
        Assert.That(forBob.GetProperty("default_registry").GetString(), Is.EqualTo("global.example.com"), "started from the global policy in force");
        Assert.That(Allowed(forBob), Is.EqualTo(new[] { "b.example.com" }));
        var forAlice = await (await alice.GetAsync(Settings)).ExpectAsync(200);
        Assert.That(forAlice.GetProperty("default_registry").GetString(), Is.EqualTo("global.example.com"), "no own policy: the global one");
        Assert.That((await host.Resolver.ResolveAsync(ImageReference.Parse("nginx"), "alice")).Registry, Is.EqualTo("global.example.com"));
    }
}
