using System.Buffers.Text;
using System.Net;
using System.Text.Json;
using RegistryCredentials.Azure.Tests.Support;
using RegistryCredentials.Tests.Support;

namespace RegistryCredentials.Azure.Tests;

/// <summary>
/// The Entra ID client-secret mode against a local Entra ID endpoint (through Azure.Identity) and a local
/// <c>/oauth2/exchange</c>, with chosen refresh-token lifetimes under the fake clock.
/// </summary>
public class EntraExchangeTests
{
    private AzureTestEnvironment _env = null!;

    [SetUp]
    public async Task SetUp() => _env = await AzureTestEnvironment.StartAsync();

    [TearDown]
    public async Task TearDown() => await _env.DisposeAsync();

    private DateTimeOffset Now => _env.Host.Time.GetUtcNow();

    private static DateTimeOffset ExpiryOf(string jwt)
    {
        using var payload = JsonDocument.Parse(Base64Url.DecodeFromChars(jwt.Split('.')[1]));
        return DateTimeOffset.FromUnixTimeSeconds(payload.RootElement.GetProperty("exp").GetInt64());
    }

    [Test]
    public async Task Client_secret_is_exchanged_for_an_acr_refresh_token_handed_out_as_the_empty_guid()
    {
        var entry = await _env.AddEntraEntryAsync();
        var credential = await _env.ResolveAsync();

        Assert.That(_env.Entra.Problems, Is.Empty);
        Assert.That(_env.Front.Problems, Is.Empty);
        Assert.Multiple(() =>
        {
            Assert.That(entry.Type, Is.EqualTo(RegistryType.Azure));
            Assert.That(credential.Kind, Is.EqualTo(RegistryCredentialKind.UsernamePassword));
            Assert.That(credential.Username, Is.EqualTo("00000000-0000-0000-0000-000000000000"));
            Assert.That(credential.Secret.Reveal(), Is.EqualTo(_env.Front.IssuedTokens.Single()));
            var exp = ExpiryOf(credential.Secret.Reveal());
            Assert.That(exp, Is.EqualTo(TestHost.Start.AddHours(3)));
            Assert.That(credential.ExpiresOn, Is.EqualTo(exp - TimeSpan.FromMinutes(1)), "cached until exp minus the expiry margin");
            Assert.That(credential.RefreshOn, Is.EqualTo(exp - TimeSpan.FromMinutes(30)), "refreshed ahead by the refresh margin");
            Assert.That(_env.Entra.TokenRequests, Is.EqualTo(1));
            Assert.That(_env.Front.Exchanges, Is.EqualTo(1), "the token made by validation on add serves the first pull");
        });

        // What went over the wire: the Entra ID form and the exchange form.
        var tokenRequest = _env.Entra.Requests.Single(r => r.Path.EndsWith("/oauth2/v2.0/token", StringComparison.Ordinal));
        Assert.That(tokenRequest.Path, Is.EqualTo($"/{_env.Entra.TenantId}/oauth2/v2.0/token"));
        Assert.That(
            tokenRequest.Form,
            Does.Contain("grant_type=client_credentials").And.Contain("client_id="
                + _env.Entra.ClientId).And.Contain("scope=https://containerregistry.azure.net/.default"));
        var exchange = _env.Front.Requests.Single();
        Assert.That(exchange.Method, Is.EqualTo("POST"));
        Assert.That(exchange.Form, Does.StartWith($"grant_type=access_token&service={_env.Front.Registry}&tenant={_env.Entra.TenantId}&access_token="));
    }

    [Test]
    public async Task Cached_token_serves_every_pull_until_its_refresh_time()
    {
        await _env.AddEntraEntryAsync();
        var first = await _env.ResolveAsync();
        _env.Host.Time.Advance(first.RefreshOn!.Value - Now - TimeSpan.FromSeconds(1));
        var second = await _env.ResolveAsync();

        Assert.That(second.Secret.Reveal(), Is.EqualTo(first.Secret.Reveal()));
        Assert.That(_env.Front.Exchanges, Is.EqualTo(1));
        Assert.That(_env.Entra.TokenRequests, Is.EqualTo(1));
    }

    [Test]
    public async Task Token_is_refreshed_ahead_in_the_background_while_the_old_one_keeps_serving()
    {
        await _env.AddEntraEntryAsync();
        var first = await _env.ResolveAsync();
        _env.Host.Time.Advance(first.RefreshOn!.Value - Now);

        var during = await _env.ResolveAsync();
        Assert.That(during.Secret.Reveal(), Is.EqualTo(first.Secret.Reveal()), "the caller does not wait for the refresh");
        await AzureTestEnvironment.WaitForAsync(() => _env.Front.IssuedTokens.Count == 2, "the background refresh");
        await AzureTestEnvironment.WaitForAsync(() => _env.ResolveAsync().Result.Secret.Reveal() != first.Secret.Reveal(), "the refreshed token");

        var refreshed = await _env.ResolveAsync();
        Assert.That(refreshed.Secret.Reveal(), Is.EqualTo(_env.Front.IssuedTokens.Last()));
        Assert.That(refreshed.ExpiresOn, Is.EqualTo(Now + TimeSpan.FromHours(3) - TimeSpan.FromMinutes(1)));
        Assert.That(_env.Front.Exchanges, Is.EqualTo(2));
    }

    [Test]
    public async Task Failed_refreshes_keep_the_old_token_until_it_expires_and_never_after()
    {
        await _env.AddEntraEntryAsync();
        var first = await _env.ResolveAsync();
        _env.Front.FailWith = HttpStatusCode.Unauthorized;

        _env.Host.Time.Advance(first.RefreshOn!.Value - Now);
        Assert.That((await _env.ResolveAsync()).Secret.Reveal(), Is.EqualTo(first.Secret.Reveal()));
        await AzureTestEnvironment.WaitForAsync(
            () => _env.Host.Logs.Lines.Any(l => l.Contains("failed: Unauthorized", StringComparison.Ordinal)),
            "the failed refresh");

        _env.Host.Time.Advance(first.ExpiresOn!.Value - Now - TimeSpan.FromSeconds(1));
        Assert.That((await _env.ResolveAsync()).Secret.Reveal(), Is.EqualTo(first.Secret.Reveal()), "still valid: still served");

        _env.Host.Time.Advance(TimeSpan.FromSeconds(1));
        var e = Assert.ThrowsAsync<AzureCredentialException>(() => _env.ResolveAsync());
        Assert.That(e!.Kind, Is.EqualTo(RegistryValidationOutcome.Unauthorized));

        _env.Front.FailWith = null;
        var recovered = await _env.ResolveAsync();
        Assert.That(recovered.Secret.Reveal(), Is.Not.EqualTo(first.Secret.Reveal()));
        Assert.That(recovered.ExpiresOn, Is.GreaterThan(Now));
    }

    [Test]
    public async Task Concurrent_pulls_share_one_exchange()
    {
        await _env.AddEntraEntryAsync(validate: false);
        _env.Front.Delay = TimeSpan.FromMilliseconds(300);

        var credentials = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => _env.ResolveAsync()));

        Assert.That(credentials.Select(c => c.Secret.Reveal()).Distinct().Count(), Is.EqualTo(1));
        Assert.That(_env.Front.Exchanges, Is.EqualTo(1));
        Assert.That(_env.Entra.TokenRequests, Is.EqualTo(1));
    }

    [Test]
    public async Task A_401_reported_by_a_pull_drops_the_refresh_token()
    {
        await _env.AddEntraEntryAsync();
        var resolution = await _env.Host.Resolver.ResolveAsync(_env.Front.Registry + "/team/app:1");
        await _env.Host.Resolver.ReportRejectedAsync(resolution);

        var fresh = await _env.ResolveAsync();
        Assert.That(fresh.Secret.Reveal(), Is.Not.EqualTo(resolution.Credential!.Secret.Reveal()));
        Assert.That(_env.Front.Exchanges, Is.EqualTo(2));
        Assert.That(_env.Host.Logs.Lines, Has.Some.Contains("dropped: the registry refused a credential"));
    }

    [TestCase(true)]
    [TestCase(false)]
    public async Task Deleting_or_deactivating_the_entry_drops_its_refresh_token(bool delete)
    {
        await _env.AddEntraEntryAsync();
        await _env.ResolveAsync();
        Assert.That(_env.TokenCache.Count, Is.EqualTo(1));

        if (delete)
        {
            await _env.Host.Manager.DeleteAsync(_env.Front.Registry);
        }
        else
        {
            await _env.Host.Manager.DeactivateAsync(_env.Front.Registry);
        }

        Assert.That(_env.TokenCache.Count, Is.Zero);
    }

    [Test]
    public async Task Updating_the_secret_makes_a_new_token_and_a_wrong_one_is_refused_not_served_from_cache()
    {
        await _env.AddEntraEntryAsync();
        var old = await _env.ResolveAsync();
        var before = await _env.Host.SnapshotAsync();

        var wrong = "wrong-" + TestHost.NewSecret();
        var e = Assert.ThrowsAsync<AzureCredentialException>(() => _env.Host.Manager.UpdateAsync(new RegistryUpdateRequest
        {
            Scope = _env.Front.Registry,
            Password = wrong,
        }));
        Assert.That(e!.Kind, Is.EqualTo(RegistryValidationOutcome.Unauthorized));
        Assert.That(e.Message, Does.Contain("Entra ID refused"));
        Assert.That(await _env.Host.SnapshotAsync(), Is.EqualTo(before));

        _env.Entra.ClientSecret = TestHost.NewSecret();
        await _env.Host.Manager.UpdateAsync(new RegistryUpdateRequest { Scope = _env.Front.Registry, Password = _env.Entra.ClientSecret });
        var updated = await _env.ResolveAsync();
        Assert.That(updated.Secret.Reveal(), Is.Not.EqualTo(old.Secret.Reveal()));
        // Validation made one with the new secret; the manager's eviction on update drops every token of the entry, so the pull makes another.
        Assert.That(_env.Front.Exchanges, Is.EqualTo(3));
    }

    [Test]
    public async Task Exchange_refused_at_add_is_a_typed_error_and_nothing_is_stored()
    {
        _env.Front.FailWith = HttpStatusCode.Unauthorized;
        var e = Assert.ThrowsAsync<AzureCredentialException>(() => _env.AddEntraEntryAsync());
        Assert.That(e!.Kind, Is.EqualTo(RegistryValidationOutcome.Unauthorized));
        Assert.That(e.Message, Does.Contain("/oauth2/exchange refused").And.Contain("AcrPull").And.Contain("exchange refused by the test ACR"));
        Assert.That(await _env.Host.Store.ListAsync(null), Is.Empty);
        Assert.That(_env.Host.Validator.Invocations, Is.Empty, "the registry is not asked about a credential that could not be made");
    }

    [Test]
    public async Task Exchange_server_error_is_a_protocol_error()
    {
        _env.Front.FailWith = HttpStatusCode.InternalServerError;
        var e = Assert.ThrowsAsync<AzureCredentialException>(() => _env.AddEntraEntryAsync());
        Assert.That(e!.Kind, Is.EqualTo(RegistryValidationOutcome.ProtocolError));
        Assert.That(e.Message, Does.Contain("answered 500"));
    }

    [TestCase("{\"refresh_token\":\"not-a-jwt\"}", "malformed")]
    [TestCase("{\"refresh_token\":\"a.eyJzdWIiOiJ4In0.b\"}", "no numeric 'exp'")]
    [TestCase("{\"refresh_token\":\"a.%%%.b\"}", "malformed")]
    [TestCase("{\"token\":\"x\"}", "without a 'refresh_token'")]
    [TestCase("<html>", "not JSON")]
    public async Task Malformed_exchange_answers_are_protocol_errors(string answer, string named)
    {
        _env.Front.RawAnswer = answer;
        var e = Assert.ThrowsAsync<AzureCredentialException>(() => _env.AddEntraEntryAsync());
        Assert.That(e!.Kind, Is.EqualTo(RegistryValidationOutcome.ProtocolError));
        Assert.That(e.Message, Does.Contain(named));
        Assert.That(await _env.Host.Store.ListAsync(null), Is.Empty);
    }

    [Test]
    public void Refresh_token_expiring_within_the_margin_is_refused()
    {
        _env.Front.RefreshTokenLifetime = TimeSpan.FromSeconds(30);
        var e = Assert.ThrowsAsync<AzureCredentialException>(() => _env.AddEntraEntryAsync());
        Assert.That(e!.Message, Does.Contain("within 60 s of now"));
    }

    [Test]
    public async Task Short_lived_token_is_refreshed_at_half_its_life()
    {
        _env.Front.RefreshTokenLifetime = TimeSpan.FromMinutes(21);
        await _env.AddEntraEntryAsync();
        var credential = await _env.ResolveAsync();
        Assert.That(credential.ExpiresOn, Is.EqualTo(TestHost.Start.AddMinutes(20)));
        Assert.That(credential.RefreshOn, Is.EqualTo(TestHost.Start.AddMinutes(10)));
    }

    [Test]
    public async Task Wrong_client_secret_is_refused_by_entra_id_before_any_exchange()
    {
        var e = Assert.ThrowsAsync<AzureCredentialException>(() => _env.AddEntraEntryAsync(password: "wrong-" + TestHost.NewSecret()));
        Assert.That(e!.Kind, Is.EqualTo(RegistryValidationOutcome.Unauthorized));
        Assert.That(e.Message, Does.Contain("Entra ID refused the credential (ClientSecret)").And.Contain("AADSTS7000215"));
        Assert.That(e.InnerException, Is.InstanceOf<global::Azure.Identity.AuthenticationFailedException>());
        Assert.That(_env.Front.Exchanges, Is.Zero);
        Assert.That(await _env.Host.Store.ListAsync(null), Is.Empty);
    }

    [Test]
    public async Task Exchange_uses_the_tls_policy_of_the_entry()
    {
        var untrusted = Assert.ThrowsAsync<AzureCredentialException>(() => _env.Host.Manager.AddAsync(new RegistryAddRequest
        {
            Scope = _env.Front.Registry,
            Type = RegistryType.Azure,
            Username = _env.ClientUsername,
            Password = _env.Entra.ClientSecret,
        }));
        Assert.That(untrusted!.Kind, Is.EqualTo(RegistryValidationOutcome.TlsFailure));
        Assert.That(untrusted.Message, Does.Contain("untrusted"));
        Assert.That(_env.Front.Exchanges, Is.Zero, "no token crossed an untrusted connection");

        await _env.Host.Manager.AddAsync(new RegistryAddRequest
        {
            Scope = _env.Front.Registry,
            Type = RegistryType.Azure,
            Username = _env.ClientUsername,
            Password = _env.Entra.ClientSecret,
            VerifyTls = false,
        });
        Assert.That(_env.Front.Exchanges, Is.EqualTo(1));
    }

    [Test]
    public async Task Unreachable_registry_is_named()
    {
        var port = _env.Front.BaseUri.Port;
        await _env.Front.DisposeAsync();
        var e = Assert.ThrowsAsync<AzureCredentialException>(() => _env.AddEntraEntryAsync());
        Assert.That(e!.Kind, Is.EqualTo(RegistryValidationOutcome.Unreachable));
        Assert.That(e.Message, Does.Contain("127.0.0.1:" + port).And.Contain("connection refused"));
    }
}
