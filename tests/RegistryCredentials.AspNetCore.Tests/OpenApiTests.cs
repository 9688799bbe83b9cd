using System.Text.Json;
using RegistryCredentials.AspNetCore.Tests.Support;

namespace RegistryCredentials.AspNetCore.Tests;

/// <summary>The OpenAPI document that Microsoft.AspNetCore.OpenApi generates for the API.</summary>
public class OpenApiTests
{
    private static JsonElement _document;

    [OneTimeSetUp]
    public static async Task LoadAsync()
    {
        await using var host = await ApiHost.StartAsync();
        using var client = host.Client(user: null);
        _document = await (await client.GetAsync("/openapi/v1.json")).ExpectAsync(200);
        await File.WriteAllTextAsync(Path.Combine(TestContext.CurrentContext.WorkDirectory, "openapi-v1.json"), _document.ToString());
    }

    private static JsonElement Schema(string name) => _document.GetProperty("components").GetProperty("schemas").GetProperty(name);

    [Test]
    public void Every_operation_is_tagged_Registries_and_has_an_id()
    {
        var operations = _document.GetProperty("paths").EnumerateObject()
            .Where(p => p.Name.StartsWith("/registries", StringComparison.Ordinal))
            .SelectMany(p => p.Value.EnumerateObject())
            .ToList();
        Assert.That(operations, Has.Count.EqualTo(12)); // PATCH _settings added (issue 14, section 5)
        foreach (var operation in operations)
        {
            Assert.That(operation.Value.GetProperty("tags").EnumerateArray().Select(t => t.GetString()), Is.EqualTo(new[] { "Registries" }), operation.Name);
            Assert.That(operation.Value.GetProperty("operationId").GetString(), Is.Not.Empty);
        }

        var ids = operations.Select(o => o.Value.GetProperty("operationId").GetString()).ToList();
        Assert.That(ids, Is.Unique);
        Assert.That(ids, Does.Contain("ListRegistries").And.Contain("CreateRegistry").And.Contain("GetRegistry").And.Contain("UpdateRegistry")
            .And.Contain("DeleteRegistry").And.Contain("ActivateRegistry").And.Contain("DeactivateRegistry").And.Contain("ResolveImage"));
    }

    [Test]
    public void The_paths_are_Anchores_plus_the_actions_and_the_underscore_routes()
    {
        var paths = _document.GetProperty("paths").EnumerateObject().Select(p => p.Name).Where(p => p.StartsWith("/registries", StringComparison.Ordinal));
        Assert.That(paths, Is.EquivalentTo(new[]
        {
            "/registries", "/registries/{registry}", "/registries/{registry}/activate", "/registries/{registry}/deactivate",
            "/registries/_settings", "/registries/_resolve", "/registries/_antiforgery",
        }));
        Assert.That(_document.GetProperty("paths").EnumerateObject().Select(p => p.Name), Has.None.StartsWith("/registries-ui"));
    }

    [Test]
    public void The_password_is_write_only_and_absent_from_the_response_schema()
    {
        var request = Schema("RegistryConfigurationRequest").GetProperty("properties");
        Assert.That(request.EnumerateObject().Select(p => p.Name), Is.EquivalentTo(new[]
        {
            "registry", "registry_name", "registry_type", "registry_user", "registry_pass", "registry_verify", "registry_email",
        }));
        Assert.That(request.GetProperty("registry_pass").GetProperty("writeOnly").GetBoolean(), Is.True);

        var response = Schema("RegistryConfiguration").GetProperty("properties");
        Assert.That(response.EnumerateObject().Select(p => p.Name), Is.EquivalentTo(new[]
        {
            "registry", "registry_name", "registry_type", "registry_user", "registry_verify", "created_at", "last_updated", "userId",
            "registry_email", "active",
            "insecure_http", "own_ca_certificates", "version",
        }));
    }

    [Test]
    public void Requests_and_responses_have_examples()
    {
        var request = Schema("RegistryConfigurationRequest").GetProperty("examples")[0];
        Assert.That(request.GetProperty("registry").GetString(), Is.EqualTo("registry.example.com:5000/team/*"));
        Assert.That(request.GetProperty("registry_pass").GetString(), Does.StartWith("<"), "a placeholder, not a password");
        Assert.That(Schema("RegistryConfiguration").GetProperty("examples")[0].GetProperty("userId").GetString(), Is.EqualTo("alice"));
        Assert.That(Schema("RegistryConfiguration").GetProperty("examples")[0].TryGetProperty("registry_pass", out _), Is.False);
        Assert.That(Schema("RegistrySettingsDocument").GetProperty("examples")[0].GetProperty("allowed_registries").GetArrayLength(), Is.EqualTo(3));
        Assert.That(Schema("RegistryResolveResult").GetProperty("examples")[0].GetProperty("result").GetString(), Is.EqualTo("credential"));
    }

    [Test]
    public void Validate_and_If_Match_are_documented_and_errors_are_problem_details()
    {
        var paths = _document.GetProperty("paths");
        var post = paths.GetProperty("/registries").GetProperty("post");
        var put = paths.GetProperty("/registries/{registry}").GetProperty("put");
        Assert.That(post.GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString()), Does.Contain("validate"));
        Assert.That(
            put.GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString()),
            Does.Contain("validate").And.Contain("If-Match").And.Contain("registry"));
        Assert.That(put.GetProperty("responses").GetProperty("200").GetProperty("headers").TryGetProperty("ETag", out _), Is.True);
        foreach (var status in new[] { "400", "404", "409", "412", "422" })
        {
            Assert.That(
                put.GetProperty("responses").GetProperty(status).GetProperty("content").TryGetProperty("application/problem+json", out _),
                Is.True,
                status);
        }

        var delete = paths.GetProperty("/registries/{registry}").GetProperty("delete");
        Assert.That(delete.GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString()), Does.Contain("If-Match"));
        Assert.That(delete.GetProperty("responses").GetProperty("412").GetProperty("content").TryGetProperty("application/problem+json", out _), Is.True);

        var settings = paths.GetProperty("/registries/_settings");
        foreach (var verb in new[] { "patch", "put" })
        {
            var write = settings.GetProperty(verb);
            Assert.That(write.GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString()), Does.Contain("If-Match"), verb);
            var preconditionFailed = write.GetProperty("responses").GetProperty("412").GetProperty("content");
            Assert.That(preconditionFailed.TryGetProperty("application/problem+json", out _), Is.True, verb);
            Assert.That(write.GetProperty("responses").GetProperty("200").GetProperty("headers").TryGetProperty("ETag", out _), Is.True, verb);
        }

        Assert.That(settings.GetProperty("get").GetProperty("responses").GetProperty("200").GetProperty("headers").TryGetProperty("ETag", out _), Is.True);
    }

    [Test]
    public void Every_error_response_offers_both_problem_details_and_Anchores_ApiErrorResponse()
    {
        var errors = 0;
        foreach (var path in _document.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                foreach (var response in operation.Value.GetProperty("responses").EnumerateObject().Where(r => r.Name[0] >= '4'))
                {
                    var content = response.Value.GetProperty("content");
                    Assert.That(content.TryGetProperty("application/problem+json", out _), Is.True, $"{operation.Name} {path.Name} {response.Name}");
                    Assert.That(
                        content.GetProperty("application/json").GetProperty("schema").GetProperty("$ref").GetString(),
                        Is.EqualTo("#/components/schemas/ApiErrorResponse"),
                        $"{operation.Name} {path.Name} {response.Name}");
                    errors++;
                }
            }
        }

        Assert.That(errors, Is.GreaterThan(10));
        var schema = Schema("ApiErrorResponse");
        var members = schema.GetProperty("properties").EnumerateObject().Select(p => p.Name);
        Assert.That(members, Is.SupersetOf(new[] { "message", "httpcode", "code", "error_type", "detail" }));
        var example = schema.GetProperty("examples")[0];
        Assert.That(example.GetProperty("httpcode").GetInt32(), Is.EqualTo(409));
        Assert.That(example.GetProperty("detail").GetProperty("error_codes")[0].GetString(), Is.EqualTo("Conflict"));
    }

    [Test]
    public void X_anchore_account_and_replace_are_documented_and_timestamps_are_whole_second_utc()
    {
        var paths = _document.GetProperty("paths");
        foreach (var path in paths.EnumerateObject().Where(p => p.Name.StartsWith("/registries", StringComparison.Ordinal)))
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                var names = operation.Value.GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString());
                Assert.That(names, Does.Contain("x-anchore-account"), $"{operation.Name} {path.Name}");
            }
        }

        var post = paths.GetProperty("/registries").GetProperty("post");
        Assert.That(post.GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString()), Does.Contain("replace"));
        var get = paths.GetProperty("/registries/{registry}").GetProperty("get");
        var registry = get.GetProperty("parameters").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "registry");
        Assert.That(registry.GetProperty("description").GetString(), Does.Contain("raw slashes"));

        var entry = Schema("RegistryConfiguration");
        Assert.That(entry.GetProperty("properties").GetProperty("created_at").GetProperty("format").GetString(), Is.EqualTo("date-time"));
        var example = entry.GetProperty("examples")[0];
        Assert.That(example.EnumerateObject().Select(p => p.Name), Is.EqualTo(RegistryCredentials.Tests.Support.RegistryEntryJsonShape.Members));
        Assert.That(example.GetProperty("created_at").GetString(), Is.EqualTo("2025-01-15T09:30:00Z"));
        Assert.That(example.GetProperty("last_updated").GetString(), Is.EqualTo("2025-03-02T14:05:00Z"));
    }
}
