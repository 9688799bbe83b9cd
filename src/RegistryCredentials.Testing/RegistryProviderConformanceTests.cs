using System.Diagnostics.CodeAnalysis;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using NUnit.Framework;

namespace RegistryCredentials.Testing;

/// <summary>
/// The behaviour every <see cref="RegistryCredentialProvider"/> that makes expiring tokens must have, run through the
/// public API (manager and resolver) against the provider's fake upstream token service: a token is fetched once and
/// cached; updating, deactivating and deleting the entry evict its tokens; a 401/403 report drops the token; an expired
/// credential is never served; 1,000 concurrent callers cause one upstream call; and the secret (and every token the
/// upstream issued) never appears in a log line, an exception, a <c>ToString()</c> or the JSON of anything returned.
/// </summary>
/// <remarks>
/// Inherit it in an NUnit test project and fill in the hooks. Per test the suite calls <see cref="StartUpstreamAsync"/>
/// with the test's <see cref="FakeTimeProvider"/> (start the fake token service there, on that clock, so that advancing
/// the clock expires its tokens), builds a <see cref="RegistryProviderTestHost"/> whose builder goes through
/// <see cref="AddProvider"/>, and asks <see cref="CreateEntry"/> for entries. The fake upstream counts the requests that
/// reach it (<see cref="UpstreamCalls"/>) and fails them on demand (<see cref="SetUpstreamFailing"/>) with an error the
/// provider does not retry. Start fakes in the hooks, not in your own <c>[SetUp]</c>, which NUnit runs after the suite's.
/// </remarks>
/// <example>
/// <code>
/// [TestFixture]
/// public sealed class QuayProviderConformance : RegistryProviderConformanceTests
/// {
///     private FakeQuay _quay = null!;
///
///     protected override async Task StartUpstreamAsync(FakeTimeProvider time) =&gt; _quay = await FakeQuay.StartAsync(time);
///     protected override Task StopUpstreamAsync() =&gt; _quay.DisposeAsync().AsTask();
///     protected override void AddProvider(RegistryCredentialsBuilder builder) =&gt; builder.AddQuay();
///     protected override RegistryProviderTestEntry CreateEntry() =&gt; new()
///     {
///         Scope = _quay.Registry,
///         Type = QuayCredentialProvider.QuayType,
///         Username = "acme+ci",
///         Secret = _quay.NewRobotToken(),
///         Image = _quay.Registry + "/acme/app:1",
///         CaCertificates = _quay.CaPem,
///     };
///     protected override int UpstreamCalls =&gt; _quay.TokenRequests;
///     protected override void SetUpstreamFailing(bool failing) =&gt; _quay.Fail = failing;
/// }
/// </code>
/// </example>
[TestFixture]
[SuppressMessage(
    "Design",
    "CA1001:Types that own disposable fields should be disposable",
    Justification = "The host lives for one test and is disposed in [TearDown].")]
public abstract class RegistryProviderConformanceTests
{
    private const int ConcurrentCallers = 1_000;
    private RegistryProviderTestHost? _host;

    /// <summary>The host of the running test.</summary>
    protected RegistryProviderTestHost Host => _host ?? throw new InvalidOperationException("The host exists only while a test runs.");

    /// <summary>Where the test's clock starts. Default 2026-11-25 08:00 UTC.</summary>
    protected virtual DateTimeOffset StartTime => new(2026, 11, 25, 8, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// How many requests reached the fake upstream token service so far, counted when they arrive (so that a request
    /// held by <see cref="HoldUpstream"/> counts).
    /// </summary>
    protected abstract int UpstreamCalls { get; }

    /// <summary>Tokens the fake upstream issued so far: like the secret, they must never appear. Default none.</summary>
    protected virtual IEnumerable<string> IssuedSecrets => [];

    /// <summary>
    /// Lines logged elsewhere than through <c>ILogger</c> during the test (an SDK's own event source, say), read at the end of
    /// the secret canary: they must not show a secret either. Default none.
    /// </summary>
    protected virtual IEnumerable<string> ExternalLogLines => [];

    /// <summary>Starts the fake upstream for one test, on <paramref name="time"/>. Called before the host is built.</summary>
    /// <param name="time">The test's clock.</param>
    /// <returns>A task.</returns>
    protected abstract Task StartUpstreamAsync(FakeTimeProvider time);

    /// <summary>Stops the fake upstream after a test. Default nothing.</summary>
    /// <returns>A task.</returns>
    protected virtual Task StopUpstreamAsync() => Task.CompletedTask;

    /// <summary>
    /// Adds the provider under test, pointed at the fake upstream: usually one line, such as
    /// <c>builder.AddQuay(o =&gt; o.TokenUri = …)</c>.
    /// </summary>
    /// <param name="builder">The builder of the test's host.</param>
    protected abstract void AddProvider(RegistryCredentialsBuilder builder);

    /// <summary>
    /// Makes an entry that gets an expiring credential from the fake upstream, with a secret made up now. Called after
    /// <see cref="AddProvider"/>, once or more per test; the suite uses the first entry's scope and may update it with the
    /// user name and secret of a later one, which the upstream must accept too.
    /// </summary>
    /// <returns>The entry.</returns>
    protected abstract RegistryProviderTestEntry CreateEntry();

    /// <summary>Makes the fake upstream refuse every token request (or stop refusing), with an error the provider does not retry.</summary>
    /// <param name="failing">Whether requests fail.</param>
    protected abstract void SetUpstreamFailing(bool failing);

    /// <summary>
    /// Makes the fake upstream hold its answers until <see cref="ReleaseUpstream"/>, so that the 1,000 callers surely
    /// overlap one call in flight. Optional: return false (the default) when the fake cannot.
    /// </summary>
    /// <returns>Whether answers are held.</returns>
    protected virtual bool HoldUpstream() => false;

    /// <summary>Lets held answers go (see <see cref="HoldUpstream"/>).</summary>
    protected virtual void ReleaseUpstream()
    {
    }

    /// <summary>
    /// Runs the provider's own failure cases for the secret canary, each with a secret in play (a malformed key, a mode
    /// that is not allowed, an upstream answer of another kind …): use <see cref="RegistryProviderTestHost.CatchAsync"/>,
    /// <see cref="RegistryProviderTestHost.Observe"/> and <see cref="RegistryProviderTestHost.WatchSecret"/>. Default none.
    /// </summary>
    /// <param name="host">The test's host.</param>
    /// <param name="entry">The entry the canary added (still stored, active, with a working secret).</param>
    /// <returns>A task.</returns>
    protected virtual Task ExerciseFailuresAsync(RegistryProviderTestHost host, RegistryProviderTestEntry entry) => Task.CompletedTask;

    /// <summary>Starts the fake upstream and the host.</summary>
    /// <returns>A task.</returns>
    [SetUp]
    public async Task StartHostAsync()
    {
        var time = new FakeTimeProvider(StartTime);
        await StartUpstreamAsync(time).ConfigureAwait(false);
        _host = new RegistryProviderTestHost(time, AddProvider);
    }

    /// <summary>Disposes the host and stops the fake upstream.</summary>
    /// <returns>A task.</returns>
    [TearDown]
    public async Task StopHostAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync().ConfigureAwait(false);
            _host = null;
        }

        await StopUpstreamAsync().ConfigureAwait(false);
    }

    /// <summary>The first resolve fetches a token that expires; the next is served from the cache.</summary>
    /// <returns>A task.</returns>
    [Test]
    public async Task ATokenIsFetchedOnceAndThenServedFromTheCache()
    {
        var entry = await AddAsync().ConfigureAwait(false);
        var before = UpstreamCalls;

        var first = await ResolveAsync(entry).ConfigureAwait(false);
        var second = await ResolveAsync(entry).ConfigureAwait(false);

        Assert.That(first.ExpiresOn, Is.GreaterThan(Host.Time.GetUtcNow()), "the provider under test must make expiring tokens");
        Assert.That(UpstreamCalls - before, Is.EqualTo(1));
        Assert.That(second.Secret.Reveal(), Is.EqualTo(first.Secret.Reveal()));
    }

    /// <summary>Updating the entry (even only its e-mail) evicts its tokens: the next resolve fetches a new one.</summary>
    /// <returns>A task.</returns>
    [Test]
    public async Task UpdateEvictsTheEntrysTokens()
    {
        var entry = await AddAsync().ConfigureAwait(false);
        await ResolveAsync(entry).ConfigureAwait(false);
        var before = UpstreamCalls;

        await Host.Manager.UpdateAsync(new RegistryUpdateRequest
        {
            Scope = entry.Scope,
            Email = "changed@example.com",
            Validate = false,
        }).ConfigureAwait(false);
        await ResolveAsync(entry).ConfigureAwait(false);

        Assert.That(UpstreamCalls - before, Is.EqualTo(1));
    }

    /// <summary>Deactivating the entry evicts its tokens: after activating it again, the next resolve fetches a new one.</summary>
    /// <returns>A task.</returns>
    [Test]
    public async Task DeactivateEvictsTheEntrysTokens()
    {
        var entry = await AddAsync().ConfigureAwait(false);
        await ResolveAsync(entry).ConfigureAwait(false);
        var before = UpstreamCalls;

        await Host.Manager.DeactivateAsync(RegistryScope.Parse(entry.Scope)).ConfigureAwait(false);
        var denied = await Host.Resolver.ResolveAsync(entry.Image).ConfigureAwait(false);
        await Host.Manager.ActivateAsync(RegistryScope.Parse(entry.Scope)).ConfigureAwait(false);
        await ResolveAsync(entry).ConfigureAwait(false);

        Assert.That(denied.HasCredential, Is.False, "a deactivated entry gives no credential");
        Assert.That(UpstreamCalls - before, Is.EqualTo(1));
    }

    /// <summary>Deleting the entry evicts its tokens: the same entry added again gets a new one.</summary>
    /// <returns>A task.</returns>
    [Test]
    public async Task DeleteEvictsTheEntrysTokens()
    {
        var entry = await AddAsync().ConfigureAwait(false);
        await ResolveAsync(entry).ConfigureAwait(false);
        var before = UpstreamCalls;

        await Host.Manager.DeleteAsync(RegistryScope.Parse(entry.Scope)).ConfigureAwait(false);
        await Host.Manager.AddAsync(entry.ToAddRequest()).ConfigureAwait(false);
        await ResolveAsync(entry).ConfigureAwait(false);

        Assert.That(UpstreamCalls - before, Is.EqualTo(1));
    }

    /// <summary>A pull refused with 401/403, reported through <see cref="IRegistryCredentialResolver.ReportRejectedAsync"/>, drops the token.</summary>
    /// <returns>A task.</returns>
    [Test]
    public async Task ARejectionReportDropsTheToken()
    {
        var entry = await AddAsync().ConfigureAwait(false);
        var resolution = await Host.Resolver.ResolveAsync(entry.Image).ConfigureAwait(false);
        Assert.That(resolution.HasCredential, Is.True, resolution.Message);
        var before = UpstreamCalls;

        await Host.Resolver.ReportRejectedAsync(resolution).ConfigureAwait(false);
        var next = await ResolveAsync(entry).ConfigureAwait(false);

        Assert.That(UpstreamCalls - before, Is.EqualTo(1));
        Assert.That(next.Secret.Reveal(), Is.Not.EqualTo(resolution.Credential!.Secret.Reveal()), "a new token, not the refused one");
    }

    /// <summary><see cref="RegistryCredentialProvider.InvalidateAsync"/> drops the entry's token.</summary>
    /// <returns>A task.</returns>
    [Test]
    public async Task InvalidateAsyncDropsTheToken()
    {
        var entry = await AddAsync().ConfigureAwait(false);
        var first = await ResolveAsync(entry).ConfigureAwait(false);
        var stored = await Host.Manager.GetAsync(RegistryScope.Parse(entry.Scope)).ConfigureAwait(false);
        var before = UpstreamCalls;

        await Host.Provider(entry.Type).InvalidateAsync(stored).ConfigureAwait(false);
        var next = await ResolveAsync(entry).ConfigureAwait(false);

        Assert.That(UpstreamCalls - before, Is.EqualTo(1));
        Assert.That(next.Secret.Reveal(), Is.Not.EqualTo(first.Secret.Reveal()));
    }

    /// <summary>
    /// A credential is served until its <see cref="RegistryCredential.ExpiresOn"/> and never at or after it: with the
    /// upstream failing the resolve fails, and once the upstream answers again the resolve gets a new, unexpired token.
    /// </summary>
    /// <returns>A task.</returns>
    [Test]
    public async Task AnExpiredCredentialIsNeverServed()
    {
        var entry = await AddAsync().ConfigureAwait(false);
        var first = await ResolveAsync(entry).ConfigureAwait(false);
        Assert.That(first.ExpiresOn, Is.Not.Null, "the provider under test must make expiring tokens");
        var expiresOn = first.ExpiresOn!.Value;

        SetUpstreamFailing(true);
        Host.Time.SetUtcNow(expiresOn - TimeSpan.FromSeconds(1));
        var beforeExpiry = await ResolveAsync(entry).ConfigureAwait(false);
        Host.Time.SetUtcNow(expiresOn);
        var atExpiry = await Host.CatchAsync(async () => await Host.Resolver.ResolveAsync(entry.Image).ConfigureAwait(false)).ConfigureAwait(false);
        Host.Time.Advance(TimeSpan.FromHours(1));
        var afterExpiry = await Host.CatchAsync(async () => await Host.Resolver.ResolveAsync(entry.Image).ConfigureAwait(false)).ConfigureAwait(false);
        SetUpstreamFailing(false);
        var calls = UpstreamCalls;
        var renewed = await ResolveAsync(entry).ConfigureAwait(false);

        Assert.That(beforeExpiry.Secret.Reveal(), Is.EqualTo(first.Secret.Reveal()), "served until it expires, whatever the upstream does");
        Assert.That(atExpiry, Is.Not.Null, "at its expiry, with the upstream failing, the resolve fails");
        Assert.That(afterExpiry, Is.Not.Null, "after its expiry, with the upstream failing, the resolve fails");
        Assert.That(UpstreamCalls, Is.GreaterThan(calls), "once the upstream answers, a new token is fetched");
        Assert.That(renewed.ExpiresOn, Is.GreaterThan(Host.Time.GetUtcNow()));
        Assert.That(renewed.Secret.Reveal(), Is.Not.EqualTo(first.Secret.Reveal()));
    }

    /// <summary>1,000 concurrent resolves on a cold cache make one upstream call, and every caller gets its token.</summary>
    /// <returns>A task.</returns>
    [Test]
    public async Task ConcurrentCallersCauseOneUpstreamCall()
    {
        var entry = await AddAsync().ConfigureAwait(false);
        var image = ImageReference.Parse(entry.Image);
        await Host.Resolver.ResolveAsync(ImageReference.Parse("docker.io/library/busybox:1")).ConfigureAwait(false); // builds the index; no upstream call
        var before = UpstreamCalls;
        var held = HoldUpstream();
        var resolves = new Task<RegistryResolution>[ConcurrentCallers];
        try
        {
            Parallel.For(0, resolves.Length, i => resolves[i] = Host.Resolver.ResolveAsync(image).AsTask());
            if (held)
            {
                await WaitUntilAsync(() => UpstreamCalls > before, "the one call reached the upstream").ConfigureAwait(false);
                await Task.Delay(100).ConfigureAwait(false); // time for a second call to show up, if the cache let one through
            }
        }
        finally
        {
            if (held)
            {
                ReleaseUpstream();
            }
        }

        var results = await Task.WhenAll(resolves).ConfigureAwait(false);

        Assert.That(UpstreamCalls - before, Is.EqualTo(1));
        Assert.That(
            results.Select(r => r.Credential?.Secret.Reveal()).Distinct().ToList(),
            Has.Count.EqualTo(1).And.None.Null,
            "every caller got the one token");
    }

    /// <summary>
    /// The secret (and its fragments, and every token the upstream issued) appears in no log line at any level, no
    /// exception, no <c>ToString()</c> and no JSON of anything the public API returned, through successes and failures of
    /// every kind: conflict, stale version, a registry refusing the credential, the upstream failing, an expired token, a
    /// missing entry, and the provider's own cases (<see cref="ExerciseFailuresAsync"/>).
    /// </summary>
    /// <returns>A task.</returns>
    [Test]
    public async Task TheSecretNeverAppearsInLogsExceptionsOrToString()
    {
        var host = Host;
        var entry = CreateEntry();
        var replacement = CreateEntry();
        foreach (var secret in new[] { entry, replacement }.SelectMany(e => e.SecretFragments.Prepend(e.Secret)))
        {
            host.WatchSecret(secret);
        }

        var scope = RegistryScope.Parse(entry.Scope);
        var request = entry.ToAddRequest(validate: true);
        host.Observe(request);
        host.Observe(await host.Manager.AddAsync(request).ConfigureAwait(false));
        host.Observe(await host.Manager.ListAsync().ConfigureAwait(false));
        host.Observe(await host.Manager.GetAsync(scope).ConfigureAwait(false));
        host.Observe(await host.Store.ListAsync(null).ConfigureAwait(false));
        var resolution = await host.Resolver.ResolveAsync(entry.Image).ConfigureAwait(false);
        host.Observe(resolution);
        host.Observe(resolution.Credential);
        host.Observe(resolution.Credential?.Secret);
        host.Observe(resolution.Entry);
        await host.Resolver.ReportRejectedAsync(resolution).ConfigureAwait(false);
        host.Observe(await host.Resolver.ResolveAsync(entry.Image).ConfigureAwait(false));
        host.Observe(await host.Manager.ValidateAsync(scope).ConfigureAwait(false));
        host.Observe(await host.Manager.DeactivateAsync(scope).ConfigureAwait(false));
        host.Observe(await host.Resolver.ResolveAsync(entry.Image).ConfigureAwait(false));
        host.Observe(await host.Manager.ActivateAsync(scope).ConfigureAwait(false));

        // Failures of every kind, each with a secret in the request or in play.
        await host.CatchAsync(() => host.Manager.AddAsync(request)).ConfigureAwait(false);
        var stale = new RegistryUpdateRequest { Scope = entry.Scope, Username = replacement.Username, Password = replacement.Secret, ExpectedVersion = 99 };
        host.Observe(stale);
        await host.CatchAsync(() => host.Manager.UpdateAsync(stale)).ConfigureAwait(false);
        host.ValidationResult = new RegistryValidationResult(RegistryValidationOutcome.Unauthorized, "401 from the registry");
        await host.CatchAsync(() => host.Manager.UpdateAsync(new RegistryUpdateRequest
        {
            Scope = entry.Scope,
            Username = replacement.Username,
            Password = replacement.Secret,
        })).ConfigureAwait(false);
        host.ValidationResult = RegistryValidationResult.Valid;
        SetUpstreamFailing(true);
        await host.CatchAsync(() => host.Manager.UpdateAsync(new RegistryUpdateRequest
        {
            Scope = entry.Scope,
            Username = replacement.Username,
            Password = replacement.Secret,
        })).ConfigureAwait(false);
        await host.CatchAsync(async () => host.Observe(await host.Resolver.ResolveAsync(entry.Image).ConfigureAwait(false))).ConfigureAwait(false);
        var current = await host.Manager.UpdateAsync(new RegistryUpdateRequest
        {
            Scope = entry.Scope,
            Email = "other@example.com",
            Validate = false,
        }).ConfigureAwait(false);
        host.Observe(current);
        await host.CatchAsync(async () => host.Observe(await host.Resolver.ResolveAsync(entry.Image).ConfigureAwait(false))).ConfigureAwait(false);
        SetUpstreamFailing(false);
        var fresh = await ResolveAsync(entry).ConfigureAwait(false);
        host.Observe(fresh);
        SetUpstreamFailing(true);
        host.Time.SetUtcNow(fresh.ExpiresOn ?? host.Time.GetUtcNow().AddDays(1));
        await host.CatchAsync(async () => host.Observe(await host.Resolver.ResolveAsync(entry.Image).ConfigureAwait(false))).ConfigureAwait(false);
        SetUpstreamFailing(false);
        await ExerciseFailuresAsync(host, entry).ConfigureAwait(false);

        var update = new RegistryUpdateRequest { Scope = entry.Scope, Username = replacement.Username, Password = replacement.Secret };
        host.Observe(update);
        host.Observe(await host.Manager.UpdateAsync(update).ConfigureAwait(false));
        host.Observe(await host.Resolver.ResolveAsync(entry.Image).ConfigureAwait(false));
        await host.Manager.DeleteAsync(scope).ConfigureAwait(false);
        await host.CatchAsync(() => host.Manager.DeleteAsync(scope)).ConfigureAwait(false);
        await host.CatchAsync(() => host.Manager.GetAsync(scope)).ConfigureAwait(false);

        var issued = IssuedSecrets.ToList();
        foreach (var token in issued)
        {
            host.WatchSecret(token);
        }

        var texts = host.Texts.Concat(host.LogLines).Concat(ExternalLogLines).ToList();
        Assert.That(issued, Is.Not.Empty, "the upstream issued tokens (IssuedSecrets), so the canary also looks for them");
        Assert.That(host.Exceptions, Is.GreaterThanOrEqualTo(7), "the failure paths threw");
        Assert.That(host.LogLines, Is.Not.Empty, "the provider and the library logged");
        foreach (var secret in host.Secrets.Distinct())
        {
            var base64 = Convert.ToBase64String(Encoding.UTF8.GetBytes(secret));
            Assert.That(texts, Has.None.Contain(secret), $"a secret showed up in: {texts.Find(t => t.Contains(secret, StringComparison.Ordinal))}");
            Assert.That(
                texts,
                Has.None.Contain(base64),
                $"a secret showed up base64-encoded in: {texts.Find(t => t.Contains(base64, StringComparison.Ordinal))}");
        }
    }

    /// <summary>Adds an entry from <see cref="CreateEntry"/> without validation.</summary>
    /// <returns>The entry.</returns>
    protected async Task<RegistryProviderTestEntry> AddAsync()
    {
        var entry = CreateEntry();
        await Host.Manager.AddAsync(entry.ToAddRequest()).ConfigureAwait(false);
        return entry;
    }

    /// <summary>Resolves the entry's image and returns the credential (the resolution must be one).</summary>
    /// <param name="entry">The entry.</param>
    /// <returns>The credential.</returns>
    protected async Task<RegistryCredential> ResolveAsync(RegistryProviderTestEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var resolution = await Host.Resolver.ResolveAsync(entry.Image).ConfigureAwait(false);
        Assert.That(resolution.HasCredential, Is.True, resolution.Message);
        return resolution.Credential!;
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        for (var i = 0; i < 1_000 && !condition(); i++)
        {
            await Task.Delay(10).ConfigureAwait(false);
        }

        Assert.That(condition(), Is.True, "timed out waiting until " + what);
    }
}
