using Microsoft.Extensions.Time.Testing;

namespace RegistryCredentials.Tests;

public class RegistryTokenCacheTests
{
    private FakeTimeProvider _time = null!;
    private RegistryTokenCache _cache = null!;

    [SetUp]
    public void SetUp()
    {
        _time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 8, 0, 0, TimeSpan.Zero));
        _cache = new RegistryTokenCache(_time);
    }

    [TearDown]
    public void TearDown() => _cache.Dispose();

    private RegistryCredential Token(string value, TimeSpan lifetime) =>
        RegistryCredential.FromRegistryToken(value, _time.GetUtcNow() + lifetime, _time.GetUtcNow() + (lifetime / 2));

    [Test]
    public async Task Concurrent_callers_share_one_upstream_call()
    {
        var release = new TaskCompletionSource();
        var calls = 0;
        async Task<RegistryCredential> Factory(CancellationToken ct)
        {
            Interlocked.Increment(ref calls);
            await release.Task;
            return Token("t1", TimeSpan.FromHours(1));
        }

        var waiters = Enumerable.Range(0, 1000).Select(_ => _cache.GetOrCreateAsync("k", Factory).AsTask()).ToArray();
        release.SetResult();
        var results = await Task.WhenAll(waiters);

        Assert.That(calls, Is.EqualTo(1));
        Assert.That(_cache.UpstreamCalls, Is.EqualTo(1));
        Assert.That(results.Select(r => r.Secret.Reveal()).Distinct(), Is.EqualTo(new[] { "t1" }));
    }

    [Test]
    public async Task Cached_until_refresh_time_then_refreshed_in_the_background()
    {
        var version = 0;
        Task<RegistryCredential> Factory(CancellationToken ct) => Task.FromResult(Token("t" + Interlocked.Increment(ref version), TimeSpan.FromHours(12)));

        var first = await _cache.GetOrCreateAsync("ecr", Factory);
        _time.Advance(TimeSpan.FromHours(5));
        Assert.That((await _cache.GetOrCreateAsync("ecr", Factory)).Secret.Reveal(), Is.EqualTo("t1"));
        Assert.That(version, Is.EqualTo(1));

        // Past half-life: the current token is still served, a refresh starts.
        _time.Advance(TimeSpan.FromHours(2));
        Assert.That(await _cache.GetOrCreateAsync("ecr", Factory), Is.SameAs(first));
        await WaitUntilAsync(() => Volatile.Read(ref version) == 2);
        await WaitUntilAsync(async () => (await _cache.GetOrCreateAsync("ecr", Factory)).Secret.Reveal() == "t2");
    }

    [Test]
    public async Task Failed_refresh_keeps_serving_until_expiry_and_never_after()
    {
        var fail = false;
        Task<RegistryCredential> Factory(CancellationToken ct) =>
            fail ? Task.FromException<RegistryCredential>(new InvalidOperationException("upstream down")) : Task.FromResult(Token("t", TimeSpan.FromHours(1)));

        await _cache.GetOrCreateAsync("k", Factory);
        fail = true;
        _time.Advance(TimeSpan.FromMinutes(45));
        Assert.That((await _cache.GetOrCreateAsync("k", Factory)).Secret.Reveal(), Is.EqualTo("t"));
        await WaitUntilAsync(() => _cache.UpstreamCalls == 2);

        _time.Advance(TimeSpan.FromMinutes(15)); // exactly at expiry
        Assert.ThrowsAsync<InvalidOperationException>(async () => await _cache.GetOrCreateAsync("k", Factory));
    }

    [Test]
    public async Task A_failure_is_not_cached()
    {
        var calls = 0;
        Task<RegistryCredential> Factory(CancellationToken ct) => ++calls == 1
            ? Task.FromException<RegistryCredential>(new InvalidOperationException("once"))
            : Task.FromResult(Token("ok", TimeSpan.FromMinutes(5)));

        Assert.ThrowsAsync<InvalidOperationException>(async () => await _cache.GetOrCreateAsync("k", Factory));
        Assert.That((await _cache.GetOrCreateAsync("k", Factory)).Secret.Reveal(), Is.EqualTo("ok"));
    }

    [Test]
    public void An_already_expired_credential_is_refused()
    {
        Task<RegistryCredential> Factory(CancellationToken ct) =>
            Task.FromResult(RegistryCredential.FromRegistryToken("old", _time.GetUtcNow().AddSeconds(-1)));
        var error = Assert.ThrowsAsync<RegistryAuthenticationException>(async () => await _cache.GetOrCreateAsync("k", Factory));
        Assert.That(error!.Outcome, Is.EqualTo(RegistryValidationOutcome.ProtocolError));
    }

    [Test]
    public async Task Evict_and_evict_by_prefix_drop_tokens()
    {
        var n = 0;
        Task<RegistryCredential> Factory(CancellationToken ct) => Task.FromResult(Token("t" + ++n, TimeSpan.FromHours(1)));
        await _cache.GetOrCreateAsync("acct\nreg.io\n1", Factory);
        await _cache.GetOrCreateAsync("acct\nreg.io\n2", Factory);
        await _cache.GetOrCreateAsync("acct\nother.io\n1", Factory);

        Assert.That(_cache.Evict("acct\nreg.io\n1"), Is.True);
        Assert.That(_cache.EvictByPrefix("acct\nreg.io\n"), Is.EqualTo(1));
        Assert.That(_cache.Count, Is.EqualTo(1));
        Assert.That((await _cache.GetOrCreateAsync("acct\nreg.io\n1", Factory)).Secret.Reveal(), Is.EqualTo("t4"));
    }

    [Test]
    public async Task One_caller_giving_up_does_not_cancel_the_shared_call()
    {
        var release = new TaskCompletionSource();
        async Task<RegistryCredential> Factory(CancellationToken ct)
        {
            await release.Task;
            return Token("shared", TimeSpan.FromHours(1));
        }

        using var impatient = new CancellationTokenSource();
        var first = _cache.GetOrCreateAsync("k", Factory, impatient.Token).AsTask();
        var second = _cache.GetOrCreateAsync("k", Factory).AsTask();
        await impatient.CancelAsync();
        Assert.ThrowsAsync<TaskCanceledException>(async () => await first);
        release.SetResult();
        Assert.That((await second).Secret.Reveal(), Is.EqualTo("shared"));
        Assert.That(_cache.UpstreamCalls, Is.EqualTo(1));
    }

    private static Task WaitUntilAsync(Func<bool> condition) => WaitUntilAsync(() => Task.FromResult(condition()));

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 500; i++)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(10);
        }

        Assert.Fail("condition not met within 5 s");
    }
}
