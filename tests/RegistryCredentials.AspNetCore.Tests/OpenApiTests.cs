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
        Assert.That(operations, Has.Count.EqualTo(11));
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
            "registry", "registry_name", "registry_type", "registry_user", "registry_verify",
            "created_at", "last_updated", "userId", "registry_email", "active",
        }));
    }

    [Test]
    public void Requests_and_responses_have_examples()
    {
        var request = Schema("RegistryConfigurationRequest").GetProperty("examples")[0];
        Assert.That(request.GetProperty("registry").GetString(), Is.EqualTo("registry.example.com:5000/team"));
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
    }
}
