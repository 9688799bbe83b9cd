using System.Net.Http.Json;
using System.Text;
using RegistryCredentials.AspNetCore.Tests.Support;

namespace RegistryCredentials.AspNetCore.Tests;

/// <summary>
/// Stores unique passwords through the API, calls every endpoint (successes and failures), and proves the passwords
/// appear in no response (body or header), no log line and not in the OpenAPI document.
/// </summary>
public class SecretCanaryTests
{
    [Test]
    public async Task Passwords_never_appear_in_responses_logs_or_the_openapi_document()
    {
        var canary = "canary-" + Guid.NewGuid().ToString("N");
        var canary2 = "canary2-" + Guid.NewGuid().ToString("N");
        await using var host = await ApiHost.StartAsync();
        using var alice = host.Client("alice");
        var responses = new List<HttpResponseMessage>();

        async Task Call(Func<Task<HttpResponseMessage>> send) => responses.Add(await send());

        await Call(() => alice.PostEntryAsync(new { registry = "docker.io/acme/*", registry_user = "ci", registry_pass = canary,
            registry_email = "ci@example.com" }));
        await Call(() => alice.PostEntryAsync(new { registry = "docker.io/acme/*", registry_user = "ci", registry_pass = canary }));
        await Call(() => alice.PostEntryAsync(new { registry = "https://docker.io/x", registry_user = "ci", registry_pass = canary }));
        await Call(() => alice.PostEntryAsync(new { registry = "reg.example.com", registry_user = "a:b", registry_pass = canary }));
        await Call(() => alice.PostAsync("/registries", new StringContent("{\"registry_pass\": " + canary + "}", Encoding.UTF8, "application/json")));
        await Call(() => alice.PostAsync(
            "/registries",
            new StringContent("{\"registry_pass\": \"" + canary + "\", \"registry\": [1]}", Encoding.UTF8, "application/json")));
        await Call(() => alice.GetAsync("/registries"));
        await Call(() => alice.GetAsync("/registries/docker.io%2Facme%2F%2A"));
        await Call(() => alice.GetAsync("/registries/_resolve?image=acme/app:1"));
        await Call(() => alice.PutEntryAsync("docker.io/acme/*", new { registry_pass = canary2 }, ifMatch: "\"9\""));
        host.Validator!.Result = new RegistryValidationResult(RegistryValidationOutcome.Unauthorized, "401 from the registry");
        await Call(() => alice.PutEntryAsync("docker.io/acme/*", new { registry_pass = canary2 }, validate: true));
        await Call(() => alice.PostEntryAsync(new { registry = "other.example.com", registry_user = "ci", registry_pass = canary2 }, validate: true));
        await Call(() => alice.PutEntryAsync("docker.io/acme/*", new { registry_pass = canary2, registry_name = "Acme" }));
        await Call(() => alice.PostAsync("/registries/docker.io%2Facme%2F%2A/deactivate", null));
        await Call(() => alice.GetAsync("/registries/_resolve?image=acme/app:1"));
        await Call(() => alice.PostAsync("/registries/docker.io%2Facme%2F%2A/activate", null));
        await Call(() => alice.GetAsync("/registries/_resolve?image=acme/app:1"));
        await Call(() => alice.GetAsync("/registries/_settings"));
        await Call(() => alice.PutAsJsonAsync(
            "/registries/_settings", new { default_registry = "reg.example.com", allowed_registries = new[] { "docker.io" } }));
        await Call(() => host.Client("bob").GetAsync("/registries/docker.io%2Facme%2F%2A"));
        await Call(() => alice.GetAsync("/registries-ui"));
        await Call(() => alice.GetAsync("/registries-ui/app.js"));
        await Call(() => alice.GetAsync("/openapi/v1.json"));
        await Call(() => alice.DeleteAsync("/registries/docker.io%2Facme%2F%2A"));
        await Call(() => alice.DeleteAsync("/registries/docker.io%2Facme%2F%2A"));

        Assert.That(await host.StoredPasswordAsync("acme/app"), Is.Null, "deleted at the end");
        var texts = new List<string>();
        foreach (var response in responses)
        {
            texts.Add(await response.Content.ReadAsStringAsync());
            texts.Add(response.Headers.ToString());
            texts.Add(response.Content.Headers.ToString());
        }

        texts.AddRange(host.Logs.Lines);
        Assert.That(
            responses.Select(r => (int)r.StatusCode),
            Does.Contain(201).And.Contain(400).And.Contain(409).And.Contain(412).And.Contain(422).And.Contain(404));
        Assert.That(host.Logs.Lines, Is.Not.Empty);
        foreach (var secret in new[] { canary, canary2 })
        {
            var base64 = Convert.ToBase64String(Encoding.UTF8.GetBytes(secret));
            Assert.That(texts, Has.None.Contain(secret), $"a password showed up in: {texts.FirstOrDefault(t => t.Contains(secret, StringComparison.Ordinal))}");
            Assert.That(texts, Has.None.Contain(base64));
        }
    }
}
