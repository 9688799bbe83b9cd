using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using RegistryCredentials.Tests.Support;

namespace RegistryCredentials.AspNetCore.Tests;

/// <summary>
/// Replays the requests anchore-cli sends for <c>registry add|get|update|del|list</c> against samples/RegistryServer,
/// byte for byte in what matters: the shapes are taken from anchore-cli's source (github.com/anchore/anchore-cli,
/// <c>anchorecli/clients/apiexternal.py</c>: <c>add_registry</c>, <c>get_registry</c>, <c>update_registry</c>,
/// <c>delete_registry</c>, <c>set_account_header</c>; <c>anchorecli/cli/registry.py</c> for the values the commands
/// fill in; <c>anchorecli/clients/common.py</c> and <c>anchorecli/cli/utils.py</c> for how answers are read and printed).
/// Python's <c>requests</c> sends <c>Accept: */*</c>, Basic authentication, the JSON body as a string with
/// <c>Content-Type: application/json</c>, the scope as <c>quote(registry, "")</c> and <c>?validate=True|False</c>.
/// Each answer is checked against what anchore-cli reads from it, and against the <c>RegistryConfiguration</c> schema of
/// Anchore's API definition (anchore-engine, <c>anchore_engine/services/apiext/swagger/swagger.yaml</c>).
/// </summary>
public class AnchoreCliReplayTests
{
    // RegistryConfiguration in Anchore's swagger.yaml: member -> JSON type. (The definition spells last_updated
    // "last_upated"; anchore-cli and Anchore Engine's answers use last_updated, which is what is checked.)
    private static readonly Dictionary<string, JsonValueKind[]> AnchoreSchema = new(StringComparer.Ordinal)
    {
        ["created_at"] = [JsonValueKind.String],
        ["last_updated"] = [JsonValueKind.String],
        ["registry_user"] = [JsonValueKind.String],
        ["registry_type"] = [JsonValueKind.String],
        ["userId"] = [JsonValueKind.String],
        ["registry"] = [JsonValueKind.String],
        ["registry_name"] = [JsonValueKind.String],
        ["registry_verify"] = [JsonValueKind.True, JsonValueKind.False],
    };

    private string _directory = null!;

    [SetUp]
    public void SetUp() => _directory = Directory.CreateTempSubdirectory("rc-anchore-cli-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_directory, recursive: true);

    [Test]
    public async Task Anchore_cli_registry_commands_work_against_the_sample_server()
    {
        await using var factory = SampleServer();
        using var client = AnchoreCli(factory);
        var password = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(12));

        // anchore-cli registry add registry.example.com:5000 johndoe <pass> --skip-validate
        var add = await SendAsync(
            client, HttpMethod.Post, "/registries?validate=False", AddBody("registry.example.com:5000", "johndoe", password, "docker_v2"));
        CheckRecords(add, expected: 1, "registry.example.com:5000");

        // anchore-cli registry add 123456789012.dkr.ecr.us-east-1.amazonaws.com <key id> <secret> --skip-validate:
        // registry.py guesses registry_type "awsecr" from the host, so the sample must serve that type.
        var ecr = "123456789012.dkr.ecr.us-east-1.amazonaws.com";
        var addEcr = await SendAsync(client, HttpMethod.Post, "/registries?validate=False", AddBody(ecr, "AKIAEXAMPLEKEYID0000", password, "awsecr"));
        Assert.That(CheckRecords(addEcr, expected: 1, ecr)[0].GetProperty("registry_type").GetString(), Is.EqualTo("awsecr"));

        // A repository-path scope, as anchorectl documents it; anchore-cli quotes "/" too.
        var pathScope = "registry.example.com:5000/team/app";
        CheckRecords(await SendAsync(client, HttpMethod.Post, "/registries?validate=False", AddBody(pathScope, "team", password, "docker_v2")), 1, pathScope);

        // anchore-cli registry list
        var list = CheckRecords(await SendAsync(client, HttpMethod.Get, "/registries", null), expected: 3, null);
        Assert.That(list.Select(r => r.GetProperty("registry").GetString()), Is.EquivalentTo(new[] { "registry.example.com:5000", ecr, pathScope }));

        // anchore-cli registry get <registry>
        CheckRecords(await SendAsync(client, HttpMethod.Get, "/registries/" + Quote(pathScope), null), 1, pathScope);

        // anchore-cli registry update <registry> <user> <pass> --insecure --skip-validate (registry_type defaults to docker_v2)
        var update = await SendAsync(
            client, HttpMethod.Put, "/registries/" + Quote("registry.example.com:5000") + "?validate=False",
            Body("registry.example.com:5000", "janedoe", password + "-2", "docker_v2", verify: false, name: "registry.example.com:5000"));
        var updated = CheckRecords(update, 1, "registry.example.com:5000")[0];
        Assert.That(updated.GetProperty("registry_user").GetString(), Is.EqualTo("janedoe"));
        Assert.That(updated.GetProperty("registry_verify").GetBoolean(), Is.False);

        // anchore-cli registry del <registry>, twice: Anchore answers 200 to a delete of nothing.
        foreach (var _ in Enumerable.Range(0, 2))
        {
            var delete = await SendAsync(client, HttpMethod.Delete, "/registries/" + Quote(pathScope), null);
            Assert.That(Ecode(delete.Status), Is.Zero, delete.Text);
        }

        // An error as anchore-cli prints it (format_error_output): Error, HTTP Code and Detail from the body.
        var duplicate = await SendAsync(client, HttpMethod.Post, "/registries?validate=False", AddBody(ecr, "AKIAEXAMPLEKEYID0000", password, "awsecr"));
        Assert.That(duplicate.Status, Is.EqualTo(409));
        var printed = FormatErrorOutput(duplicate.Text);
        Assert.That(printed, Does.StartWith("Error: ").And.Contain("\nHTTP Code: 409\n").And.Contain("Detail: "));
        Assert.That(Ecode(duplicate.Status), Is.EqualTo(1));

        // anchore-cli --as-account team-b registry list: the sample's development user may act as another account.
        using var asAccount = AnchoreCli(factory);
        asAccount.DefaultRequestHeaders.Add("x-anchore-account", "team-b");
        Assert.That(CheckRecords(await SendAsync(asAccount, HttpMethod.Get, "/registries", null), 0, null), Is.Empty);
        CheckRecords(await SendAsync(asAccount, HttpMethod.Post, "/registries?validate=False", AddBody("quay.io", "b", password, "docker_v2")), 1, "quay.io");
        var listedAs = CheckRecords(await SendAsync(asAccount, HttpMethod.Get, "/registries", null), 1, null);
        Assert.That(listedAs[0].GetProperty("userId").GetString(), Is.EqualTo("team-b"));

        // Another user of the sample may not, and is told so rather than served its own account.
        using var other = AnchoreCli(factory);
        other.DefaultRequestHeaders.Add("X-Dev-User", "someone-else");
        other.DefaultRequestHeaders.Add("x-anchore-account", "team-b");
        var refused = await SendAsync(other, HttpMethod.Get, "/registries", null);
        Assert.That(refused.Status, Is.EqualTo(403), refused.Text);
        Assert.That(FormatErrorOutput(refused.Text), Does.StartWith("Error: ").And.Contain("HTTP Code: 403"));
    }

    /// <summary><c>add_registry</c>'s payload; the command fills registry_name with the registry and verify = not --insecure.</summary>
    private static string AddBody(string registry, string user, string password, string type) =>
        Body(registry, user, password, type, verify: true, name: registry);

    private static string Body(string registry, string user, string password, string type, bool verify, string name) =>
        JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["registry"] = registry,
            ["registry_user"] = user,
            ["registry_pass"] = password,
            ["registry_type"] = type,
            ["registry_verify"] = verify,
            ["registry_name"] = name,
        });

    /// <summary>Python's <c>urllib.parse.quote(s, "")</c>: everything but letters, digits and <c>_.-~</c> is percent-encoded.</summary>
    private static string Quote(string value)
    {
        var builder = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            var c = (char)b;
            builder.Append(char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-' or '~' ? c.ToString() : $"%{b:X2}");
        }

        return builder.ToString();
    }

    /// <summary><c>anchorecli/cli/utils.py</c>, <c>get_ecode</c>: 0 for 2xx, 2 for 401 and 500, 1 otherwise.</summary>
    private static int Ecode(int status) => status is >= 200 and < 299 ? 0 : status is 401 or 500 ? 2 : 1;

    /// <summary><c>format_error_output</c> (non-JSON mode) over the body <c>make_client_result</c> keeps as the error.</summary>
    private static string FormatErrorOutput(string body)
    {
        var error = JsonDocument.Parse(body).RootElement;
        var output = new StringBuilder();
        if (error.TryGetProperty("message", out var message))
        {
            output.Append("Error: ").Append(message.GetString()).Append('\n');
        }

        if (error.TryGetProperty("httpcode", out var code))
        {
            output.Append("HTTP Code: ").Append(code.GetRawText()).Append('\n');
        }

        if (error.TryGetProperty("detail", out var detail) && detail.ValueKind == JsonValueKind.Object && detail.EnumerateObject().Any())
        {
            output.Append("Detail: ").Append(detail.GetRawText()).Append('\n');
        }

        return output.ToString();
    }

    /// <summary>
    /// A 2xx JSON list of registry records, each with every member anchore-cli's format_output reads and the types
    /// Anchore's schema gives them; whole-second UTC timestamps.
    /// </summary>
    private static List<JsonElement> CheckRecords((int Status, string Text) response, int expected, string? registry)
    {
        Assert.That(Ecode(response.Status), Is.Zero, response.Text);
        var records = JsonDocument.Parse(response.Text).RootElement.EnumerateArray().Select(e => e.Clone()).ToList();
        Assert.That(records, Has.Count.EqualTo(expected), response.Text);
        foreach (var record in records)
        {
            foreach (var (name, kinds) in AnchoreSchema)
            {
                Assert.That(record.TryGetProperty(name, out var value), Is.True, $"{name} missing: {response.Text}");
                Assert.That(kinds, Does.Contain(value.ValueKind), $"{name}: {response.Text}");
            }

            Assert.That(RegistryEntryJsonShape.IsWholeSecondUtc(record.GetProperty("created_at").GetString()), Is.True);
            Assert.That(record.EnumerateObject().Select(p => p.Name), Has.None.EqualTo("registry_pass"));
            if (registry is not null)
            {
                Assert.That(record.GetProperty("registry").GetString(), Is.EqualTo(registry));
            }
        }

        return records;
    }

    private static async Task<(int Status, string Text)> SendAsync(HttpClient client, HttpMethod method, string path, string? body)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }

        using var response = await client.SendAsync(request);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>A client shaped like anchore-cli's: Basic authentication, <c>Accept: */*</c>, no other header.</summary>
    private static HttpClient AnchoreCli(WebApplicationFactory<Program> factory)
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Accept.Clear();
        client.DefaultRequestHeaders.Accept.ParseAdd("*/*");
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("admin:foobar")));
        return client;
    }

    private WebApplicationFactory<Program> SampleServer() => new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
    {
        web.UseEnvironment("Development");
        web.UseSetting("RegistryServer:Database", Path.Combine(_directory, "registries.db"));
        web.ConfigureServices(services => services.Configure<SecretProtectionOptions>(o =>
        {
            o.Key = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
            o.KeyFile = Path.Combine(_directory, "secret.key");
        }));
    });
}
