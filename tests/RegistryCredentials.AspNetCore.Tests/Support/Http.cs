using System.Net.Http.Json;
using System.Text.Json;

namespace RegistryCredentials.AspNetCore.Tests.Support;

/// <summary>Small helpers for calling the API.</summary>
public static class Http
{
    public static string Encode(string scope) => Uri.EscapeDataString(scope);

    public static Task<HttpResponseMessage> PostEntryAsync(this HttpClient client, object body, bool validate = false) =>
        client.PostAsJsonAsync("/registries?validate=" + (validate ? "true" : "false"), body);

    public static Task<HttpResponseMessage> AddAsync(this HttpClient client, string registry, string password = "pw-1", string user = "ci") =>
        client.PostEntryAsync(new { registry, registry_user = user, registry_pass = password });

    public static async Task<HttpResponseMessage> PutEntryAsync(
        this HttpClient client,
        string scope,
        object body,
        string? ifMatch = null,
        bool validate = false)
    {
        using var request = new HttpRequestMessage(
            HttpMethod.Put,
            $"/registries/{Encode(scope)}?validate={(validate ? "true" : "false")}") { Content = JsonContent.Create(body) };
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        return await client.SendAsync(request);
    }

    public static async Task<HttpResponseMessage> DeleteEntryAsync(this HttpClient client, string scope, string? ifMatch = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, $"/registries/{Encode(scope)}");
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        return await client.SendAsync(request);
    }

    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Asserts the status and, for errors, that the body is an RFC 9457 problem of the given type.</summary>
    public static async Task<JsonElement> ExpectAsync(this HttpResponseMessage response, int status, string? problemType = null)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.That((int)response.StatusCode, Is.EqualTo(status), text);
        if (problemType is null)
        {
            return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
        }

        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"), text);
        var problem = JsonDocument.Parse(text).RootElement.Clone();
        Assert.Multiple(() =>
        {
            Assert.That(problem.GetProperty("type").GetString(), Is.EqualTo(problemType), text);
            Assert.That(problem.GetProperty("status").GetInt32(), Is.EqualTo(status), text);
            Assert.That(problem.GetProperty("title").GetString(), Is.Not.Empty);
            Assert.That(problem.GetProperty("detail").GetString(), Is.Not.Empty);
        });
        return problem;
    }
}
