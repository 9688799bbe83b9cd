using Microsoft.Extensions.Time.Testing;
using RegistryCredentials.Tests.Support;

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

    private static RegistryEntry Entry(string scope, string account = "acct") => new()
    {
        Account = account,
        Scope = RegistryScope.Parse(scope),
        Name = scope,
        Type = RegistryType.DockerV2,
        Username = "user",
        CreatedOn = DateTimeOffset.UnixEpoch,
        UpdatedOn = DateTimeOffset.UnixEpoch,
    };

    private RegistryTokenKey Key(string part = "k") => _cache.CreateKey(Entry("reg.io"), RegistryType.Google, part);

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

        var waiters = Enumerable.Range(0, 1000).Select(_ => _cache.GetOrCreateAsync(Key("k"), Factory).AsTask()).ToArray();
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

        var first = await _cache.GetOrCreateAsync(Key("ecr"), Factory);
        _time.Advance(TimeSpan.FromHours(5));
        Assert.That((await _cache.GetOrCreateAsync(Key("ecr"), Factory)).Secret.Reveal(), Is.EqualTo("t1"));
        Assert.That(version, Is.EqualTo(1));

        // Past half-life: the current token is still served, a refresh starts.
        _time.Advance(TimeSpan.FromHours(2));
        Assert.That(await _cache.GetOrCreateAsync(Key("ecr"), Factory), Is.SameAs(first));
        await WaitUntilAsync(() => Volatile.Read(ref version) == 2);
        await WaitUntilAsync(async () => (await _cache.GetOrCreateAsync(Key("ecr"), Factory)).Secret.Reveal() == "t2");
    }

    [Test]
    public async Task Failed_refresh_keeps_serving_until_expiry_and_never_after()
    {
        var fail = false;
        Task<RegistryCredential> Factory(CancellationToken ct) =>
            fail ? Task.FromException<RegistryCredential>(new InvalidOperationException("upstream down")) : Task.FromResult(Token("t", TimeSpan.FromHours(1)));

        await _cache.GetOrCreateAsync(Key("k"), Factory);
        fail = true;
        _time.Advance(TimeSpan.FromMinutes(45));
        Assert.That((await _cache.GetOrCreateAsync(Key("k"), Factory)).Secret.Reveal(), Is.EqualTo("t"));
        await WaitUntilAsync(() => _cache.UpstreamCalls == 2);

        _time.Advance(TimeSpan.FromMinutes(15)); // exactly at expiry
        Assert.ThrowsAsync<InvalidOperationException>(async () => await _cache.GetOrCreateAsync(Key("k"), Factory));
    }

    [Test]
    public async Task A_failure_is_not_cached()
    {
        var calls = 0;
        Task<RegistryCredential> Factory(CancellationToken ct) => ++calls == 1
            ? Task.FromException<RegistryCredential>(new InvalidOperationException("once"))
            : Task.FromResult(Token("ok", TimeSpan.FromMinutes(5)));

        Assert.ThrowsAsync<InvalidOperationException>(async () => await _cache.GetOrCreateAsync(Key("k"), Factory));
        Assert.That((await _cache.GetOrCreateAsync(Key("k"), Factory)).Secret.Reveal(), Is.EqualTo("ok"));
    }

    [Test]
    public void An_already_expired_credential_is_refused()
    {
        Task<RegistryCredential> Factory(CancellationToken ct) =>
            Task.FromResult(RegistryCredential.FromRegistryToken("old", _time.GetUtcNow().AddSeconds(-1)));
        var error = Assert.ThrowsAsync<RegistryAuthenticationException>(async () => await _cache.GetOrCreateAsync(Key("k"), Factory));
        Assert.That(error!.Outcome, Is.EqualTo(RegistryValidationOutcome.ProtocolError));
    }

    [Test]
    public async Task Evict_drops_one_key_and_EvictEntry_the_tokens_of_an_entry()
    {
        var n = 0;
        Task<RegistryCredential> Factory(CancellationToken ct) => Task.FromResult(Token("t" + ++n, TimeSpan.FromHours(1)));
        var entry = Entry("reg.io");
        var first = _cache.CreateKey(entry, RegistryType.Google, "1");
        var second = _cache.CreateKey(entry, RegistryType.Google, "2");
        var otherProvider = _cache.CreateKey(entry, RegistryType.Azure, "1");
        var otherEntry = _cache.CreateKey(Entry("other.io"), RegistryType.Google, "1");
        var otherAccount = _cache.CreateKey(Entry("reg.io", account: "acct2"), RegistryType.Google, "1");
        foreach (var key in new[] { first, second, otherProvider, otherEntry, otherAccount })
        {
            await _cache.GetOrCreateAsync(key, Factory);
        }

        Assert.That(_cache.Evict(first), Is.True);
        Assert.That(_cache.Evict(first), Is.False);
        Assert.That(
            _cache.EvictEntry(entry with { Version = 7, Username = "changed" }, RegistryType.Google),
            Is.EqualTo(1),
            "one provider's tokens of the entry (its account and scope)");
        Assert.That(_cache.Count, Is.EqualTo(3));
        Assert.That(_cache.EvictEntry(entry), Is.EqualTo(1), "every provider's tokens of the entry");
        Assert.That(_cache.Count, Is.EqualTo(2), "other entries and accounts keep theirs");
        Assert.That((await _cache.GetOrCreateAsync(first, Factory)).Secret.Reveal(), Is.EqualTo("t6"));
        Assert.That((await _cache.GetOrCreateAsync(otherEntry, Factory)).Secret.Reveal(), Is.EqualTo("t4"));
    }

    [Test]
    public void Keys_are_equal_for_the_same_entry_provider_and_parts_only()
    {
        var entry = Entry("reg.io/team/*");
        var key = _cache.CreateKey(entry, RegistryType.Google, "a", "b");

        Assert.Multiple(() =>
        {
            Assert.That(_cache.CreateKey(entry with { Version = 3, Name = "renamed" }, RegistryType.Google, "a", "b"), Is.EqualTo(key));
            Assert.That(_cache.CreateKey(entry, RegistryType.Google, "a", "b").GetHashCode(), Is.EqualTo(key.GetHashCode()));
            Assert.That(_cache.CreateKey(entry, RegistryType.Google, "ab"), Is.Not.EqualTo(key));
            Assert.That(_cache.CreateKey(entry, RegistryType.Google, "a", "b", string.Empty), Is.Not.EqualTo(key));
            Assert.That(_cache.CreateKey(entry, RegistryType.Google, "ab", "c"), Is.Not.EqualTo(_cache.CreateKey(entry, RegistryType.Google, "a", "bc")));
            Assert.That(_cache.CreateKey(entry, RegistryType.Azure, "a", "b"), Is.Not.EqualTo(key));
            Assert.That(_cache.CreateKey(Entry("reg.io/other/*"), RegistryType.Google, "a", "b"), Is.Not.EqualTo(key));
            Assert.That(_cache.CreateKey(Entry("reg.io/team/*", account: "acct2"), RegistryType.Google, "a", "b"), Is.Not.EqualTo(key));
            Assert.That(key.Account, Is.EqualTo("acct"));
            Assert.That(key.Scope, Is.EqualTo(entry.Scope));
            Assert.That(key.Provider, Is.EqualTo(RegistryType.Google));
        });
    }

    [Test]
    public void A_key_keeps_its_parts_only_as_a_hash_and_never_shows_them()
    {
        var secret = TestHost.NewSecret();
        var key = _cache.CreateKey(Entry("reg.io"), RegistryType.AwsEcr, "identity", secret);

        Assert.That(key.ToString(), Is.EqualTo("acct reg.io (awsecr)"));
        Assert.That(System.Text.Json.JsonSerializer.Serialize(key), Does.Not.Contain(secret));
        using var other = new RegistryTokenCache(_time);
        Assert.That(other.CreateKey(Entry("reg.io"), RegistryType.AwsEcr, "identity", secret), Is.Not.EqualTo(key), "the hash is keyed per cache");
    }

    [Test]
    public void A_null_part_is_refused()
    {
        Assert.Throws<ArgumentNullException>(() => _cache.CreateKey(Entry("reg.io"), RegistryType.Google, "a", null!));
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
        var first = _cache.GetOrCreateAsync(Key("k"), Factory, impatient.Token).AsTask();
        var second = _cache.GetOrCreateAsync(Key("k"), Factory).AsTask();
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
