using RegistryCredentials.Tests.Support;
using RegistryCredentials.Tests.Support.Registry;

namespace RegistryCredentials.Tests.Registry;

/// <summary>Credential validation on add, against the real CNCF distribution registry in each of its modes.</summary>
[Category("RealRegistry")]
public class RealRegistryValidationTests
{
    private TestHost _host = null!;

    [SetUp]
    public void SetUp() => _host = new TestHost(withValidator: false);

    [TearDown]
    public void TearDown() => _host.Dispose();

    private async Task<RegistryValidationResult> AddAsync(
        DistributionRegistry registry,
        string? username = null,
        string? password = null,
        bool verifyTls = true,
        bool useCa = true,
        bool insecureHttp = false)
    {
        try
        {
            await _host.Manager.AddAsync(new RegistryAddRequest
            {
                Scope = registry.Registry,
                Username = username ?? registry.Username,
                Password = password ?? registry.Password,
                VerifyTls = verifyTls,
                CaCertificates = useCa ? registry.CaPem : null,
                InsecureHttp = insecureHttp,
            });
            return RegistryValidationResult.Valid;
        }
        catch (RegistryValidationException e)
        {
            return e.Result!;
        }
    }

    [TestCase(RegistryMode.HtpasswdTls)]
    [TestCase(RegistryMode.TokenTls)]
    public async Task Valid_credential_is_stored(RegistryMode mode)
    {
        await using var registry = await DistributionRegistry.StartAsync(mode, pushImage: false);
        var result = await AddAsync(registry);
        Assert.That(result.Outcome, Is.EqualTo(RegistryValidationOutcome.Valid), result.Message);
        Assert.That((await _host.Manager.GetAsync(registry.Registry)).Username, Is.EqualTo(registry.Username));
        if (mode == RegistryMode.TokenTls)
        {
            Assert.That(registry.Token!.RequestCount, Is.EqualTo(1));
        }
    }

    [TestCase(RegistryMode.HtpasswdTls, false)]
    [TestCase(RegistryMode.HtpasswdTls, true)]
    [TestCase(RegistryMode.TokenTls, false)]
    [TestCase(RegistryMode.TokenTls, true)]
    public async Task Wrong_password_or_unknown_user_is_unauthorized_and_nothing_is_stored(RegistryMode mode, bool unknownUser)
    {
        await using var registry = await DistributionRegistry.StartAsync(mode, pushImage: false);
        await _host.AddAsync("keep.example.com");
        var before = await _host.SnapshotAsync();
        var wrong = "wrong-" + TestHost.NewSecret();

        var result = unknownUser ? await AddAsync(registry, username: "nobody") : await AddAsync(registry, password: wrong);

        Assert.That(result.Outcome, Is.EqualTo(RegistryValidationOutcome.Unauthorized), result.Message);
        Assert.That(result.Message, Does.Not.Contain(wrong).And.Not.Contain(registry.Password));
        Assert.That(await _host.SnapshotAsync(), Is.EqualTo(before));
    }

    [TestCase(RegistryMode.UntrustedTls, "untrusted")]
    [TestCase(RegistryMode.ExpiredTls, "expired")]
    [TestCase(RegistryMode.WrongNameTls, "name mismatch")]
    public async Task Tls_failures_are_named_with_verification_on(RegistryMode mode, string named)
    {
        await using var registry = await DistributionRegistry.StartAsync(mode, pushImage: false);
        var result = await AddAsync(registry);
        Assert.That(result.Outcome, Is.EqualTo(RegistryValidationOutcome.TlsFailure), result.Message);
        Assert.That(result.Message, Does.Contain(named));
    }

    [Test]
    public async Task System_trust_alone_does_not_trust_a_private_ca()
    {
        await using var registry = await DistributionRegistry.StartAsync(RegistryMode.HtpasswdTls, pushImage: false);
        var result = await AddAsync(registry, useCa: false);
        Assert.That(result.Outcome, Is.EqualTo(RegistryValidationOutcome.TlsFailure));
        Assert.That(result.Message, Does.Contain("untrusted"));
    }

    [TestCase(RegistryMode.UntrustedTls)]
    [TestCase(RegistryMode.ExpiredTls)]
    [TestCase(RegistryMode.WrongNameTls)]
    public async Task Verification_off_accepts_the_certificate_of_that_entry(RegistryMode mode)
    {
        await using var registry = await DistributionRegistry.StartAsync(mode, pushImage: false);
        var result = await AddAsync(registry, verifyTls: false, useCa: false);
        Assert.That(result.Outcome, Is.EqualTo(RegistryValidationOutcome.Valid), result.Message);

        // Only for that entry: another entry for the same registry with verification on still fails.
        var other = await _host.Manager.ValidateAsync(registry.Registry);
        Assert.That(other.IsValid, Is.True);
        await _host.Manager.UpdateAsync(new RegistryUpdateRequest { Scope = registry.Registry, VerifyTls = true, Validate = false });
        Assert.That((await _host.Manager.ValidateAsync(registry.Registry)).Outcome, Is.EqualTo(RegistryValidationOutcome.TlsFailure));
    }

    [Test]
    public async Task Ca_bundle_is_trusted_instead_of_turning_verification_off()
    {
        await using var registry = await DistributionRegistry.StartAsync(RegistryMode.HtpasswdTls, pushImage: false);
        var result = await AddAsync(registry, useCa: true);
        Assert.That(result.IsValid, Is.True, result.Message);
        Assert.That((await _host.Manager.GetAsync(registry.Registry)).CaCertificates, Is.EqualTo(registry.CaPem));
    }

    [Test]
    public async Task Plain_http_registry_is_refused_unless_the_entry_is_insecure_http()
    {
        await using var registry = await DistributionRegistry.StartAsync(RegistryMode.PlainHttpHtpasswd, pushImage: false);

        var refused = await AddAsync(registry, useCa: false);
        Assert.That(refused.Outcome, Is.AnyOf(RegistryValidationOutcome.TlsFailure, RegistryValidationOutcome.Unreachable), refused.Message);
        Assert.That(await _host.Manager.ListAsync(), Is.Empty);

        var accepted = await AddAsync(registry, useCa: false, insecureHttp: true);
        Assert.That(accepted.IsValid, Is.True, accepted.Message);
        Assert.That((await _host.Manager.GetAsync(registry.Registry)).InsecureHttp, Is.True);
    }

    [Test]
    public async Task Identity_token_uses_the_oauth2_refresh_token_grant()
    {
        await using var registry = await DistributionRegistry.StartAsync(RegistryMode.TokenTls, pushImage: false);
        var refresh = registry.Token!.IssueRefreshToken(registry.Username);
        var validator = (IRegistryCredentialValidator)_host.Services.GetService(typeof(IRegistryCredentialValidator))!;
        var entry = new RegistryEntry
        {
            Account = RegistryAccounts.Default, Scope = RegistryScope.Parse(registry.Registry), Name = "r", Type = RegistryType.DockerV2,
            Username = "<token>", CaCertificates = registry.CaPem, CreatedOn = TestHost.Start, UpdatedOn = TestHost.Start,
        };

        var valid = await validator.ValidateAsync(entry, RegistryCredential.FromIdentityToken(refresh));
        Assert.That(valid.IsValid, Is.True, valid.Message);
        Assert.That(registry.Token.Requests.Single().GrantType, Is.EqualTo("refresh_token"));

        registry.Token.RevokeRefreshToken(refresh);
        var refused = await validator.ValidateAsync(entry, RegistryCredential.FromIdentityToken(refresh));
        Assert.That(refused.Outcome, Is.EqualTo(RegistryValidationOutcome.Unauthorized), refused.Message);
    }

    [Test]
    public async Task Unreachable_registry_is_named()
    {
        int port;
        await using (var registry = await DistributionRegistry.StartAsync(RegistryMode.HtpasswdTls, pushImage: false))
        {
            port = registry.Port;
        }

        var result = await _host.Manager.AddAsync(new RegistryAddRequest { Scope = "127.0.0.1:" + port, Username = "u", Password = "p" })
            .ContinueWith(t => ((RegistryValidationException)t.Exception!.InnerException!).Result!, TaskScheduler.Default);
        Assert.That(result.Outcome, Is.EqualTo(RegistryValidationOutcome.Unreachable));
        Assert.That(result.Message, Does.Contain("connection refused"));
    }
}
