using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using RegistryCredentials.AspNetCore.Tests.Support;
using RegistryCredentials.Tests.Support.PostgreSql;

namespace RegistryCredentials.AspNetCore.Tests;

/// <summary>
/// <c>samples/RegistryServer</c> in Production, as its own process on HTTPS: JWT bearer tokens signed by a key made for
/// this run, the account from a configurable claim, health at <c>/healthz</c> on SQLite and PostgreSQL.
/// </summary>
[NonParallelizable]
public class ProductionServerTests
{
    private string _directory = null!;
    private TestTokenIssuer _issuer = null!;

    [SetUp]
    public void SetUp()
    {
        _directory = Directory.CreateTempSubdirectory("rc-prod-").FullName;
        _issuer = new TestTokenIssuer(_directory);
        File.WriteAllText(KeyFile, AesGcmSecretProtector.GenerateKey());
    }

    [TearDown]
    public void TearDown()
    {
        _issuer.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private static readonly object Acme = new { registry = "docker.io/acme/*", registry_user = "ci", registry_pass = "pw" };

    private string KeyFile => Path.Combine(_directory, "secret.key");

    private Dictionary<string, string> Settings(string accountClaim = "sub") => new()
    {
        ["RegistryServer:Database"] = Path.Combine(_directory, "registries.db"),
        ["RegistryServer:AccountClaim"] = accountClaim,
        ["RegistryServer:SecretKey:KeyFile"] = KeyFile,
        ["RegistryServer:Jwt:SigningKeyFiles:0"] = _issuer.PublicKeyPath,
        ["Authentication:Schemes:Bearer:ValidIssuer"] = TestTokenIssuer.Issuer,
        ["Authentication:Schemes:Bearer:ValidAudience"] = TestTokenIssuer.Audience,
    };

    [Test]
    public async Task Without_a_valid_token_the_api_answers_401_and_with_one_200()
    {
        await using var server = await ServerProcess.StartAsync(_directory, Settings());
        Assert.That(server.BaseAddress.Scheme, Is.EqualTo("https"));

        using (var anonymous = server.CreateClient())
        {
            Assert.That((await anonymous.GetAsync("/registries")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That((await anonymous.GetAsync("/registries-ui")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        }

        using var alice = server.CreateClient(_issuer.Issue("alice"));
        var created = await alice.PostAsJsonAsync("/registries?validate=false", Acme);
        Assert.That((await created.ExpectAsync(201))[0].GetProperty("userId").GetString(), Is.EqualTo("alice"));
        Assert.That((await (await alice.GetAsync("/registries")).ExpectAsync(200)).GetArrayLength(), Is.EqualTo(1));

        // Tokens the server must not accept: another audience, another issuer, expired, signed by another key, unsigned.
        using var otherKey = RSA.Create(2048);
        var now = TimeProvider.System.GetUtcNow().ToUnixTimeSeconds();
        string[] refused =
        [
            _issuer.Issue("alice", new Dictionary<string, object?> { ["aud"] = "another-service" }),
            _issuer.Issue("alice", new Dictionary<string, object?> { ["iss"] = "https://another-issuer.invalid/" }),
            _issuer.Issue("alice", new Dictionary<string, object?> { ["exp"] = now - 600, ["nbf"] = now - 1200, ["iat"] = now - 1200 }),
            _issuer.Issue("alice", new Dictionary<string, object?> { ["exp"] = null }),
            TestTokenIssuer.Sign(otherKey, new Dictionary<string, object?>
            {
                ["iss"] = TestTokenIssuer.Issuer, ["aud"] = TestTokenIssuer.Audience, ["sub"] = "alice", ["exp"] = now + 600,
            }),
            Unsigned(_issuer.Issue("alice")),
        ];
        foreach (var token in refused)
        {
            using var client = server.CreateClient(token);
            Assert.That((await client.GetAsync("/registries")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), token);
        }

        // Nothing the refused requests did changed alice's entry.
        var list = await (await alice.GetAsync("/registries")).ExpectAsync(200);
        Assert.That(list.EnumerateArray().Select(e => e.GetProperty("registry").GetString()), Is.EqualTo(new[] { "docker.io/acme/*" }));
    }

    [Test]
    public async Task The_account_comes_from_the_configured_claim()
    {
        await using var server = await ServerProcess.StartAsync(_directory, Settings(accountClaim: "tenant"));
        using var teamA = server.CreateClient(_issuer.Issue("alice", new Dictionary<string, object?> { ["tenant"] = "team-a" }));
        var created = await teamA.PostAsJsonAsync("/registries?validate=false", Acme);
        Assert.That((await created.ExpectAsync(201))[0].GetProperty("userId").GetString(), Is.EqualTo("team-a"));

        // Another tenant does not see team-a's entry; a token without the claim has no account (403), and changes nothing.
        using var teamB = server.CreateClient(_issuer.Issue("alice", new Dictionary<string, object?> { ["tenant"] = "team-b" }));
        Assert.That((await (await teamB.GetAsync("/registries")).ExpectAsync(200)).GetArrayLength(), Is.Zero);
        using var noTenant = server.CreateClient(_issuer.Issue("alice"));
        Assert.That((await noTenant.GetAsync("/registries")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        var other = new { registry = "docker.io/other", registry_user = "u", registry_pass = "p" };
        Assert.That((await noTenant.PostAsJsonAsync("/registries?validate=false", other)).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That((await (await teamA.GetAsync("/registries")).ExpectAsync(200)).GetArrayLength(), Is.EqualTo(1));
    }

    [Test]
    public async Task Acting_as_another_account_needs_the_configured_role_and_never_the_development_user_name()
    {
        var settings = Settings();
        settings["RegistryServer:ActAsAccountRole"] = "registry-admin";
        await using var server = await ServerProcess.StartAsync(_directory, settings);
        using var alice = server.CreateClient(_issuer.Issue("alice"));
        await (await alice.PostAsJsonAsync("/registries?validate=false", Acme)).ExpectAsync(201);

        // A JWT whose subject is the development user's name, or a user without the role, is refused (403) and sees nothing.
        foreach (var caller in new[] { "developer", "mallory" })
        {
            using var client = server.CreateClient(_issuer.Issue(caller));
            client.DefaultRequestHeaders.Add("x-anchore-account", "alice");
            Assert.That((await client.GetAsync("/registries")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), caller);
            Assert.That((await client.DeleteAsync("/registries/docker.io%2Facme%2F%2A")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), caller);
        }

        // A caller whose token carries the role acts as alice.
        using var admin = server.CreateClient(_issuer.Issue("root", new Dictionary<string, object?> { ["roles"] = new[] { "registry-admin" } }));
        admin.DefaultRequestHeaders.Add("x-anchore-account", "alice");
        var list = await (await admin.GetAsync("/registries")).ExpectAsync(200);
        Assert.That(list.EnumerateArray().Select(e => e.GetProperty("userId").GetString()), Is.EqualTo(new[] { "alice" }));
        Assert.That((await (await alice.GetAsync("/registries")).ExpectAsync(200)).GetArrayLength(), Is.EqualTo(1));
    }

    [Test]
    public async Task Health_is_green_on_sqlite_and_red_when_the_secret_key_is_missing()
    {
        await using (var server = await ServerProcess.StartAsync(_directory, Settings()))
        {
            using var client = server.CreateClient();
            var (status, health) = await HealthAsync(client);
            Assert.That(status, Is.EqualTo(HttpStatusCode.OK), health.ToString());
            var green = new Dictionary<string, string> { ["store"] = "Healthy", ["schema"] = "Healthy", ["secret-key"] = "Healthy" };
            Assert.That(Checks(health), Is.EqualTo(green));
        }

        File.Delete(KeyFile);
        await using (var server = await ServerProcess.StartAsync(_directory, Settings()))
        {
            using var client = server.CreateClient();
            var (status, health) = await HealthAsync(client);
            Assert.That(status, Is.EqualTo(HttpStatusCode.ServiceUnavailable), health.ToString());
            Assert.That(Checks(health)["secret-key"], Is.EqualTo("Unhealthy"));
            Assert.That(Checks(health)["store"], Is.EqualTo("Healthy"));
            Assert.That(health.ToString(), Does.Not.Contain(_directory), "the anonymous health body names no path or error");

            // Production never makes itself a new key beside a store whose secrets are under the lost one.
            Assert.That(File.Exists(KeyFile), Is.False);
        }
    }

    [Test]
    public async Task Health_on_postgresql_is_green_then_red_when_the_database_is_gone()
    {
        var postgres = await PostgreSqlServer.GetAsync();
        var database = await postgres.CreateDatabaseAsync();
        var settings = Settings();
        settings["RegistryServer:Store"] = "PostgreSql";
        settings["ConnectionStrings:RegistryCredentials"] = postgres.ConnectionString(database);
        await using var server = await ServerProcess.StartAsync(_directory, settings);
        using var client = server.CreateClient(_issuer.Issue("alice"));

        var (status, health) = await HealthAsync(client);
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), health.ToString());
        await (await client.PostAsJsonAsync("/registries?validate=false", Acme)).ExpectAsync(201);
        Assert.That(await postgres.ScalarAsync<long>("SELECT count(*) FROM registry_credentials.entries", database), Is.EqualTo(1));

        await postgres.ExecuteAsync($"DROP DATABASE {database} WITH (FORCE)", "postgres");

        (status, health) = await HealthAsync(client);
        Assert.That(status, Is.EqualTo(HttpStatusCode.ServiceUnavailable), health.ToString());
        Assert.That(Checks(health)["store"], Is.EqualTo("Unhealthy"));
        Assert.That(health.GetProperty("checks").GetProperty("store").GetProperty("description").GetString(), Is.EqualTo("unreachable"));
        Assert.That(server.Output, Does.Contain("store"), "the failure is logged with its exception");
    }

    [Test]
    public async Task Health_reports_a_schema_written_by_a_newer_version()
    {
        var postgres = await PostgreSqlServer.GetAsync();
        var database = await postgres.CreateDatabaseAsync();
        var settings = Settings();
        settings["RegistryServer:Store"] = "PostgreSql";
        settings["ConnectionStrings:RegistryCredentials"] = postgres.ConnectionString(database);
        await using (var server = await ServerProcess.StartAsync(_directory, settings))
        {
            using var client = server.CreateClient();
            Assert.That((await HealthAsync(client)).Status, Is.EqualTo(HttpStatusCode.OK));
        }

        await postgres.ExecuteAsync("INSERT INTO registry_credentials.schema_version (version, description) VALUES (999, 'from the future')", database);
        await using (var server = await ServerProcess.StartAsync(_directory, settings))
        {
            using var client = server.CreateClient();
            var (status, health) = await HealthAsync(client);
            Assert.That(status, Is.EqualTo(HttpStatusCode.ServiceUnavailable), health.ToString());
            Assert.That(Checks(health)["schema"], Is.EqualTo("Unhealthy"));
            Assert.That(health.GetProperty("checks").GetProperty("schema").GetProperty("description").GetString(), Does.Contain("newer"));
        }

        Assert.That(await postgres.ScalarAsync<int>("SELECT max(version) FROM registry_credentials.schema_version", database), Is.EqualTo(999),
            "the older server left the newer schema alone");
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> HealthAsync(HttpClient client)
    {
        using var response = await client.GetAsync("/healthz");
        return (response.StatusCode, await response.JsonAsync());
    }

    private static Dictionary<string, string> Checks(JsonElement health) =>
        health.GetProperty("checks").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetProperty("status").GetString()!);

    /// <summary>The same claims with <c>alg: none</c> and no signature (RFC 7519 §6 unsecured JWT).</summary>
    private static string Unsigned(string token)
    {
        var parts = token.Split('.');
        var header = Convert.ToBase64String("{\"alg\":\"none\",\"typ\":\"JWT\"}"u8.ToArray()).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return header + "." + parts[1] + ".";
    }
}
