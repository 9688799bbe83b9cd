using System.Net;
using RegistryCredentials.Aws.Tests.Support;
using RegistryCredentials.Tests.Support;

namespace RegistryCredentials.Aws.Tests;

/// <summary>
/// The 12-hour token's life on a fake clock: no call before half-life (6 h), a background refresh after it, never a
/// token in its last minute nor past its expiry, failed refreshes serving the current token until then, and a refused
/// token (a pull's 401) dropped.
/// </summary>
public class TokenLifetimeTests
{
    private FakeEcrEndpoint _ecr = null!;
    private TestHost _host = null!;
    private string _registry = null!;
    private string _image = null!;

    [SetUp]
    public async Task SetUpAsync()
    {
        var keys = AwsTestKeys.NewLongTerm();
        _registry = $"{AwsTestKeys.NewAccountId()}.dkr.ecr.eu-central-1.amazonaws.com";
        _image = _registry + "/team/app:1";
        _host = EcrTestHosts.Create(o => { o.ServiceUrl = _ecr.BaseUri; o.MaxRetries = 0; });
        _ecr = await FakeEcrEndpoint.StartAsync(_host.Time);
        _ecr.AddKeys(keys);
        await _host.AddEcrAsync(_registry, keys.AccessKeyId, keys.SecretAccessKey);
    }

    [TearDown]
    public async Task TearDownAsync()
    {
        _host.Dispose();
        await _ecr.DisposeAsync();
    }

    [Test]
    public async Task No_upstream_call_before_six_hours()
    {
        var first = await _host.ResolveCredentialAsync(_image);

        foreach (var step in new[]
        {
            TimeSpan.FromMinutes(1),
            TimeSpan.FromHours(3),
            TimeSpan.FromHours(2) + TimeSpan.FromMinutes(58),
            TimeSpan.FromSeconds(59),
        })
        {
            _host.Time.Advance(step);
            Assert.That(await _host.ResolveCredentialAsync(_image), Is.SameAs(first));
        }

        Assert.That(_host.Time.GetUtcNow(), Is.EqualTo(TestHost.Start.AddHours(6).AddSeconds(-1)));
        Assert.That(_ecr.RequestCount, Is.EqualTo(1));
    }

    [Test]
    public async Task After_six_hours_the_token_is_refreshed_in_the_background()
    {
        var first = await _host.ResolveCredentialAsync(_image);
        _host.Time.Advance(TimeSpan.FromHours(6));

        // The caller gets the current token at once; the refresh runs behind it.
        Assert.That(await _host.ResolveCredentialAsync(_image), Is.SameAs(first));
        await EcrTestHosts.WaitUntilAsync(() => _ecr.TokensIssued == 2, "the background refresh fetched a second token");
        var refreshedPassword = _ecr.LastPassword;

        RegistryCredential second = first;
        await EcrTestHosts.WaitUntilAsync(
            () => !ReferenceEquals(second = _host.ResolveCredentialAsync(_image).GetAwaiter().GetResult(), first),
            "the refreshed token is served");
        Assert.Multiple(() =>
        {
            Assert.That(second.Secret.Reveal(), Is.EqualTo(refreshedPassword));
            Assert.That(second.ExpiresOn, Is.EqualTo(TestHost.Start.AddHours(18).AddMinutes(-1)));
            Assert.That(second.RefreshOn, Is.EqualTo(TestHost.Start.AddHours(12)));
            Assert.That(_ecr.RequestCount, Is.EqualTo(2));
        });
    }

    [Test]
    public async Task Failed_refreshes_keep_the_old_token_until_its_last_minute_and_never_after()
    {
        var first = await _host.ResolveCredentialAsync(_image);
        _ecr.FailWith = (HttpStatusCode.InternalServerError, "ServerException");

        foreach (var at in new[] { TimeSpan.FromHours(6), TimeSpan.FromHours(9), TimeSpan.FromHours(12) - TimeSpan.FromSeconds(61) })
        {
            _host.Time.SetUtcNow(TestHost.Start + at);
            var before = _ecr.RequestCount;

            // Each resolve serves the current token and, unless a refresh is still in flight, starts one, which fails.
            await EcrTestHosts.WaitUntilAsync(
                () =>
                {
                    var served = _host.ResolveCredentialAsync(_image).GetAwaiter().GetResult();
                    Assert.That(served, Is.SameAs(first), $"at +{at} the current token is served while the refresh fails");
                    Assert.That(served.ExpiresOn, Is.GreaterThan(_host.Time.GetUtcNow()));
                    return _ecr.RequestCount > before;
                },
                $"a refresh at +{at} was tried");
            await EcrTestHosts.WaitUntilAsync(() => FailuresLogged() == _ecr.RequestCount - 1, $"the refreshes at +{at} failed");
            await WaitForIdleAsync();
        }

        // In its last minute the old token is gone: the refresh must succeed or the resolve fails.
        _host.Time.SetUtcNow(TestHost.Start.AddHours(12).AddMinutes(-1));
        var error = Assert.ThrowsAsync<AwsEcrException>(() => _host.ResolveCredentialAsync(_image));
        Assert.That(error!.Kind, Is.EqualTo(AwsEcrErrorKind.Unreachable));
        Assert.That(error.ErrorCode, Is.EqualTo("ServerException"));

        _ecr.FailWith = null;
        var fresh = await _host.ResolveCredentialAsync(_image);
        Assert.That(fresh, Is.Not.SameAs(first));
        Assert.That(fresh.ExpiresOn, Is.EqualTo(TestHost.Start.AddHours(24).AddMinutes(-2)));
    }

    [Test]
    public async Task A_token_is_never_handed_out_in_its_last_minute_a_failed_refresh_is_the_callers_error()
    {
        var first = await _host.ResolveCredentialAsync(_image);
        _ecr.FailWith = (HttpStatusCode.InternalServerError, "ServerException");
        var expiry = TestHost.Start.AddHours(12);

        // 61 s before expiry the token still serves; the background refresh it starts fails.
        _host.Time.SetUtcNow(expiry.AddSeconds(-61));
        Assert.That(await _host.ResolveCredentialAsync(_image), Is.SameAs(first));
        await EcrTestHosts.WaitUntilAsync(() => FailuresLogged() >= 1, "the background refresh failed");
        await WaitForIdleAsync();

        // Inside the last minute it is never handed out: the caller gets the typed failure of the refresh.
        foreach (var left in new[] { 60, 30, 1 })
        {
            _host.Time.SetUtcNow(expiry.AddSeconds(-left));
            var error = Assert.ThrowsAsync<AwsEcrException>(() => _host.ResolveCredentialAsync(_image), $"{left} s before expiry");
            Assert.That((error!.Kind, error.ErrorCode), Is.EqualTo((AwsEcrErrorKind.Unreachable, "ServerException")), $"{left} s before expiry");
        }

        _ecr.FailWith = null;
        var fresh = await _host.ResolveCredentialAsync(_image);
        Assert.That(fresh, Is.Not.SameAs(first));
        Assert.That(
            fresh.ExpiresOn,
            Is.EqualTo(_host.Time.GetUtcNow() + TimeSpan.FromHours(12) - TimeSpan.FromMinutes(1)),
            "handed out until one minute before ECR's expiresAt");
    }

    [Test]
    public async Task No_token_is_ever_returned_at_or_after_its_expiry()
    {
        _ecr.TokenLifetime = TimeSpan.FromMinutes(30);
        var seen = new List<RegistryCredential>();
        for (var minute = 0; minute <= 24 * 60; minute += 7)
        {
            _host.Time.SetUtcNow(TestHost.Start.AddMinutes(minute));
            var credential = await _host.ResolveCredentialAsync(_image);
            Assert.That(credential.ExpiresOn, Is.GreaterThan(_host.Time.GetUtcNow()), $"at +{minute} min");
            seen.Add(credential);
            await WaitForIdleAsync();
        }

        Assert.That(seen.Distinct().Count(), Is.GreaterThan(24), "tokens were renewed along the way");
    }

    [Test]
    public async Task A_token_the_registry_refused_is_dropped()
    {
        var first = await _host.ResolveCredentialAsync(_image);
        var resolution = await _host.Resolver.ResolveAsync(ImageReference.Parse(_image));

        await _host.Resolver.ReportRejectedAsync(resolution);
        var second = await _host.ResolveCredentialAsync(_image);

        Assert.That(second, Is.Not.SameAs(first));
        Assert.That(_ecr.TokensIssued, Is.EqualTo(2));
    }

    [Test]
    public async Task Deactivating_or_deleting_the_entry_drops_its_token()
    {
        await _host.ResolveCredentialAsync(_image);
        var cache = (RegistryTokenCache)_host.Services.GetService(typeof(RegistryTokenCache))!;
        Assert.That(cache.Count, Is.EqualTo(1));

        await _host.Manager.DeactivateAsync(_registry);
        Assert.That(cache.Count, Is.Zero, "deactivate drops the token");

        await _host.Manager.ActivateAsync(_registry);
        await _host.ResolveCredentialAsync(_image);
        await _host.Manager.DeleteAsync(_registry);
        Assert.That(cache.Count, Is.Zero, "delete drops the token");
        Assert.That(_ecr.TokensIssued, Is.EqualTo(2));
    }

    private int FailuresLogged() => _host.Logs.Lines.Count(l => l.Contains("could not be fetched", StringComparison.Ordinal));

    /// <summary>Lets a background refresh that already reached the endpoint finish before the clock moves on.</summary>
    private static Task WaitForIdleAsync() => Task.Delay(50);
}
