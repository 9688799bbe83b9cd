using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using RegistryCredentials.AspNetCore.Tests.Support;
using RegistryCredentials.Tests.Support;

namespace RegistryCredentials.AspNetCore.Tests;

/// <summary>
/// Issue 14, section 3: the Registries API as Anchore's clients use it — raw slashes in <c>{registry}</c>,
/// <c>x-anchore-account</c>, Anchore's error body, idempotent DELETE, <c>?replace=true</c>, one entry shape.
/// </summary>
public class AnchoreCompatibilityTests
{
    private const string Scope = "registry.example.com:5000/team/app";

    [Test]
    public async Task A_scope_with_raw_slashes_names_the_same_entry_as_the_encoded_one_on_a_real_server()
    {
        // Anchore's API definition declares {registry} with "format: path" (anchore-engine,
        // anchore_engine/services/apiext/swagger/swagger.yaml, /registries/{registry}).
        await using var host = await ApiHost.StartAsync(o => o.Kestrel = true);
        using var client = host.Client();
        await (await client.AddAsync(Scope)).ExpectAsync(201);

        var raw = "/registries/" + Scope;
        Assert.That((await (await client.GetAsync(raw)).ExpectAsync(200))[0].GetProperty("registry").GetString(), Is.EqualTo(Scope));
        var encoded = await (await client.GetAsync("/registries/" + Http.Encode(Scope))).ExpectAsync(200);
        Assert.That(encoded[0].GetProperty("registry").GetString(), Is.EqualTo(Scope));
        var updated = await (await client.PutAsJsonAsync(raw + "?validate=false", new { registry_user = "ci-2" })).ExpectAsync(200);
        Assert.That(updated[0].GetProperty("registry_user").GetString(), Is.EqualTo("ci-2"));
        var deactivated = await (await client.PostAsync(raw + "/deactivate", null)).ExpectAsync(200);
        Assert.That(deactivated[0].GetProperty("active").GetBoolean(), Is.False);
        var activated = await (await client.PostAsync(raw + "/activate", null)).ExpectAsync(200);
        Assert.That(activated[0].GetProperty("active").GetBoolean(), Is.True);

        await (await client.DeleteAsync(raw)).ExpectAsync(204);
        Assert.That(await host.Store.ListAsync(null), Is.Empty);

        // A subtree scope, as anchorectl's documentation writes it (docker.io/anchore/*): '*' travels raw in a path.
        var subtree = (await (await client.AddAsync("quay.io/anchore/*")).ExpectAsync(201))[0].GetProperty("registry").GetString();
        var got = await (await client.GetAsync("/registries/quay.io/anchore/*")).ExpectAsync(200);
        Assert.That(got[0].GetProperty("registry").GetString(), Is.EqualTo(subtree));
        await (await client.DeleteAsync("/registries/quay.io/anchore/*")).ExpectAsync(204);
        Assert.That(await host.Store.ListAsync(null), Is.Empty);
    }

    [Test]
    public async Task A_double_encoded_slash_is_not_a_slash_and_changes_nothing()
    {
        // On a real server (Kestrel): the in-memory test server gives no raw request target, and its decoded path cannot
        // tell %252F from %2F.
        await using var host = await ApiHost.StartAsync(o => o.Kestrel = true);
        using var client = host.Client();
        await (await client.AddAsync(Scope)).ExpectAsync(201);
        var before = await host.SnapshotAsync();
        var doubleEncoded = "/registries/" + Http.Encode(Scope).Replace("%2F", "%252F", StringComparison.Ordinal);

        await (await client.GetAsync(doubleEncoded)).ExpectAsync(400, RegistryProblemTypes.InvalidScope);
        await (await client.DeleteAsync(doubleEncoded)).ExpectAsync(400, RegistryProblemTypes.InvalidScope);
        await (await client.PutAsJsonAsync(doubleEncoded + "?validate=false", new { registry_user = "x" })).ExpectAsync(400, RegistryProblemTypes.InvalidScope);

        Assert.That(await host.SnapshotAsync(), Is.EqualTo(before));
    }

    [Test]
    public async Task X_anchore_account_naming_another_account_is_refused_with_403_by_default_and_changes_nothing()
    {
        await using var host = await ApiHost.StartAsync();
        using var bob = host.Client("bob");
        await (await bob.AddAsync("quay.io/bob")).ExpectAsync(201);
        var before = await host.SnapshotAsync();
        using var alice = host.Client("alice");
        alice.DefaultRequestHeaders.Add("x-anchore-account", "bob");

        var list = await (await alice.GetAsync("/registries")).ExpectAsync(403, RegistryProblemTypes.AccountForbidden);
        Assert.That(list.GetProperty("account").GetString(), Is.EqualTo("bob"));
        await (await alice.AddAsync("quay.io/alice")).ExpectAsync(403, RegistryProblemTypes.AccountForbidden);
        await (await alice.DeleteEntryAsync("quay.io/bob")).ExpectAsync(403, RegistryProblemTypes.AccountForbidden);

        Assert.That(await host.SnapshotAsync(), Is.EqualTo(before));
        Assert.That(host.Logs.Lines, Has.Some.Contains("may not act as account bob"));
    }

    [Test]
    public async Task X_anchore_account_naming_the_callers_own_account_needs_no_policy()
    {
        await using var host = await ApiHost.StartAsync();
        using var alice = host.Client("alice");
        alice.DefaultRequestHeaders.Add("x-anchore-account", "alice");
        await (await alice.AddAsync("quay.io/alice")).ExpectAsync(201);
        Assert.That((await (await alice.GetAsync("/registries")).ExpectAsync(200)).GetArrayLength(), Is.EqualTo(1));
    }

    [TestCase("alice, bob")]
    [TestCase("not an account")]
    public async Task X_anchore_account_with_an_invalid_name_is_a_400(string value)
    {
        await using var host = await ApiHost.StartAsync(o => o.Api = a => a.ActAsAccountPolicy = ApiHost.AdminPolicy);
        using var admin = host.Client("root", roles: "admin");
        admin.DefaultRequestHeaders.TryAddWithoutValidation("x-anchore-account", value);
        var problem = await (await admin.AddAsync("quay.io/x")).ExpectAsync(400, RegistryProblemTypes.InvalidField);
        Assert.That(problem.GetProperty("field").GetString(), Is.EqualTo("x-anchore-account"));
        Assert.That(await host.Store.ListAsync(null), Is.Empty);
    }

    [Test]
    public async Task X_anchore_account_acts_as_that_account_when_the_hosts_policy_allows_the_caller()
    {
        await using var host = await ApiHost.StartAsync(o => o.Api = a => a.ActAsAccountPolicy = ApiHost.AdminPolicy);
        using var admin = host.Client("root", roles: "admin");
        admin.DefaultRequestHeaders.Add("x-anchore-account", "bob");
        var added = await (await admin.AddAsync("quay.io/bob")).ExpectAsync(201);
        Assert.That(added[0].GetProperty("userId").GetString(), Is.EqualTo("bob"));
        Assert.That((await host.Manager.GetAsync(RegistryScope.Parse("quay.io/bob"), "bob")).Account, Is.EqualTo("bob"));
        Assert.That(await host.Manager.ListAsync("root"), Is.Empty);

        // A caller the policy refuses gets 403, never its own account's data.
        using var alice = host.Client("alice");
        alice.DefaultRequestHeaders.Add("x-anchore-account", "bob");
        await (await alice.GetAsync("/registries")).ExpectAsync(403, RegistryProblemTypes.AccountForbidden);
        Assert.That(host.Logs.Lines, Has.Some.Contains("root acts as account bob"));
    }

    [Test]
    public async Task Errors_are_Anchores_ApiErrorResponse_unless_the_client_accepts_problem_json()
    {
        await using var host = await ApiHost.StartAsync();
        using var anchore = host.AnchoreClient();
        await (await anchore.AddAsync(Scope)).ExpectAsync(201);
        var before = await host.SnapshotAsync();

        var response = await anchore.AddAsync(Scope, password: "other");
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
        var error = await response.ExpectAsync(409);
        Assert.Multiple(() =>
        {
            // Anchore Engine's body (anchore_engine/common/helpers.py, make_response_error) and its API definition's ApiErrorResponse.
            Assert.That(error.GetProperty("message").GetString(), Does.Contain(Scope));
            Assert.That(error.GetProperty("httpcode").GetInt32(), Is.EqualTo(409));
            Assert.That(error.GetProperty("code").GetInt32(), Is.EqualTo(409));
            Assert.That(error.GetProperty("error_type").GetString(), Is.EqualTo(RegistryProblemTypes.Conflict));
            Assert.That(error.GetProperty("detail").ValueKind, Is.EqualTo(JsonValueKind.Object));
            Assert.That(error.GetProperty("detail").GetProperty("error_codes")[0].GetString(), Is.EqualTo("Conflict"));
            Assert.That(error.GetProperty("detail").GetProperty("registry").GetString(), Is.EqualTo(Scope));
        });

        using var problemClient = host.Client();
        await (await problemClient.AddAsync(Scope, password: "other")).ExpectAsync(409, RegistryProblemTypes.Conflict);

        // The failures the filter answers itself take the same shape.
        using var stranger = host.AnchoreClient("alice");
        stranger.DefaultRequestHeaders.Add("x-anchore-account", "bob");
        var forbidden = await (await stranger.GetAsync("/registries")).ExpectAsync(403);
        Assert.That(forbidden.GetProperty("detail").GetProperty("error_codes")[0].GetString(), Is.EqualTo("account-forbidden"));
        Assert.That(await host.SnapshotAsync(), Is.EqualTo(before));
    }

    [Test]
    public async Task Delete_of_a_missing_entry_succeeds_and_can_be_repeated()
    {
        await using var host = await ApiHost.StartAsync();
        using var client = host.Client();
        await (await client.AddAsync("quay.io/keep")).ExpectAsync(201);
        var before = await host.SnapshotAsync();

        await (await client.DeleteEntryAsync("quay.io/never-added")).ExpectAsync(204);
        await (await client.DeleteEntryAsync("quay.io/never-added")).ExpectAsync(204);
        Assert.That(await host.SnapshotAsync(), Is.EqualTo(before));

        await (await client.AddAsync(Scope)).ExpectAsync(201);
        await (await client.DeleteEntryAsync(Scope)).ExpectAsync(204);
        await (await client.DeleteEntryAsync(Scope)).ExpectAsync(204);
        Assert.That(await host.SnapshotAsync(), Is.EqualTo(before));
    }

    [TestCase("\"1\"")]
    [TestCase("*")]
    public async Task Delete_with_If_Match_is_still_checked_a_missing_entry_is_404(string ifMatch)
    {
        await using var host = await ApiHost.StartAsync();
        using var client = host.Client();
        await (await client.AddAsync("quay.io/keep")).ExpectAsync(201);
        var before = await host.SnapshotAsync();

        await (await client.DeleteEntryAsync("quay.io/never-added", ifMatch)).ExpectAsync(404, RegistryProblemTypes.NotFound);
        await (await client.DeleteEntryAsync("quay.io/keep", "\"7\"")).ExpectAsync(412, RegistryProblemTypes.PreconditionFailed);
        Assert.That(await host.SnapshotAsync(), Is.EqualTo(before));
    }

    [Test]
    public async Task Post_with_replace_replaces_the_entry_for_the_same_scope_keeping_created_at()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));
        await using var host = await ApiHost.StartAsync(o => o.Services = s => s.AddSingleton<TimeProvider>(time));
        using var client = host.Client();
        var first = (await (await client.AddAsync(Scope, password: "old-pw", user: "old")).ExpectAsync(201))[0];

        // Without replace: a conflict, and nothing changes.
        var before = await host.SnapshotAsync();
        await (await client.AddAsync(Scope, password: "new-pw", user: "new")).ExpectAsync(409, RegistryProblemTypes.Conflict);
        Assert.That(await host.SnapshotAsync(), Is.EqualTo(before));
        var body = new { registry = Scope, registry_user = "new", registry_pass = "new-pw" };
        await (await client.PostAsJsonAsync("/registries?validate=false&replace=maybe", body)).ExpectAsync(400, RegistryProblemTypes.InvalidField);
        Assert.That(await host.SnapshotAsync(), Is.EqualTo(before));

        time.Advance(TimeSpan.FromMinutes(5));
        var replaced = await client.PostAsJsonAsync("/registries?validate=false&replace=true", body);
        var entry = (await replaced.ExpectAsync(200))[0];
        Assert.Multiple(async () =>
        {
            Assert.That(entry.GetProperty("registry_user").GetString(), Is.EqualTo("new"));
            Assert.That(entry.GetProperty("created_at").GetString(), Is.EqualTo(first.GetProperty("created_at").GetString()));
            Assert.That(entry.GetProperty("last_updated").GetString(), Is.EqualTo("2026-01-02T03:09:05Z"));
            Assert.That(await host.StoredPasswordAsync(Scope + ":1"), Is.EqualTo("new-pw"));
            Assert.That(await host.Store.ListAsync(null), Has.Count.EqualTo(1));
        });

        // replace=true on a new scope is a plain add.
        var fresh = new { registry = "quay.io/new", registry_user = "u", registry_pass = "p" };
        await (await client.PostAsJsonAsync("/registries?validate=false&replace=true", fresh)).ExpectAsync(201);
    }

    [Test]
    public async Task Every_entry_response_has_the_one_entry_shape_with_whole_second_utc_timestamps()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 5, 6, 7, 8, 9, 987, TimeSpan.Zero));
        await using var host = await ApiHost.StartAsync(o => o.Services = s => s.AddSingleton<TimeProvider>(time));
        using var client = host.Client();
        var added = (await (await client.AddAsync(Scope)).ExpectAsync(201))[0];
        var listed = (await (await client.GetAsync("/registries")).ExpectAsync(200))[0];
        var got = (await (await client.GetAsync("/registries/" + Http.Encode(Scope))).ExpectAsync(200))[0];
        var resolution = await (await client.GetAsync("/registries/_resolve?image=" + Uri.EscapeDataString(Scope + ":1"))).ExpectAsync(200);
        var resolved = resolution.GetProperty("entry");
        foreach (var entry in new[] { added, listed, got, resolved })
        {
            Assert.That(entry.EnumerateObject().Select(p => p.Name), Is.EqualTo(RegistryEntryJsonShape.Members));
            Assert.That(entry.GetProperty("created_at").GetString(), Is.EqualTo("2026-05-06T07:08:09Z"));
            Assert.That(RegistryEntryJsonShape.IsWholeSecondUtc(entry.GetProperty("last_updated").GetString()), Is.True);
        }
    }
}
