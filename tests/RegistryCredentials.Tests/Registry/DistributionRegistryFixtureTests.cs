using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using RegistryCredentials.Tests.Support.Registry;

namespace RegistryCredentials.Tests.Registry;

/// <summary>Proves the real-peer fixtures (distribution registry, token server, certificates) with a raw HttpClient only.</summary>
[Category("RealRegistry")]
public class DistributionRegistryFixtureTests
{
    private static readonly RegistryMode[] AllModes = Enum.GetValues<RegistryMode>();

    [TestCaseSource(nameof(AllModes))]
    public async Task Every_mode_starts_answers_v2_and_serves_the_pushed_image(RegistryMode mode)
    {
        await using var registry = await DistributionRegistry.StartAsync(mode);

        Assert.Multiple(() =>
        {
            Assert.That(registry.Mode, Is.EqualTo(mode));
            Assert.That(registry.Registry, Does.StartWith("127.0.0.1:"));
            Assert.That(registry.BaseUri.Scheme, Is.EqualTo(registry.IsTls ? "https" : "http"));
            Assert.That(registry.HasImage, Is.True);
            Assert.That(Directory.Exists(registry.DirectoryPath), Is.True);
        });
        TestContext.Out.WriteLine($"{mode}: registry answered /v2/ after {registry.StartupTime.TotalMilliseconds:F0} ms");
    }

    [Test]
    public async Task Dispose_stops_the_registry_and_deletes_its_folder()
    {
        var registry = await DistributionRegistry.StartAsync(RegistryMode.PlainHttp, pushImage: false);
        var directory = registry.DirectoryPath;
        var v2 = new Uri(registry.BaseUri, "v2/");
        await registry.DisposeAsync();

        using var client = new HttpClient();
        Assert.Multiple(() =>
        {
            Assert.That(Directory.Exists(directory), Is.False);
            Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync(v2));
        });
    }

    [Test]
    public async Task Htpasswd_over_TLS_challenges_Basic_and_accepts_the_credential()
    {
        await using var registry = await DistributionRegistry.StartAsync(RegistryMode.HtpasswdTls);
        using var client = registry.CreateHttpClient();

        using var anonymous = await client.GetAsync("v2/");
        Assert.Multiple(() =>
        {
            Assert.That(anonymous.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(anonymous.Headers.WwwAuthenticate.Single().Scheme, Is.EqualTo("Basic"));
            Assert.That(anonymous.Headers.WwwAuthenticate.Single().Parameter, Is.EqualTo("realm=\"registry-credentials-test\""));
            Assert.That(anonymous.Headers.GetValues("Docker-Distribution-API-Version").Single(), Is.EqualTo("registry/2.0"));
        });

        using var wrong = await SendAsync(client, "v2/", DistributionRegistry.BasicAuthorization(registry.Username, "not-the-password"));
        using var unknown = await SendAsync(client, "v2/", DistributionRegistry.BasicAuthorization("nobody", registry.Password));
        using var right = await SendAsync(client, "v2/", registry.BasicAuthorization());
        Assert.Multiple(() =>
        {
            Assert.That(wrong.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(unknown.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(right.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(registry.CaPem, Does.StartWith("-----BEGIN CERTIFICATE-----"));
        });
    }

    [Test]
    public async Task Htpasswd_registry_serves_the_manifest_and_the_blob()
    {
        await using var registry = await DistributionRegistry.StartAsync(RegistryMode.HtpasswdTls);
        using var client = registry.CreateHttpClient();
        await AssertImageAsync(client, registry, registry.BasicAuthorization());
    }

    [Test]
    public async Task Token_mode_challenges_Bearer_and_accepts_a_token_from_the_token_server()
    {
        await using var registry = await DistributionRegistry.StartAsync(RegistryMode.TokenTls);
        var token = registry.Token!;
        using var client = registry.CreateHttpClient();

        using var anonymous = await client.GetAsync("v2/");
        var challenge = anonymous.Headers.WwwAuthenticate.Single();
        Assert.Multiple(() =>
        {
            Assert.That(anonymous.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(challenge.Scheme, Is.EqualTo("Bearer"));
            Assert.That(challenge.Parameter, Is.EqualTo($"realm=\"{token.Realm.AbsoluteUri}\",service=\"{token.Service}\""));
        });

        using var repositoryChallenge = await client.GetAsync($"v2/{registry.Repository}/manifests/{registry.Tag}");
        Assert.That(
            repositoryChallenge.Headers.WwwAuthenticate.Single().Parameter,
            Is.EqualTo($"realm=\"{token.Realm.AbsoluteUri}\",service=\"{token.Service}\",scope=\"repository:{registry.Repository}:pull\""));

        token.ResetRequests();
        var v2Token = await GetTokenAsync(client, token, registry.Username, registry.Password, scope: null);
        using var withToken = await SendAsync(client, "v2/", new AuthenticationHeaderValue("Bearer", v2Token));
        using var withBasic = await SendAsync(client, "v2/", registry.BasicAuthorization());
        Assert.Multiple(() =>
        {
            Assert.That(withToken.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(withBasic.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(token.RequestCount, Is.EqualTo(1));
            Assert.That(token.Requests.Single().HasAuthorization, Is.True);
            Assert.That(token.Requests.Single().Username, Is.EqualTo(registry.Username));
        });

        var pullToken = await GetTokenAsync(client, token, registry.Username, registry.Password, $"repository:{registry.Repository}:pull");
        await AssertImageAsync(client, registry, new AuthenticationHeaderValue("Bearer", pullToken));
    }

    [Test]
    public async Task Token_mode_refuses_a_token_without_the_scope_from_another_issuer_expired_or_signed_by_another_key()
    {
        await using var registry = await DistributionRegistry.StartAsync(RegistryMode.TokenTls);
        var token = registry.Token!;
        using var client = registry.CreateHttpClient();
        var manifest = $"v2/{registry.Repository}/manifests/{registry.Tag}";

        var v2Only = await GetTokenAsync(client, token, registry.Username, registry.Password, scope: null);
        using var insufficient = await SendAsync(client, manifest, new AuthenticationHeaderValue("Bearer", v2Only));
        var foreign = token.CreateToken(registry.Username, [new TokenAccess("repository", registry.Repository, ["pull"])], issuer: "someone-else");
        using var untrusted = await SendAsync(client, manifest, new AuthenticationHeaderValue("Bearer", foreign));
        var expired = token.CreateToken(registry.Username, [new TokenAccess("repository", registry.Repository, ["pull"])], lifetime: TimeSpan.FromMinutes(-5));
        using var late = await SendAsync(client, manifest, new AuthenticationHeaderValue("Bearer", expired));
        using var otherCertificates = TestCertificates.Create();
        await using var otherSigner = await TokenServer.StartAsync(otherCertificates);
        var unsigned = otherSigner.CreateToken(registry.Username, [new TokenAccess("repository", registry.Repository, ["pull"])]);
        using var otherKey = await SendAsync(client, manifest, new AuthenticationHeaderValue("Bearer", unsigned));

        Assert.Multiple(() =>
        {
            Assert.That(insufficient.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(insufficient.Headers.WwwAuthenticate.Single().Parameter, Does.Contain("error=\"insufficient_scope\""));
            Assert.That(untrusted.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(untrusted.Headers.WwwAuthenticate.Single().Parameter, Does.Contain("error=\"invalid_token\""));
            Assert.That(late.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(otherKey.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        });
    }

    [Test]
    public async Task Token_server_checks_the_credential_and_grants_anonymous_nothing_by_default()
    {
        await using var token = await TokenServer.StartAsync();
        token.AddUser("alice", "alice-secret-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(4)));
        using var client = new HttpClient(token.Certificates.CreateTrustingHandler());
        var url = new Uri(token.Realm, $"?service={token.Service}&scope=repository:test/app:pull,push");

        using var bad = await SendAsync(client, url.AbsoluteUri, DistributionRegistry.BasicAuthorization("alice", "wrong"));
        using var anonymous = await client.GetAsync(url);
        var body = await anonymous.Content.ReadFromJsonAsync<JsonElement>();
        var claims = DecodeClaims(body.GetProperty("token").GetString()!);

        Assert.Multiple(() =>
        {
            Assert.That(bad.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(anonymous.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(body.GetProperty("access_token").GetString(), Is.EqualTo(body.GetProperty("token").GetString()));
            Assert.That(body.GetProperty("expires_in").GetInt32(), Is.EqualTo(300));
            Assert.That(
                DateTimeOffset.Parse(body.GetProperty("issued_at").GetString()!, System.Globalization.CultureInfo.InvariantCulture),
                Is.EqualTo(DateTimeOffset.UtcNow).Within(TimeSpan.FromMinutes(1)));
            Assert.That(claims.GetProperty("sub").GetString(), Is.Empty);
            Assert.That(claims.GetProperty("access").GetArrayLength(), Is.Zero);
            Assert.That(token.RequestCount, Is.EqualTo(2));
            Assert.That(token.Requests.Select(r => r.HasAuthorization), Is.EqualTo(new[] { true, false }));
        });

        token.AllowAnonymousPull = true;
        using var pull = await client.GetAsync(url);
        var pullClaims = DecodeClaims((await pull.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!);
        Assert.That(pullClaims.GetProperty("access")[0].GetProperty("actions").EnumerateArray().Select(a => a.GetString()), Is.EqualTo(new[] { "pull" }));
    }

    [Test]
    public async Task Token_server_speaks_the_OAuth2_form_with_refresh_tokens()
    {
        await using var token = await TokenServer.StartAsync();
        var password = "pw-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(8));
        token.AddUser("bob", password);
        token.RequireOAuthPost = true;
        using var client = new HttpClient(token.Certificates.CreateTrustingHandler());

        using var get = await SendAsync(client, token.Realm.AbsoluteUri, DistributionRegistry.BasicAuthorization("bob", password));
        using var passwordGrant = await client.PostAsync(token.Realm, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "password",
            ["service"] = token.Service,
            ["client_id"] = "registry-credentials-tests",
            ["access_type"] = "offline",
            ["scope"] = "repository:test/app:pull",
            ["username"] = "bob",
            ["password"] = password,
        }));
        var granted = await passwordGrant.Content.ReadFromJsonAsync<JsonElement>();
        using var refreshGrant = await client.PostAsync(token.Realm, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["service"] = token.Service,
            ["client_id"] = "registry-credentials-tests",
            ["scope"] = "repository:test/app:pull",
            ["refresh_token"] = granted.GetProperty("refresh_token").GetString()!,
        }));
        using var badGrant = await client.PostAsync(token.Realm, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "password",
            ["client_id"] = "registry-credentials-tests",
            ["username"] = "bob",
            ["password"] = "wrong",
        }));
        var refreshed = await refreshGrant.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Multiple(() =>
        {
            Assert.That(get.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(passwordGrant.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(granted.GetProperty("scope").GetString(), Is.EqualTo("repository:test/app:pull"));
            Assert.That(DecodeClaims(granted.GetProperty("access_token").GetString()!).GetProperty("sub").GetString(), Is.EqualTo("bob"));
            Assert.That(refreshGrant.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(refreshed.TryGetProperty("refresh_token", out _), Is.False);
            Assert.That(DecodeClaims(refreshed.GetProperty("access_token").GetString()!).GetProperty("sub").GetString(), Is.EqualTo("bob"));
            Assert.That(badGrant.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(token.Requests.Select(r => r.GrantType), Is.EqualTo(new string?[] { null, "password", "refresh_token", "password" }));
        });
    }

    [Test]
    public async Task Token_server_faults_spoil_the_answer()
    {
        await using var token = await TokenServer.StartAsync();
        var password = "pw-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(8));
        token.AddUser("carol", password);
        using var client = new HttpClient(token.Certificates.CreateTrustingHandler());
        var authorization = DistributionRegistry.BasicAuthorization("carol", password);
        var url = token.Realm.AbsoluteUri + "?service=" + token.Service;

        token.Fault = TokenServerFault.MissingToken;
        using var missing = await SendAsync(client, url, authorization);
        var missingBody = await missing.Content.ReadFromJsonAsync<JsonElement>();
        token.Fault = TokenServerFault.BadJson;
        using var badJson = await SendAsync(client, url, authorization);
        var badJsonBody = await badJson.Content.ReadAsStringAsync();
        token.Fault = TokenServerFault.HugeBody;
        using var huge = await SendAsync(client, url, authorization);
        var hugeBody = await huge.Content.ReadAsByteArrayAsync();
        token.Fault = TokenServerFault.None;
        token.StatusOverride = HttpStatusCode.InternalServerError;
        using var failed = await SendAsync(client, url, authorization);

        Assert.Multiple(() =>
        {
            Assert.That(missing.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(missingBody.TryGetProperty("token", out _) || missingBody.TryGetProperty("access_token", out _), Is.False);
            Assert.That(badJson.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
            Assert.That(() => JsonDocument.Parse(badJsonBody), Throws.InstanceOf<JsonException>());
            Assert.That(hugeBody, Has.Length.GreaterThan(1024 * 1024));
            Assert.That(failed.StatusCode, Is.EqualTo(HttpStatusCode.InternalServerError));
            Assert.That(token.RequestCount, Is.EqualTo(4));
        });
    }

    [Test]
    public async Task Plain_HTTP_answers_v2_and_serves_the_image_without_credentials()
    {
        await using var registry = await DistributionRegistry.StartAsync(RegistryMode.PlainHttp);
        using var client = registry.CreateHttpClient();

        using var v2 = await client.GetAsync("v2/");
        Assert.Multiple(() =>
        {
            Assert.That(registry.BaseUri.Scheme, Is.EqualTo("http"));
            Assert.That(registry.CaPem, Is.Null);
            Assert.That(v2.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(v2.Headers.GetValues("Docker-Distribution-API-Version").Single(), Is.EqualTo("registry/2.0"));
        });
        await AssertImageAsync(client, registry, authorization: null);
    }

    [Test]
    public async Task Plain_HTTP_with_htpasswd_challenges_Basic()
    {
        await using var registry = await DistributionRegistry.StartAsync(RegistryMode.PlainHttpHtpasswd, pushImage: false);
        using var client = registry.CreateHttpClient();

        using var anonymous = await client.GetAsync("v2/");
        using var right = await SendAsync(client, "v2/", registry.BasicAuthorization());
        Assert.Multiple(() =>
        {
            Assert.That(anonymous.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(anonymous.Headers.WwwAuthenticate.Single().Scheme, Is.EqualTo("Basic"));
            Assert.That(right.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        });
    }

    [TestCase(RegistryMode.ExpiredTls)]
    [TestCase(RegistryMode.WrongNameTls)]
    [TestCase(RegistryMode.UntrustedTls)]
    public async Task Broken_TLS_modes_fail_the_handshake_of_a_client_that_trusts_the_CA(RegistryMode mode)
    {
        await using var registry = await DistributionRegistry.StartAsync(mode, pushImage: false);
        using var client = registry.CreateHttpClient();

        var error = Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync("v2/"));
        Assert.That(error!.HttpRequestError, Is.EqualTo(HttpRequestError.SecureConnectionError));
    }

    [Test]
    public async Task The_CA_trusts_the_TLS_registry_and_the_token_server()
    {
        await using var registry = await DistributionRegistry.StartAsync(RegistryMode.TlsNoAuth, pushImage: false);
        await using var token = await TokenServer.StartAsync();
        using var client = registry.CreateHttpClient();
        using var system = new HttpClient();

        using var v2 = await client.GetAsync("v2/");
        using var realm = await client.GetAsync(token.Realm);
        Assert.Multiple(() =>
        {
            Assert.That(v2.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(realm.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(registry.Certificates.CaPem, Does.Contain("BEGIN CERTIFICATE"));
            Assert.ThrowsAsync<HttpRequestException>(() => system.GetAsync(new Uri(registry.BaseUri, "v2/")));
        });
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, string url, AuthenticationHeaderValue? authorization, string? accept = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Authorization = authorization;
        if (accept is not null)
        {
            request.Headers.Accept.ParseAdd(accept);
        }

        return await client.SendAsync(request);
    }

    private static async Task<string> GetTokenAsync(HttpClient client, TokenServer token, string username, string password, string? scope)
    {
        var url = token.Realm.AbsoluteUri
            + "?service="
            + Uri.EscapeDataString(token.Service)
            + (scope is null ? string.Empty : "&scope=" + Uri.EscapeDataString(scope));
        using var response = await SendAsync(client, url, DistributionRegistry.BasicAuthorization(username, password));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return body.GetProperty("token").GetString()!;
    }

    private static JsonElement DecodeClaims(string jwt)
    {
        var parts = jwt.Split('.');
        Assert.That(parts, Has.Length.EqualTo(3));
        return JsonDocument.Parse(System.Buffers.Text.Base64Url.DecodeFromChars(parts[1])).RootElement.Clone();
    }

    private static async Task AssertImageAsync(HttpClient client, DistributionRegistry registry, AuthenticationHeaderValue? authorization)
    {
        using var manifest = await SendAsync(client, $"v2/{registry.Repository}/manifests/{registry.Tag}", authorization, registry.ManifestMediaType);
        var manifestBytes = await manifest.Content.ReadAsByteArrayAsync();
        using var byDigest = await SendAsync(
            client,
            $"v2/{registry.Repository}/manifests/{registry.ManifestDigest}",
            authorization,
            registry.ManifestMediaType);
        using var blob = await SendAsync(client, $"v2/{registry.Repository}/blobs/{registry.LayerDigest}", authorization);
        var blobBytes = await blob.Content.ReadAsByteArrayAsync();
        using var config = await SendAsync(client, $"v2/{registry.Repository}/blobs/{registry.ConfigDigest}", authorization);

        Assert.Multiple(() =>
        {
            Assert.That(manifest.StatusCode, Is.EqualTo(HttpStatusCode.OK), registry.Output);
            Assert.That(manifest.Content.Headers.ContentType?.MediaType, Is.EqualTo(registry.ManifestMediaType));
            Assert.That(manifest.Headers.GetValues("Docker-Content-Digest").Single(), Is.EqualTo(registry.ManifestDigest));
            Assert.That("sha256:" + Convert.ToHexStringLower(SHA256.HashData(manifestBytes)), Is.EqualTo(registry.ManifestDigest));
            Assert.That(manifestBytes, Is.EqualTo(registry.ManifestBytes));
            Assert.That(Encoding.UTF8.GetString(manifestBytes), Does.Contain(registry.LayerDigest));
            Assert.That(byDigest.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(blob.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(blobBytes, Is.EqualTo(registry.LayerBytes));
            Assert.That("sha256:" + Convert.ToHexStringLower(SHA256.HashData(blobBytes)), Is.EqualTo(registry.LayerDigest));
            Assert.That(config.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        });
    }
}
