using System.Net.Http.Headers;
using System.Text;
using RegistryCredentials.AspNetCore.Tests.Support;

namespace RegistryCredentials.AspNetCore.Tests;

/// <summary>
/// What the API refuses at its edge: text that is not valid UTF-8, a password over 64 KiB, a body over 1 MiB. Each
/// is a problem naming the field (or the body), and the store is left exactly as it was.
/// </summary>
public class InputLimitsTests
{
    private ApiHost _host = null!;
    private HttpClient _alice = null!;
    private string _kept = null!;

    [SetUp]
    public async Task SetUp()
    {
        _host = await ApiHost.StartAsync();
        _alice = _host.Client("alice");
        _kept = "pw-" + Guid.NewGuid().ToString("N");
        await (await _alice.AddAsync("docker.io/acme/*", _kept)).ExpectAsync(201);
    }

    [TearDown]
    public async Task TearDown()
    {
        _alice.Dispose();
        await _host.DisposeAsync();
    }

    // Raw UTF-8 bytes, so that the test can put bytes in the body that no .NET string can hold.
    private static byte[] Body(params object[] parts) =>
        [.. parts.SelectMany(p => p is byte[] bytes ? bytes : Encoding.UTF8.GetBytes((string)p))];

    [TestCase("registry_user", "POST")]
    [TestCase("registry_pass", "POST")]
    [TestCase("registry_name", "POST")]
    [TestCase("registry_user", "PUT")]
    [TestCase("registry_pass", "PUT")]
    public async Task Invalid_UTF_8_in_a_field_is_400_naming_the_field_and_stores_nothing(string field, string method)
    {
        var before = await _host.SnapshotAsync();
        var fields = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["registry_user"] = "ci",
            ["registry_pass"] = "pw-new",
            ["registry_name"] = "Team",
        };

        // 0xC3 0x28 is a truncated two-byte sequence; 0xFF never occurs in UTF-8.
        fields[field] = Body("ab", new byte[] { 0xC3, 0x28, 0xFF }, "cd");
        var body = Body(
            method == "POST" ? "{\"registry\":\"quay.io/acme\"," : "{",
            "\"registry_user\":\"", fields["registry_user"], "\",",
            "\"registry_pass\":\"", fields["registry_pass"], "\",",
            "\"registry_name\":\"", fields["registry_name"], "\"}");

        var response = await SendAsync(method, body);

        var problem = await response.ExpectAsync(400, RegistryProblemTypes.InvalidField);
        Assert.Multiple(async () =>
        {
            Assert.That(problem.GetProperty("field").GetString(), Is.EqualTo(field));
            Assert.That(problem.GetProperty("detail").GetString(), Does.Contain("UTF-8"));
            Assert.That(await _host.SnapshotAsync(), Is.EqualTo(before));
            Assert.That(await _host.StoredPasswordAsync("acme/app"), Is.EqualTo(_kept));
        });
    }

    [TestCase("POST")]
    [TestCase("PUT")]
    public async Task An_escaped_unpaired_surrogate_is_400_naming_the_field_and_stores_nothing(string method)
    {
        var before = await _host.SnapshotAsync();
        var body = Body(method == "POST" ? "{\"registry\":\"quay.io/acme\",\"registry_user\":\"ci\"," : "{", "\"registry_pass\":\"pw-\\ud800-x\"}");

        var problem = await (await SendAsync(method, body)).ExpectAsync(400, RegistryProblemTypes.InvalidField);

        Assert.That(problem.GetProperty("field").GetString(), Is.EqualTo("registry_pass"));
        Assert.That(await _host.SnapshotAsync(), Is.EqualTo(before));
    }

    [TestCase("POST")]
    [TestCase("PUT")]
    public async Task A_password_over_64_KiB_is_400_naming_registry_pass_and_stores_nothing(string method)
    {
        var before = await _host.SnapshotAsync();
        var password = new string('k', RegistryEntryLimits.MaxPasswordBytes + 1);
        var body = Body(method == "POST" ? "{\"registry\":\"quay.io/acme\",\"registry_user\":\"ci\"," : "{", "\"registry_pass\":\"", password, "\"}");

        var problem = await (await SendAsync(method, body)).ExpectAsync(400, RegistryProblemTypes.InvalidField);

        Assert.Multiple(async () =>
        {
            Assert.That(problem.GetProperty("field").GetString(), Is.EqualTo("registry_pass"));
            Assert.That(problem.GetProperty("problem").GetString(), Is.EqualTo("TooLarge"));
            Assert.That(problem.GetProperty("detail").GetString(), Does.Contain("64 KiB"));
            Assert.That(await _host.SnapshotAsync(), Is.EqualTo(before));
            Assert.That(await _host.StoredPasswordAsync("acme/app"), Is.EqualTo(_kept));
        });
    }

    [Test]
    public async Task A_password_of_exactly_64_KiB_is_stored()
    {
        var password = new string('k', RegistryEntryLimits.MaxPasswordBytes);
        var body = Body("{\"registry_pass\":\"", password, "\"}");

        await (await SendAsync("PUT", body)).ExpectAsync(200);

        Assert.That(await _host.StoredPasswordAsync("acme/app"), Is.EqualTo(password));
    }

    [Test]
    public async Task A_body_over_1_MiB_is_413_and_stores_nothing()
    {
        var before = await _host.SnapshotAsync();
        var body = Body("{\"registry_name\":\"", new string('n', 1024 * 1024), "\"}");

        await (await SendAsync("PUT", body)).ExpectAsync(413, RegistryProblemTypes.InvalidBody);

        Assert.That(await _host.SnapshotAsync(), Is.EqualTo(before));
    }

    [Test]
    public async Task A_chunked_body_over_1_MiB_is_413_on_Kestrel_and_stores_nothing()
    {
        // Kestrel on loopback, and a body sent without Content-Length: the limit applies while reading.
        await using var kestrel = await ApiHost.StartAsync(o => o.Kestrel = true);
        using var client = kestrel.Client("alice");
        await (await client.AddAsync("docker.io/acme/*", _kept)).ExpectAsync(201);
        var before = await kestrel.SnapshotAsync();
        var content = new StreamContent(new MemoryStream(Body("{\"registry_name\":\"", new string('n', 2 * 1024 * 1024), "\"}")));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Put, "/registries/docker.io%2Facme%2F%2A?validate=false") { Content = content };
        request.Headers.TransferEncodingChunked = true;

        await (await client.SendAsync(request)).ExpectAsync(413, RegistryProblemTypes.InvalidBody);

        Assert.That(await kestrel.SnapshotAsync(), Is.EqualTo(before));
    }

    private async Task<HttpResponseMessage> SendAsync(string method, byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var uri = method == "POST" ? "/registries?validate=false" : "/registries/docker.io%2Facme%2F%2A?validate=false";
        using var request = new HttpRequestMessage(new HttpMethod(method), uri) { Content = content };
        return await _alice.SendAsync(request);
    }
}
