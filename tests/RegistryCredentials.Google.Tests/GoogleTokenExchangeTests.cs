using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Moq;
using RegistryCredentials.Google.Tests.Support;
using RegistryCredentials.Tests.Support;
using RegistryCredentials.Tests.Support.Registry;

namespace RegistryCredentials.Google.Tests;

/// <summary>
/// <see cref="GoogleOptions.ExchangeForAccessToken"/>: the key goes through Google.Apis.Auth's service-account JWT flow to
/// a local OAuth endpoint that verifies the assertion; the token is cached, refreshed ahead, and never handed out within
/// 10 s of its expiry. The library's clock is the host's <c>FakeTimeProvider</c>.
/// </summary>
public class GoogleTokenExchangeTests
{
    private const string Scope = "us-docker.pkg.dev/acme-project/*";
    private const string Image = "us-docker.pkg.dev/acme-project/repo/app:1";
    private FakeGoogleOAuthServer _oauth = null!;
    private TestServiceAccount _account = null!;
    private TestHost _host = null!;

    [OneTimeSetUp]
    public async Task OneTimeSetUp()
    {
        _oauth = await FakeGoogleOAuthServer.StartAsync();
        _account = TestServiceAccount.Create(_oauth.TokenUri);
        _oauth.Trust(_account);
    }

    [OneTimeTearDown]
    public async Task OneTimeTearDown()
    {
        await _oauth.DisposeAsync();
        _account.Dispose();
    }

    [SetUp]
    public void SetUp()
    {
        _oauth.ResetCounts();
        _oauth.ExpiresIn = 3600;
        _oauth.FailWithStatus = null;
        _oauth.Delay = TimeSpan.Zero;
        _oauth.ExpectedScope = GoogleOptions.DefaultScope;
        _host = GoogleHosts.Create(o => o.ExchangeForAccessToken = true);
        _oauth.Clock = _host.Time.GetUtcNow;
    }

    [TearDown]
    public void TearDown()
    {
        _host.Dispose();
        Assert.That(_oauth.Rejections, Is.Empty, "the OAuth endpoint refused an assertion");
    }

    private Task<RegistryEntry> AddAsync(string? password = null, string username = GoogleUsernames.JsonKey, bool validate = false, TestHost? host = null) =>
        (host ?? _host).Manager.AddAsync(new RegistryAddRequest
        {
            Scope = Scope,
            Username = username,
            Password = password ?? _account.Json,
            Validate = validate,
        });

    private async Task<RegistryCredential> ResolveAsync(TestHost? host = null) => (await (host ?? _host).Resolver.ResolveAsync(Image)).Credential!;

    private static async Task EventuallyAsync(Func<Task<bool>> condition, string what)
    {
        var watch = Stopwatch.StartNew();
        while (!await condition())
        {
            if (watch.Elapsed > TimeSpan.FromSeconds(15))
            {
                Assert.Fail("timed out waiting for " + what);
            }

            await Task.Delay(20);
        }
    }

    [Test]
    public async Task Key_is_exchanged_for_an_access_token_handed_out_as_oauth2accesstoken()
    {
        await AddAsync();
        var credential = await ResolveAsync();

        Assert.Multiple(() =>
        {
            Assert.That(credential.Username, Is.EqualTo("oauth2accesstoken"));
            Assert.That(credential.Secret.Reveal(), Is.EqualTo(_oauth.IssuedTokens.Single()));
            Assert.That(credential.Kind, Is.EqualTo(RegistryCredentialKind.UsernamePassword));
            Assert.That(credential.ExpiresOn, Is.EqualTo(TestHost.Start + TimeSpan.FromSeconds(3600 - 10)), "10 s before the real expiry");
            Assert.That(credential.RefreshOn, Is.EqualTo(TestHost.Start + TimeSpan.FromSeconds(3590 * 0.75)), "refreshed ahead after three quarters");
        });
    }

    [Test]
    public async Task The_assertion_goes_to_the_key_token_uri_signed_by_the_key_with_scope_and_the_library_clock()
    {
        await AddAsync();
        _host.Time.Advance(TimeSpan.FromMinutes(7));
        await ResolveAsync();

        // The endpoint verified signature, kid, aud, iss, scope, grant type and lifetime (no rejections, see TearDown).
        var claims = _oauth.AcceptedClaims.Single();
        Assert.Multiple(() =>
        {
            Assert.That(claims.GetProperty("iss").GetString(), Is.EqualTo(_account.ClientEmail));
            Assert.That(
                claims.GetProperty("aud").GetString(),
                Is.EqualTo("https://oauth2.googleapis.com/token"),
                "Google.Apis.Auth's audience, whatever the token_uri");
            // docker-credential-gcr's scopes (GoogleCloudPlatform/docker-credential-gcr config/const.go: GCRScopes =
            // ["https://www.googleapis.com/auth/cloud-platform"]), so the token pushes as well as pulls.
            Assert.That(claims.GetProperty("scope").GetString(), Is.EqualTo("https://www.googleapis.com/auth/cloud-platform"));
            Assert.That(
                claims.GetProperty("iat").GetInt64(),
                Is.EqualTo((TestHost.Start + TimeSpan.FromMinutes(7)).ToUnixTimeSeconds()),
                "iat comes from the library's TimeProvider");
            Assert.That(claims.GetProperty("exp").GetInt64() - claims.GetProperty("iat").GetInt64(), Is.EqualTo(3600));
            Assert.That(claims.TryGetProperty("sub", out _), Is.False, "no domain-wide delegation");
        });
    }

    [Test]
    public async Task Base64_key_is_exchanged_too()
    {
        await AddAsync(_account.Base64, GoogleUsernames.JsonKeyBase64);
        var credential = await ResolveAsync();
        Assert.That(credential.Username, Is.EqualTo("oauth2accesstoken"));
        Assert.That(_oauth.RequestCount, Is.EqualTo(1));
    }

    [Test]
    public async Task Stored_access_token_is_not_exchanged()
    {
        var token = "ya29." + TestHost.NewSecret();
        await AddAsync(token, GoogleUsernames.AccessToken);
        var credential = await ResolveAsync();
        Assert.That(credential.Secret.Reveal(), Is.EqualTo(token));
        Assert.That(_oauth.RequestCount, Is.Zero);
    }

    [Test]
    public async Task Validation_on_add_gets_the_exchanged_token()
    {
        await AddAsync(validate: true);
        _host.Validator.Verify(v => v.ValidateAsync(
            It.Is<RegistryEntry>(e => e.Type == RegistryType.Google),
            It.Is<RegistryCredential>(c => c.Username == "oauth2accesstoken" && c.Secret.Reveal() == _oauth.IssuedTokens[0]),
            It.IsAny<CancellationToken>()), Times.Once);
        Assert.That((await ResolveAsync()).Secret.Reveal(), Is.EqualTo(_oauth.IssuedTokens[0]), "the token made for validation serves the first pulls");
        Assert.That(_oauth.RequestCount, Is.EqualTo(1));
    }

    [Test]
    public async Task Token_is_cached_until_refresh_time()
    {
        await AddAsync();
        var first = await ResolveAsync();
        _host.Time.Advance(TimeSpan.FromMinutes(44));
        var second = await ResolveAsync();

        Assert.That(second.Secret.Reveal(), Is.EqualTo(first.Secret.Reveal()));
        Assert.That(_oauth.RequestCount, Is.EqualTo(1));
    }

    [Test]
    public async Task Token_is_refreshed_ahead_in_the_background_while_the_old_one_keeps_serving()
    {
        await AddAsync();
        var first = await ResolveAsync();
        _host.Time.Advance(TimeSpan.FromSeconds(2693)); // past RefreshOn (2692.5 s), well before ExpiresOn (3590 s)

        var during = await ResolveAsync();
        Assert.That(during.Secret.Reveal(), Is.EqualTo(first.Secret.Reveal()), "the current token serves while the refresh runs");
        await EventuallyAsync(async () => (await ResolveAsync()).Secret.Reveal() != first.Secret.Reveal(), "the refreshed token");

        var refreshed = await ResolveAsync();
        Assert.That(_oauth.RequestCount, Is.EqualTo(2));
        Assert.That(refreshed.ExpiresOn, Is.EqualTo(TestHost.Start + TimeSpan.FromSeconds(2693 + 3590)));
    }

    [Test]
    public async Task Token_is_never_handed_out_within_10_seconds_of_its_expiry_and_a_failure_is_not_cached()
    {
        _oauth.ExpiresIn = 60;
        await AddAsync();
        var first = await ResolveAsync();
        Assert.That(first.ExpiresOn, Is.EqualTo(TestHost.Start + TimeSpan.FromSeconds(50)));

        _oauth.FailWithStatus = 400;
        _host.Time.Advance(TimeSpan.FromSeconds(49));
        Assert.That((await ResolveAsync()).Secret.Reveal(), Is.EqualTo(first.Secret.Reveal()), "11 s before the real expiry it still serves");
        await EventuallyAsync(() => Task.FromResult(_oauth.RequestCount >= 2), "the failed background refresh");

        _host.Time.Advance(TimeSpan.FromSeconds(1)); // 10 s before the real expiry
        var exception = await GoogleHosts.CatchAsync(() => ResolveAsync());
        Assert.That(
            exception,
            Is.InstanceOf<GoogleCredentialException>().With.Property(nameof(GoogleCredentialException.Kind)).EqualTo(GoogleCredentialError.TokenRequestFailed));
        Assert.That(((GoogleCredentialException)exception!).Reason, Is.EqualTo(RegistryErrorReason.Unauthorized), "issue 13: the reason of the cause");
        Assert.That(exception!.Message, Does.Contain("refused").And.Contain("HTTP 400").And.Contain("invalid_grant"));

        _oauth.FailWithStatus = null;
        var fresh = await ResolveAsync();
        Assert.That(fresh.Secret.Reveal(), Is.Not.EqualTo(first.Secret.Reveal()));
        Assert.That(fresh.ExpiresOn, Is.EqualTo(TestHost.Start + TimeSpan.FromSeconds(50 + 50)));
        _oauth.ResetCounts(); // the refusals above were chosen by the test
    }

    [TestCase(10)]
    [TestCase(5)]
    [TestCase(0)]
    public async Task Token_living_10_seconds_or_less_is_never_handed_out(int expiresIn)
    {
        _oauth.ExpiresIn = expiresIn;
        await AddAsync();
        var exception = await GoogleHosts.CatchAsync(() => ResolveAsync());
        Assert.That(
            exception,
            Is.InstanceOf<GoogleCredentialException>().With.Property(nameof(GoogleCredentialException.Kind)).EqualTo(GoogleCredentialError.TokenRequestFailed));
        Assert.That(((GoogleCredentialException)exception!).Reason, Is.EqualTo(RegistryErrorReason.ProtocolError), "issue 13: the reason of the cause");
        Assert.That(exception!.Message, Does.Contain("safety margin"));
    }

    [Test]
    public async Task Token_living_11_seconds_is_handed_out_for_one()
    {
        _oauth.ExpiresIn = 11;
        await AddAsync();
        var credential = await ResolveAsync();
        Assert.That(credential.ExpiresOn, Is.EqualTo(TestHost.Start + TimeSpan.FromSeconds(1)));
    }

    [Test]
    public async Task Response_without_expires_in_is_taken_as_one_hour()
    {
        _oauth.ExpiresIn = null;
        await AddAsync();
        var credential = await ResolveAsync();
        Assert.That(credential.ExpiresOn, Is.EqualTo(TestHost.Start + TimeSpan.FromSeconds(3590)));
    }

    [Test]
    public async Task Concurrent_resolves_share_one_token_request()
    {
        _oauth.Delay = TimeSpan.FromMilliseconds(300);
        await AddAsync();
        var credentials = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => ResolveAsync()));
        Assert.That(credentials.Select(c => c.Secret.Reveal()).Distinct(), Has.Exactly(1).Items);
        Assert.That(_oauth.RequestCount, Is.EqualTo(1));
    }

    [Test]
    public async Task A_401_reported_by_a_pull_evicts_the_token()
    {
        await AddAsync();
        var resolution = await _host.Resolver.ResolveAsync(Image);
        await _host.Resolver.ReportRejectedAsync(resolution);

        var next = await ResolveAsync();
        Assert.That(next.Secret.Reveal(), Is.Not.EqualTo(resolution.Credential!.Secret.Reveal()));
        Assert.That(_oauth.RequestCount, Is.EqualTo(2));
    }

    [Test]
    public async Task Update_and_delete_drop_the_cached_token()
    {
        var cache = _host.Services.GetRequiredService<RegistryTokenCache>();
        await AddAsync();
        await ResolveAsync();
        Assert.That(cache.Count, Is.EqualTo(1));

        await _host.Manager.UpdateAsync(new RegistryUpdateRequest { Scope = Scope, Name = "renamed", Validate = false });
        Assert.That(cache.Count, Is.Zero, "update evicts");
        await ResolveAsync();
        Assert.That(_oauth.RequestCount, Is.EqualTo(2));

        await _host.Manager.DeleteAsync(Scope);
        Assert.That(cache.Count, Is.Zero, "delete evicts");
    }

    [Test]
    public async Task Another_key_for_the_same_scope_gets_its_own_token()
    {
        using var other = TestServiceAccount.Create(_oauth.TokenUri);
        _oauth.Trust(other);
        await AddAsync();
        await ResolveAsync();
        await _host.Manager.UpdateAsync(new RegistryUpdateRequest { Scope = Scope, Password = other.Json, Validate = false });
        await ResolveAsync();
        Assert.That(_oauth.AcceptedClaims.Select(c => c.GetProperty("iss").GetString()), Is.EqualTo(new[] { _account.ClientEmail, other.ClientEmail }));
    }

    [Test]
    public async Task Refused_assertion_fails_the_add_with_a_typed_error_and_stores_nothing()
    {
        using var unknown = TestServiceAccount.Create(_oauth.TokenUri); // its public key is not trusted by the endpoint
        var exception = await GoogleHosts.CatchAsync(() => AddAsync(unknown.Json, validate: true));
        Assert.That(
            exception,
            Is.InstanceOf<GoogleCredentialException>().With.Property(nameof(GoogleCredentialException.Kind)).EqualTo(GoogleCredentialError.TokenRequestFailed));
        Assert.That(((GoogleCredentialException)exception!).Reason, Is.EqualTo(RegistryErrorReason.Unauthorized), "issue 13: the reason of the cause");
        Assert.That(exception!.Message, Does.Contain(unknown.ClientEmail).And.Contain("invalid_grant"));
        Assert.That(await _host.Manager.ListAsync(), Is.Empty);
        Assert.That(_oauth.Rejections.Single(), Does.Contain("not a known service account"));
        _oauth.ResetCounts();
    }

    [Test]
    public async Task Assertion_signed_with_another_key_is_refused_by_the_endpoint()
    {
        using var impostor = TestServiceAccount.Create(_oauth.TokenUri);
        // Same client e-mail and key id as the trusted account, but another private key.
        var forged = impostor.Json.Replace(
            impostor.ClientEmail,
            _account.ClientEmail,
            StringComparison.Ordinal).Replace(impostor.PrivateKeyId, _account.PrivateKeyId, StringComparison.Ordinal);
        await AddAsync(forged);
        var exception = await GoogleHosts.CatchAsync(() => ResolveAsync());
        Assert.That(exception, Is.InstanceOf<GoogleCredentialException>());
        Assert.That(_oauth.Rejections.Single(), Does.Contain("signature does not verify"));
        _oauth.ResetCounts();
    }

    [Test]
    public async Task Unreachable_token_endpoint_is_a_typed_error()
    {
        using var nowhere = TestServiceAccount.Create(new Uri("http://127.0.0.1:1/token"));
        await AddAsync(nowhere.Json);
        var exception = await GoogleHosts.CatchAsync(() => ResolveAsync());
        Assert.That(
            exception,
            Is.InstanceOf<GoogleCredentialException>().With.Property(nameof(GoogleCredentialException.Kind)).EqualTo(GoogleCredentialError.TokenRequestFailed));
        Assert.That(((GoogleCredentialException)exception!).Reason, Is.EqualTo(RegistryErrorReason.Unreachable), "issue 13: the reason of the cause");
        Assert.That(exception!.Message, Does.Contain("could not be reached"));
    }

    [Test]
    public async Task Scope_option_goes_into_the_assertion()
    {
        using var host = GoogleHosts.Create(o =>
        {
            o.ExchangeForAccessToken = true;
            o.Scope = "https://www.googleapis.com/auth/cloud-platform  https://www.googleapis.com/auth/devstorage.read_write";
        });
        _oauth.Clock = host.Time.GetUtcNow;
        _oauth.ExpectedScope = "https://www.googleapis.com/auth/cloud-platform https://www.googleapis.com/auth/devstorage.read_write";
        await AddAsync(host: host);
        Assert.That((await ResolveAsync(host)).Username, Is.EqualTo("oauth2accesstoken"));
    }

    [Test]
    public async Task Scope_option_narrows_tokens_to_pull_only()
    {
        using var host = GoogleHosts.Create(o =>
        {
            o.ExchangeForAccessToken = true;
            o.Scope = "https://www.googleapis.com/auth/devstorage.read_only";
        });
        _oauth.Clock = host.Time.GetUtcNow;
        _oauth.ExpectedScope = "https://www.googleapis.com/auth/devstorage.read_only";

        await AddAsync(host: host);
        await ResolveAsync(host);

        Assert.That(_oauth.AcceptedClaims.Single().GetProperty("scope").GetString(), Is.EqualTo("https://www.googleapis.com/auth/devstorage.read_only"));
    }

    [Test]
    public async Task TokenUri_option_overrides_the_key_token_uri_and_https_works_with_a_custom_http_client_factory()
    {
        var certificates = TestCertificates.Shared;
        await using var https = await FakeGoogleOAuthServer.StartAsync(certificates.Server.Certificate);
        https.Trust(_account);
        using var host = GoogleHosts.Create(o =>
        {
            o.ExchangeForAccessToken = true;
            o.TokenUri = https.TokenUri;
            o.HttpClientFactory = new TrustingGoogleHttpClientFactory(certificates);
        });
        https.Clock = host.Time.GetUtcNow;
        Assert.That(https.TokenUri.Scheme, Is.EqualTo("https"));

        await AddAsync(host: host);
        var credential = await ResolveAsync(host);

        Assert.That(credential.Secret.Reveal(), Is.EqualTo(https.IssuedTokens.Single()));
        Assert.That(https.Rejections, Is.Empty);
        Assert.That(_oauth.RequestCount, Is.Zero, "the key's own token_uri was not used");
    }

    [Test]
    public async Task Https_token_endpoint_with_an_untrusted_certificate_is_refused()
    {
        var certificates = TestCertificates.Shared;
        await using var https = await FakeGoogleOAuthServer.StartAsync(certificates.Server.Certificate);
        using var host = GoogleHosts.Create(o =>
        {
            o.ExchangeForAccessToken = true;
            o.TokenUri = https.TokenUri;
        });
        await AddAsync(host: host);
        var exception = await GoogleHosts.CatchAsync(() => ResolveAsync(host));
        Assert.That(
            exception,
            Is.InstanceOf<GoogleCredentialException>().With.Property(nameof(GoogleCredentialException.Kind)).EqualTo(GoogleCredentialError.TokenRequestFailed));
        Assert.That(((GoogleCredentialException)exception!).Reason, Is.EqualTo(RegistryErrorReason.TlsFailure), "issue 13: the reason of the cause");
        Assert.That(https.RequestCount, Is.Zero);
    }

    [Test]
    public async Task Token_request_timeout_is_on_the_library_clock()
    {
        using var host = GoogleHosts.Create(o =>
        {
            o.ExchangeForAccessToken = true;
            o.TokenRequestTimeout = TimeSpan.FromSeconds(5);
        });
        _oauth.Delay = TimeSpan.FromSeconds(30);
        await AddAsync(host: host);
        var resolve = ResolveAsync(host);
        await EventuallyAsync(() => Task.FromResult(_oauth.RequestCount == 1), "the token request");
        host.Time.Advance(TimeSpan.FromSeconds(6));

        var exception = await GoogleHosts.CatchAsync(() => resolve);
        Assert.That(
            exception,
            Is.InstanceOf<GoogleCredentialException>().With.Property(nameof(GoogleCredentialException.Kind)).EqualTo(GoogleCredentialError.TokenRequestFailed));
        Assert.That(((GoogleCredentialException)exception!).Reason, Is.EqualTo(RegistryErrorReason.Timeout), "issue 13: the reason of the cause");
        Assert.That(exception!.Message, Does.Contain("did not answer within 5 s"));
    }
}
