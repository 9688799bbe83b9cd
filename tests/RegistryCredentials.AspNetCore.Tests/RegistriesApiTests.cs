using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using RegistryCredentials.AspNetCore.Tests.Support;
using RegistryCredentials.Sqlite;
using RegistryCredentials.Tests.Support;

namespace RegistryCredentials.AspNetCore.Tests;

/// <summary>Every endpoint of the Registries HTTP API and every error, through the in-memory test server.</summary>
public class RegistriesApiTests
{
    // Issue 14: one entry shape for the API and regcred -o json.
    private static readonly IReadOnlyList<string> ResponseFields = RegistryEntryJsonShape.Members;

    private ApiHost _host = null!;
    private HttpClient _alice = null!;
    private string? _temporary;

    [SetUp]
    public async Task SetUp()
    {
        _host = await ApiHost.StartAsync();
        _alice = _host.Client("alice");
    }

    [TearDown]
    public async Task TearDown()
    {
        _alice.Dispose();
        await _host.DisposeAsync();
        if (_temporary is not null)
        {
            Directory.Delete(_temporary, recursive: true);
            _temporary = null;
        }
    }

    [Test]
    public async Task List_is_empty_at_first_then_holds_entries_ordered_by_scope_in_Anchore_schema()
    {
        var empty = await (await _alice.GetAsync("/registries")).ExpectAsync(200);
        Assert.That(empty.GetArrayLength(), Is.Zero);

        await (await _alice.AddAsync("quay.io/partner/*")).ExpectAsync(201);
        await (await _alice.AddAsync("docker.io/acme/*")).ExpectAsync(201);
        var response = await _alice.GetAsync("/registries");
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
        Assert.That(response.Headers.CacheControl?.NoStore, Is.True);
        var list = await response.ExpectAsync(200);

        Assert.That(list.EnumerateArray().Select(e => e.GetProperty("registry").GetString()), Is.EqualTo(new[] { "docker.io/acme/*", "quay.io/partner/*" }));
        foreach (var entry in list.EnumerateArray())
        {
            Assert.That(entry.EnumerateObject().Select(p => p.Name), Is.EquivalentTo(ResponseFields));
        }
    }

    [Test]
    public async Task Post_stores_the_entry_and_answers_201_with_location_etag_and_every_field()
    {
        var response = await _alice.PostEntryAsync(new
        {
            registry = "registry.example.com:5000/team/*",
            registry_name = "Team",
            registry_type = "docker_v2",
            registry_user = "ci-puller",
            registry_pass = "pw-secret",
            registry_verify = false,
            registry_email = "ci@example.com",
        });

        var body = await response.ExpectAsync(201);
        Assert.Multiple(() =>
        {
            Assert.That(response.Headers.Location?.OriginalString, Is.EqualTo("/registries/registry.example.com%3A5000%2Fteam%2F%2A"));
            Assert.That(response.Headers.ETag?.Tag, Is.EqualTo("\"1\""));
            Assert.That(body.GetArrayLength(), Is.EqualTo(1), "Anchore answers a list");
        });
        var entry = body[0];
        Assert.Multiple(() =>
        {
            Assert.That(entry.GetProperty("registry").GetString(), Is.EqualTo("registry.example.com:5000/team/*"));
            Assert.That(entry.GetProperty("registry_name").GetString(), Is.EqualTo("Team"));
            Assert.That(entry.GetProperty("registry_type").GetString(), Is.EqualTo("docker_v2"));
            Assert.That(entry.GetProperty("registry_user").GetString(), Is.EqualTo("ci-puller"));
            Assert.That(entry.GetProperty("registry_verify").GetBoolean(), Is.False);
            Assert.That(entry.GetProperty("registry_email").GetString(), Is.EqualTo("ci@example.com"));
            Assert.That(entry.GetProperty("userId").GetString(), Is.EqualTo("alice"));
            Assert.That(entry.GetProperty("active").GetBoolean(), Is.True);
            Assert.That(entry.GetProperty("created_at").GetString(), Does.EndWith("Z"));
            Assert.That(entry.GetProperty("last_updated").GetString(), Does.EndWith("Z"));
            Assert.That(entry.TryGetProperty("registry_pass", out _), Is.False);
        });
        Assert.That(await _host.StoredPasswordAsync("registry.example.com:5000/team/app"), Is.EqualTo("pw-secret"));
    }

    [Test]
    public async Task Post_validates_against_the_registry_unless_validate_is_false()
    {
        await (await _alice.PostEntryAsync(new { registry = "a.example.com", registry_user = "u", registry_pass = "p" }, validate: true)).ExpectAsync(201);
        Assert.That(_host.Validator!.Calls, Is.EqualTo(1));
        await (await _alice.PostAsJsonAsync("/registries", new { registry = "b.example.com", registry_user = "u", registry_pass = "p" })).ExpectAsync(201);
        Assert.That(_host.Validator.Calls, Is.EqualTo(2), "validate defaults to true");
        await (await _alice.PostEntryAsync(new { registry = "c.example.com", registry_user = "u", registry_pass = "p" }, validate: false)).ExpectAsync(201);
        Assert.That(_host.Validator.Calls, Is.EqualTo(2));
    }

    [TestCase("https://docker.io/acme", "https://")]
    [TestCase("http://reg.example.com/", "http://")]
    public async Task Post_with_a_url_is_400_invalid_scope_saying_to_drop_the_scheme(string registry, string scheme)
    {
        var problem = await (await _alice.AddAsync(registry)).ExpectAsync(400, RegistryProblemTypes.InvalidScope);
        Assert.That(problem.GetProperty("detail").GetString(), Does.Contain("drop the scheme '" + scheme + "'"));
    }

    [TestCase("bad host/x")]
    [TestCase("reg.example.com/UPPER")]
    [TestCase("reg.example.com/a/*/b")]
    public async Task Post_with_an_invalid_scope_is_400_invalid_scope(string registry) =>
        await (await _alice.AddAsync(registry)).ExpectAsync(400, RegistryProblemTypes.InvalidScope);

    [Test]
    public async Task Post_without_required_fields_is_400_naming_the_field()
    {
        var missingRegistry = await (await _alice.PostEntryAsync(new
        {
            registry_user = "u",
            registry_pass = "p",
        })).ExpectAsync(400, RegistryProblemTypes.InvalidField);
        var missingUser = await (await _alice.PostEntryAsync(new
        {
            registry = "a.example.com",
            registry_pass = "p",
        })).ExpectAsync(400, RegistryProblemTypes.InvalidField);
        var missingPass = await (await _alice.PostEntryAsync(new
        {
            registry = "a.example.com",
            registry_user = "u",
        })).ExpectAsync(400, RegistryProblemTypes.InvalidField);
        Assert.Multiple(() =>
        {
            Assert.That(missingRegistry.GetProperty("field").GetString(), Is.EqualTo("registry"));
            Assert.That(missingUser.GetProperty("field").GetString(), Is.EqualTo("registry_user"));
            Assert.That(missingPass.GetProperty("field").GetString(), Is.EqualTo("registry_pass"));
        });
    }

    [TestCase("a:b", null, "user name cannot contain ':'")]
    [TestCase("u", "not-an-email", "not an e-mail address")]
    [TestCase("u\u0007", null, "control character")]
    public async Task Post_with_an_invalid_field_is_400_saying_what_is_wrong(string user, string? email, string message)
    {
        var problem = await (await _alice.PostEntryAsync(new { registry = "a.example.com", registry_user = user, registry_pass = "p", registry_email = email }))
            .ExpectAsync(400, RegistryProblemTypes.InvalidField);
        Assert.That(problem.GetProperty("detail").GetString(), Does.Contain(message));
        Assert.That(problem.GetProperty("detail").GetString(), Does.Not.Contain("(Parameter"));
    }

    [Test]
    public async Task Field_errors_of_the_manager_name_the_wire_field()
    {
        var email = await (await _alice.PostEntryAsync(new
        {
            registry = "a.example.com",
            registry_user = "u",
            registry_pass = "p",
            registry_email = "not-an-email",
        }))
            .ExpectAsync(400, RegistryProblemTypes.InvalidField);
        Assert.That(email.GetProperty("field").GetString(), Is.EqualTo("registry_email"));
        var name = await (await _alice.PostEntryAsync(new
        {
            registry = "a.example.com",
            registry_user = "u",
            registry_pass = "p",
            registry_name = new string('n', 300),
        }))
            .ExpectAsync(400, RegistryProblemTypes.InvalidField);
        Assert.That(name.GetProperty("field").GetString(), Is.EqualTo("registry_name"));
    }

    [Test]
    public async Task Post_with_an_invalid_type_name_is_400_and_an_unsupported_type_is_400_type_not_supported()
    {
        var bad = await (await _alice.PostEntryAsync(new
        {
            registry = "a.example.com",
            registry_user = "u",
            registry_pass = "p",
            registry_type = "not a type",
        }))
            .ExpectAsync(400, RegistryProblemTypes.InvalidField);
        Assert.That(bad.GetProperty("field").GetString(), Is.EqualTo("registry_type"));

        // An ECR host guesses awsecr, and the core package has no ECR provider.
        var unsupported = await (await _alice.PostEntryAsync(new
        {
            registry = "123456789012.dkr.ecr.us-east-1.amazonaws.com",
            registry_user = "AKIAEXAMPLE",
            registry_pass = "p",
        }))
            .ExpectAsync(400, RegistryProblemTypes.TypeNotSupported);
        Assert.That(unsupported.GetProperty("registry_type").GetString(), Is.EqualTo("awsecr"));
    }

    [Test]
    public async Task Post_with_a_body_that_is_not_json_is_415_and_malformed_json_is_400_invalid_body()
    {
        using var text = new StringContent("registry=a.example.com", System.Text.Encoding.UTF8, "application/x-www-form-urlencoded");
        await (await _alice.PostAsync("/registries", text)).ExpectAsync(415, RegistryProblemTypes.UnsupportedMediaType);

        using var broken = new StringContent(
            "{\"registry\": \"a.example.com\", \"registry_pass\": secret-typo}",
            System.Text.Encoding.UTF8,
            "application/json");
        var problem = await (await _alice.PostAsync("/registries", broken)).ExpectAsync(400, RegistryProblemTypes.InvalidBody);
        Assert.That(problem.GetProperty("detail").GetString(), Does.Not.Contain("secret-typo"));

        using var wrongType = new StringContent("{\"registry\": 5}", System.Text.Encoding.UTF8, "application/json");
        await (await _alice.PostAsync("/registries", wrongType)).ExpectAsync(400, RegistryProblemTypes.InvalidBody);
    }

    [Test]
    public async Task Post_with_an_invalid_validate_parameter_is_400()
    {
        var problem = await (await _alice.PostAsJsonAsync(
            "/registries?validate=maybe",
            new { registry = "a.example.com", registry_user = "u", registry_pass = "p" }))
            .ExpectAsync(400, RegistryProblemTypes.InvalidField);
        Assert.That(problem.GetProperty("field").GetString(), Is.EqualTo("validate"));
    }

    [Test]
    public async Task Post_of_an_existing_scope_is_409_conflict()
    {
        await (await _alice.AddAsync("docker.io/acme/*")).ExpectAsync(201);
        var problem = await (await _alice.AddAsync("docker.io/acme/*", "other")).ExpectAsync(409, RegistryProblemTypes.Conflict);
        Assert.That(problem.GetProperty("registry").GetString(), Is.EqualTo("docker.io/acme/*"));
        Assert.That(await _host.StoredPasswordAsync("acme/app"), Is.EqualTo("pw-1"));
    }

    [TestCase(RegistryValidationOutcome.Unauthorized)]
    [TestCase(RegistryValidationOutcome.NotARegistry)]
    [TestCase(RegistryValidationOutcome.Unreachable)]
    [TestCase(RegistryValidationOutcome.TlsFailure)]
    [TestCase(RegistryValidationOutcome.Timeout)]
    [TestCase(RegistryValidationOutcome.ProtocolError)]
    public async Task Validation_failure_is_422_naming_the_outcome_and_stores_nothing(RegistryValidationOutcome outcome)
    {
        _host.Validator!.Result = new RegistryValidationResult(outcome, "the registry said no (" + outcome + ")");
        var problem = await (await _alice.PostEntryAsync(new { registry = "a.example.com", registry_user = "u", registry_pass = "p" }, validate: true))
            .ExpectAsync(422, RegistryProblemTypes.ValidationFailed);
        Assert.Multiple(() =>
        {
            Assert.That(problem.GetProperty("outcome").GetString(), Is.EqualTo(outcome.ToString()));
            Assert.That(problem.GetProperty("reason").GetString(), Is.EqualTo("the registry said no (" + outcome + ")"));
            Assert.That(problem.GetProperty("detail").GetString(), Does.StartWith(outcome + ":"));
        });
        Assert.That(await _host.SnapshotAsync(), Is.Empty);
    }

    [TestCase("docker.io/acme/*", "docker.io%2Facme%2F%2A")]
    [TestCase("docker.io/acme/*", "docker.io%2facme%2f%2a")]
    [TestCase("*.example.com", "*.example.com")]
    [TestCase("localhost:5000", "localhost%3A5000")]
    [TestCase("localhost:5000", "localhost:5000")]
    [TestCase("[::1]:5000/ns", "%5B%3A%3A1%5D%3A5000%2Fns")]
    public async Task Get_finds_an_entry_by_its_url_encoded_scope_with_its_version_as_etag(string scope, string segment)
    {
        await (await _alice.AddAsync(scope, user: "ci")).ExpectAsync(201);
        var response = await _alice.GetAsync("/registries/" + segment);
        var body = await response.ExpectAsync(200);
        Assert.That(body[0].GetProperty("registry").GetString(), Is.EqualTo(RegistryScope.Parse(scope).Value));
        Assert.That(response.Headers.ETag?.Tag, Is.EqualTo("\"1\""));
    }

    [Test]
    public async Task Get_activate_and_deactivate_of_a_missing_entry_are_404_and_delete_succeeds()
    {
        await (await _alice.GetAsync("/registries/nope.example.com")).ExpectAsync(404, RegistryProblemTypes.NotFound);
        await (await _alice.DeleteAsync("/registries/nope.example.com")).ExpectAsync(204); // issue 14: idempotent, as Anchore
        await (await _alice.PostAsync("/registries/nope.example.com/activate", null)).ExpectAsync(404, RegistryProblemTypes.NotFound);
        await (await _alice.PostAsync("/registries/nope.example.com/deactivate", null)).ExpectAsync(404, RegistryProblemTypes.NotFound);
        await (await _alice.PutEntryAsync("nope.example.com", new { registry_user = "x" })).ExpectAsync(404, RegistryProblemTypes.NotFound);
        await (await _alice.GetAsync("/registries/https%3A%2F%2Fdocker.io")).ExpectAsync(400, RegistryProblemTypes.InvalidScope);
    }

    [Test]
    public async Task Put_changes_fields_and_keeps_the_password_when_it_is_left_out_or_empty()
    {
        await (await _alice.PostEntryAsync(new { registry = "docker.io/acme/*", registry_user = "ci", registry_pass = "original",
            registry_email = "a@example.com" })).ExpectAsync(201);

        var response = await _alice.PutEntryAsync("docker.io/acme/*", new { registry_name = "Acme", registry_user = "ci2", registry_verify = false,
            registry_pass = "" });
        var entry = (await response.ExpectAsync(200))[0];
        Assert.Multiple(() =>
        {
            Assert.That(response.Headers.ETag?.Tag, Is.EqualTo("\"2\""));
            Assert.That(entry.GetProperty("registry_name").GetString(), Is.EqualTo("Acme"));
            Assert.That(entry.GetProperty("registry_user").GetString(), Is.EqualTo("ci2"));
            Assert.That(entry.GetProperty("registry_verify").GetBoolean(), Is.False);
            Assert.That(entry.GetProperty("registry_email").GetString(), Is.EqualTo("a@example.com"), "left out: kept");
        });
        Assert.That(await _host.StoredPasswordAsync("acme/app"), Is.EqualTo("original"));

        await (await _alice.PutEntryAsync("docker.io/acme/*", new { registry = "docker.io/acme/*", registry_pass = "changed",
            registry_email = "" })).ExpectAsync(200);
        Assert.That(await _host.StoredPasswordAsync("acme/app"), Is.EqualTo("changed"));
        Assert.That((await _host.Manager.GetAsync("docker.io/acme/*", "alice")).Email, Is.Null, "empty e-mail removes it");
    }

    [Test]
    public async Task Put_validates_unless_validate_is_false_and_a_failure_changes_nothing()
    {
        await (await _alice.AddAsync("docker.io/acme/*", "original")).ExpectAsync(201);
        var before = await _host.SnapshotAsync();
        _host.Validator!.Result = new RegistryValidationResult(RegistryValidationOutcome.Unauthorized, "401 from the registry");

        await (await _alice.PutEntryAsync("docker.io/acme/*", new { registry_pass = "wrong" }, validate: true)).ExpectAsync(422,
            RegistryProblemTypes.ValidationFailed);
        Assert.That(await _host.SnapshotAsync(), Is.EqualTo(before));

        await (await _alice.PutEntryAsync("docker.io/acme/*", new { registry_pass = "unchecked" }, validate: false)).ExpectAsync(200);
        Assert.That(await _host.StoredPasswordAsync("acme/app"), Is.EqualTo("unchecked"));
    }

    [Test]
    public async Task Put_can_never_change_the_scope()
    {
        await (await _alice.AddAsync("docker.io/acme/*")).ExpectAsync(201);
        var problem = await (await _alice.PutEntryAsync("docker.io/acme/*", new { registry = "docker.io/other/*" })).ExpectAsync(400,
            RegistryProblemTypes.InvalidField);
        Assert.That(problem.GetProperty("detail").GetString(), Does.Contain("never changes"));
    }

    [Test]
    public async Task Put_with_if_match_updates_only_the_version_it_names()
    {
        await (await _alice.AddAsync("docker.io/acme/*")).ExpectAsync(201);
        await (await _alice.PutEntryAsync("docker.io/acme/*", new { registry_name = "one" }, ifMatch: "\"1\"")).ExpectAsync(200);

        var stale = await (await _alice.PutEntryAsync("docker.io/acme/*", new { registry_name = "stale" }, ifMatch: "\"1\"")).ExpectAsync(412,
            RegistryProblemTypes.PreconditionFailed);
        Assert.That(stale.GetProperty("detail").GetString(), Does.Contain("version 2"));
        await (await _alice.PutEntryAsync("docker.io/acme/*", new { registry_name = "weak" }, ifMatch: "W/\"2\"")).ExpectAsync(412,
            RegistryProblemTypes.PreconditionFailed);
        await (await _alice.PutEntryAsync("docker.io/acme/*", new { registry_name = "garbage" }, ifMatch: "not-an-etag")).ExpectAsync(412,
            RegistryProblemTypes.PreconditionFailed);
        Assert.That((await _host.Manager.GetAsync("docker.io/acme/*", "alice")).Name, Is.EqualTo("one"));

        await (await _alice.PutEntryAsync("docker.io/acme/*", new { registry_name = "two" }, ifMatch: "\"7\", \"2\"")).ExpectAsync(200);
        await (await _alice.PutEntryAsync("docker.io/acme/*", new { registry_name = "any" }, ifMatch: "*")).ExpectAsync(200);
        await (await _alice.PutEntryAsync("nope.example.com", new { registry_name = "any" }, ifMatch: "*")).ExpectAsync(404, RegistryProblemTypes.NotFound);
        Assert.That((await _host.Manager.GetAsync("docker.io/acme/*", "alice")).Version, Is.EqualTo(4));
    }

    [Test]
    public async Task Concurrent_puts_with_the_same_if_match_give_one_200_and_one_412()
    {
        await (await _alice.AddAsync("docker.io/acme/*", "original")).ExpectAsync(201);
        using var bothChecked = new Barrier(2);
        _host.Validator!.Gate = token => Task.Run(
            () => Assert.That(bothChecked.SignalAndWait(TimeSpan.FromSeconds(20)), Is.True, "both updates should be in flight at once"),
            token);

        var first = _alice.PutEntryAsync("docker.io/acme/*", new { registry_pass = "first", registry_name = "first" }, ifMatch: "\"1\"", validate: true);
        var second = _alice.PutEntryAsync("docker.io/acme/*", new { registry_pass = "second", registry_name = "second" }, ifMatch: "\"1\"", validate: true);
        var responses = await Task.WhenAll(first, second);

        var statuses = responses.Select(r => (int)r.StatusCode).OrderBy(s => s).ToArray();
        Assert.That(statuses, Is.EqualTo(new[] { 200, 412 }));
        var loser = responses.Single(r => r.StatusCode == HttpStatusCode.PreconditionFailed);
        await loser.ExpectAsync(412, RegistryProblemTypes.PreconditionFailed);
        var winner = (await responses.Single(r => r.StatusCode == HttpStatusCode.OK).ExpectAsync(200))[0].GetProperty("registry_name").GetString();
        var stored = await _host.Manager.GetAsync("docker.io/acme/*", "alice");
        Assert.Multiple(async () =>
        {
            Assert.That(stored.Version, Is.EqualTo(2));
            Assert.That(stored.Name, Is.EqualTo(winner));
            Assert.That(await _host.StoredPasswordAsync("acme/app"), Is.EqualTo(winner), "the winner's password, never a mix");
        });
    }

    [Test]
    public async Task Delete_removes_the_entry_and_its_secret()
    {
        await (await _alice.AddAsync("docker.io/acme/*")).ExpectAsync(201);
        var response = await _alice.DeleteAsync("/registries/docker.io%2Facme%2F%2A");
        await response.ExpectAsync(204);
        await (await _alice.GetAsync("/registries/docker.io%2Facme%2F%2A")).ExpectAsync(404, RegistryProblemTypes.NotFound);
        Assert.That(await _host.SnapshotAsync(), Is.Empty);
    }

    [TestCase(false, TestName = "Delete_with_if_match_deletes_only_the_version_it_names(in-memory)")]
    [TestCase(true, TestName = "Delete_with_if_match_deletes_only_the_version_it_names(SQLite)")]
    public async Task Delete_with_if_match_deletes_only_the_version_it_names(bool sqlite)
    {
        if (sqlite)
        {
            _alice.Dispose();
            await _host.DisposeAsync();
            _temporary = Directory.CreateTempSubdirectory("rc-api-sqlite-").FullName;
            var key = AesGcmSecretProtector.GenerateKey();
            _host = await ApiHost.StartAsync(o => o.Build = b => b.UseSqliteStore(Path.Combine(
                _temporary,
                "registries.db")).UseSecretProtection(p => p.Key = key));
            _alice = _host.Client("alice");
        }

        await (await _alice.AddAsync("docker.io/acme/*")).ExpectAsync(201);
        await (await _alice.PutEntryAsync("docker.io/acme/*", new { registry_name = "two" }, ifMatch: "\"1\"")).ExpectAsync(200);
        var before = await _host.SnapshotAsync();

        var stale = await (await _alice.DeleteEntryAsync("docker.io/acme/*", ifMatch: "\"1\"")).ExpectAsync(412, RegistryProblemTypes.PreconditionFailed);
        Assert.That(stale.GetProperty("detail").GetString(), Does.Contain("version 2"));
        await (await _alice.DeleteEntryAsync("docker.io/acme/*", ifMatch: "W/\"2\"")).ExpectAsync(412, RegistryProblemTypes.PreconditionFailed);
        await (await _alice.DeleteEntryAsync("docker.io/acme/*", ifMatch: "not-an-etag")).ExpectAsync(412, RegistryProblemTypes.PreconditionFailed);
        await (await _alice.DeleteEntryAsync("nope.example.com", ifMatch: "*")).ExpectAsync(404, RegistryProblemTypes.NotFound);
        Assert.That(await _host.SnapshotAsync(), Is.EqualTo(before), "a refused delete changes nothing");
        Assert.That(await _host.StoredPasswordAsync("acme/app"), Is.EqualTo("pw-1"));

        await (await _alice.DeleteEntryAsync("docker.io/acme/*", ifMatch: "\"7\", \"2\"")).ExpectAsync(204);
        Assert.That(await _host.SnapshotAsync(), Is.Empty);
    }

    [Test]
    public async Task Deactivate_denies_pulls_and_activate_restores_them_without_a_password()
    {
        await (await _alice.AddAsync("docker.io/acme/*", "kept")).ExpectAsync(201);

        var deactivated = await _alice.PostAsync("/registries/docker.io%2Facme%2F%2A/deactivate", null);
        var entry = (await deactivated.ExpectAsync(200))[0];
        Assert.That(entry.GetProperty("active").GetBoolean(), Is.False);
        Assert.That(deactivated.Headers.ETag?.Tag, Is.EqualTo("\"2\""));
        var denied = await (await _alice.GetAsync("/registries/_resolve?image=acme/app:1")).ExpectAsync(200);
        Assert.That(denied.GetProperty("result").GetString(), Is.EqualTo("denied"));
        Assert.That(denied.GetProperty("reason").GetString(), Is.EqualTo("entry_inactive"));

        var activated = (await (await _alice.PostAsync("/registries/docker.io%2Facme%2F%2A/activate", null)).ExpectAsync(200))[0];
        Assert.That(activated.GetProperty("active").GetBoolean(), Is.True);
        Assert.That(await _host.StoredPasswordAsync("acme/app"), Is.EqualTo("kept"));
    }

    [Test]
    public async Task Resolve_says_which_entry_is_used_or_anonymous_or_denied_and_never_the_secret()
    {
        await (await _alice.AddAsync("docker.io/acme/*", "resolve-secret")).ExpectAsync(201);

        var response = await _alice.GetAsync("/registries/_resolve?image=" + Uri.EscapeDataString("acme/app:1.2"));
        var text = await response.Content.ReadAsStringAsync();
        var credential = await response.ExpectAsync(200);
        Assert.Multiple(() =>
        {
            Assert.That(credential.GetProperty("image").GetString(), Is.EqualTo("acme/app:1.2"));
            Assert.That(credential.GetProperty("registry").GetString(), Is.EqualTo("docker.io"));
            Assert.That(credential.GetProperty("repository").GetString(), Is.EqualTo("acme/app"));
            Assert.That(credential.GetProperty("result").GetString(), Is.EqualTo("credential"));
            Assert.That(credential.GetProperty("reason").ValueKind, Is.EqualTo(JsonValueKind.Null));
            Assert.That(credential.GetProperty("entry").GetProperty("registry").GetString(), Is.EqualTo("docker.io/acme/*"));
            Assert.That(credential.GetProperty("message").GetString(), Does.Contain("docker.io/acme/*"));
            Assert.That(text, Does.Not.Contain("resolve-secret"));
        });

        var anonymous = await (await _alice.GetAsync("/registries/_resolve?image=nginx")).ExpectAsync(200);
        Assert.That(anonymous.GetProperty("result").GetString(), Is.EqualTo("anonymous"));
        Assert.That(anonymous.GetProperty("repository").GetString(), Is.EqualTo("library/nginx"));
        Assert.That(anonymous.GetProperty("entry").ValueKind, Is.EqualTo(JsonValueKind.Null));

        var invalid = await (await _alice.GetAsync("/registries/_resolve?image=" + Uri.EscapeDataString("nginx:-v1"))).ExpectAsync(
            400,
            RegistryProblemTypes.InvalidImageReference);
        Assert.That(invalid.GetProperty("part").GetString(), Is.EqualTo("Tag"));
        var missing = await (await _alice.GetAsync("/registries/_resolve")).ExpectAsync(400, RegistryProblemTypes.InvalidField);
        Assert.That(missing.GetProperty("field").GetString(), Is.EqualTo("image"));
    }

    [Test]
    public async Task Settings_are_read_and_written_and_apply_to_resolution_at_once()
    {
        var initial = await (await _alice.GetAsync("/registries/_settings")).ExpectAsync(200);
        Assert.That(initial.GetProperty("default_registry").ValueKind, Is.EqualTo(JsonValueKind.Null));
        Assert.That(initial.GetProperty("allowed_registries").GetArrayLength(), Is.Zero);

        var written = await (await _alice.PutAsJsonAsync("/registries/_settings", new
        {
            default_registry = "REG.example.com",
            allowed_registries = new[] { "reg.example.com", "*.azurecr.io", "quay.io/partner/*", "reg.example.com" },
        })).ExpectAsync(200);
        Assert.That(written.GetProperty("default_registry").GetString(), Is.EqualTo("reg.example.com"));
        Assert.That(written.GetProperty("allowed_registries").EnumerateArray().Select(e => e.GetString()), Is.EqualTo(new[] { "reg.example.com",
            "*.azurecr.io", "quay.io/partner/*" }));

        var ubuntu = await (await _alice.GetAsync("/registries/_resolve?image=ubuntu:22.04")).ExpectAsync(200);
        Assert.That(ubuntu.GetProperty("registry").GetString(), Is.EqualTo("reg.example.com"));
        Assert.That(ubuntu.GetProperty("repository").GetString(), Is.EqualTo("ubuntu"));
        var hub = await (await _alice.GetAsync("/registries/_resolve?image=docker.io/library/nginx")).ExpectAsync(200);
        Assert.That(hub.GetProperty("reason").GetString(), Is.EqualTo("registry_not_allowed"));

        // Issue 14, section 5: the settings are the account's policy in the store, no longer process-wide.
        var read = await (await _host.Client("bob").GetAsync("/registries/_settings")).ExpectAsync(200);
        Assert.That(read.GetProperty("default_registry").ValueKind, Is.EqualTo(JsonValueKind.Null), "another account keeps its own policy");
        var mine = await (await _alice.GetAsync("/registries/_settings")).ExpectAsync(200);
        Assert.That(mine.GetProperty("default_registry").GetString(), Is.EqualTo("reg.example.com"));

        await (await _alice.PutAsJsonAsync(
            "/registries/_settings",
            new { default_registry = (string?)null, allowed_registries = Array.Empty<string>() })).ExpectAsync(200);
        var open = await (await _alice.GetAsync("/registries/_resolve?image=docker.io/library/nginx")).ExpectAsync(200);
        Assert.That(open.GetProperty("result").GetString(), Is.EqualTo("anonymous"));
    }

    [TestCase("https://reg.example.com", null, "drop the scheme")]
    [TestCase("*.example.com", null, "without '*' or a path")]
    [TestCase("reg.example.com/path", null, "without '*' or a path")]
    [TestCase(null, "http://quay.io", "allowed_registries[1]")]
    public async Task Invalid_settings_are_400_invalid_scope_and_change_nothing(string? defaultRegistry, string? allowed, string named)
    {
        await (await _alice.PutAsJsonAsync(
            "/registries/_settings",
            new { default_registry = "keep.example.com", allowed_registries = new[] { "keep.example.com" } })).ExpectAsync(200);
        var problem = await (await _alice.PutAsJsonAsync(
            "/registries/_settings",
            new { default_registry = defaultRegistry, allowed_registries = new[] { "ok.example.com", allowed ?? "ok2.example.com" } }))
            .ExpectAsync(400, RegistryProblemTypes.InvalidScope);
        Assert.That(problem.GetProperty("detail").GetString(), Does.Contain(named));
        var settings = await (await _alice.GetAsync("/registries/_settings")).ExpectAsync(200);
        Assert.That(settings.GetProperty("default_registry").GetString(), Is.EqualTo("keep.example.com"));
    }

    [Test]
    public async Task The_routes_of_settings_and_resolve_cannot_clash_with_a_scope()
    {
        Assert.That(RegistryScope.TryParse("_settings", out _), Is.False);
        Assert.That(RegistryScope.TryParse("_resolve", out _), Is.False);
        Assert.That(RegistryScope.TryParse("_antiforgery", out _), Is.False);

        // "settings" and "resolve" are valid one-label hosts, and stay ordinary entries.
        await (await _alice.AddAsync("settings")).ExpectAsync(201);
        await (await _alice.AddAsync("resolve")).ExpectAsync(201);
        var entry = await (await _alice.GetAsync("/registries/settings")).ExpectAsync(200);
        Assert.That(entry[0].GetProperty("registry").GetString(), Is.EqualTo("settings"));
        await (await _alice.GetAsync("/registries/resolve")).ExpectAsync(200);
    }

    [Test]
    public async Task A_rejected_request_leaves_the_store_as_it_was()
    {
        await (await _alice.AddAsync("docker.io/acme/*", "original")).ExpectAsync(201);
        await (await _alice.PutEntryAsync("docker.io/acme/*", new { registry_name = "v2" })).ExpectAsync(200);
        var before = await _host.SnapshotAsync();

        await (await _alice.AddAsync("https://docker.io/other")).ExpectAsync(400, RegistryProblemTypes.InvalidScope);
        await (await _alice.AddAsync("docker.io/acme/*", "replacement")).ExpectAsync(409, RegistryProblemTypes.Conflict);
        await (await _alice.PutEntryAsync("docker.io/acme/*", new { registry_pass = "stale", registry_name = "stale" },
            ifMatch: "\"1\"")).ExpectAsync(412, RegistryProblemTypes.PreconditionFailed);
        await (await _alice.PutEntryAsync("docker.io/acme/*", new { registry = "docker.io/moved/*" })).ExpectAsync(400, RegistryProblemTypes.InvalidField);
        await (await _alice.PutEntryAsync("docker.io/acme/*", new { registry_user = "a:b" })).ExpectAsync(400, RegistryProblemTypes.InvalidField);
        await (await _alice.PostEntryAsync(new { registry = "x.example.com", registry_user = "u", registry_pass = "p", registry_type = "nope!" }))
            .ExpectAsync(400, RegistryProblemTypes.InvalidField);
        _host.Validator!.Result = new RegistryValidationResult(RegistryValidationOutcome.Unauthorized, "401");
        await (await _alice.PutEntryAsync("docker.io/acme/*", new { registry_pass = "wrong" }, validate: true)).ExpectAsync(422,
            RegistryProblemTypes.ValidationFailed);
        await (await _alice.PostEntryAsync(new { registry = "new.example.com", registry_user = "u", registry_pass = "p" }, validate: true))
            .ExpectAsync(422, RegistryProblemTypes.ValidationFailed);
        await (await _host.Client("bob").DeleteAsync("/registries/docker.io%2Facme%2F%2A")).ExpectAsync(204); // issue 14: deletes nothing of alice's
        using var browser = _host.Client("alice");
        browser.DefaultRequestHeaders.Add("Origin", "http://localhost");
        await (await browser.DeleteAsync("/registries/docker.io%2Facme%2F%2A")).ExpectAsync(400, RegistryProblemTypes.AntiforgeryTokenInvalid);

        Assert.That(await _host.SnapshotAsync(), Is.EqualTo(before));
        Assert.That(await _host.StoredPasswordAsync("acme/app"), Is.EqualTo("original"));
    }
}
