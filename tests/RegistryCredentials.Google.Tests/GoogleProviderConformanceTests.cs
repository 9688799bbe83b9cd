using Microsoft.Extensions.Time.Testing;
using RegistryCredentials.Google.Tests.Support;
using RegistryCredentials.Testing;

namespace RegistryCredentials.Google.Tests;

/// <summary>
/// The provider conformance suite of <c>RegistryCredentials.Testing</c> against the Google provider exchanging
/// service-account keys (<c>_json_key</c>, a fresh RSA key per entry) for access tokens at the loopback OAuth token
/// endpoint (<see cref="FakeGoogleOAuthServer"/>: the JWT-bearer assertion's signature, <c>kid</c>, <c>aud</c>,
/// <c>scope</c> and <c>iat</c> on the test's clock checked as Google does). A failing upstream answers 400
/// <c>invalid_grant</c>. The Google-specific failures of the secret canary are those of the former
/// <c>GoogleSecretCanaryTests</c>: malformed, mistyped and mis-encoded keys, a user name Google does not know,
/// Application Default Credentials while they are off, a key the endpoint does not trust; and the same key passed
/// through as is (without <see cref="GoogleOptions.ExchangeForAccessToken"/>) through every public API.
/// </summary>
[TestFixture]
public sealed class GoogleProviderConformanceTests : RegistryProviderConformanceTests
{
    private const string Scope = "us-docker.pkg.dev/acme/*";
    private readonly List<TestServiceAccount> _keys = [];
    private FakeGoogleOAuthServer _oauth = null!;

    protected override int UpstreamCalls => _oauth.RequestCount;

    protected override IEnumerable<string> IssuedSecrets => _oauth.IssuedTokens;

    protected override async Task StartUpstreamAsync(FakeTimeProvider time)
    {
        _oauth = await FakeGoogleOAuthServer.StartAsync();
        _oauth.Clock = time.GetUtcNow;
    }

    protected override async Task StopUpstreamAsync()
    {
        await _oauth.DisposeAsync();
        foreach (var key in _keys)
        {
            key.Dispose();
        }

        _keys.Clear();
    }

    protected override void AddProvider(RegistryCredentialsBuilder builder) => builder.AddGoogle(o => o.ExchangeForAccessToken = true);

    protected override RegistryProviderTestEntry CreateEntry()
    {
        var key = NewKey(trusted: true);
        return new RegistryProviderTestEntry
        {
            Scope = Scope,
            Type = RegistryType.Google,
            Username = GoogleUsernames.JsonKey,
            Secret = key.Json,
            SecretFragments = key.SecretFragments,
            Image = Scope[..^2] + "/app:1",
        };
    }

    protected override void SetUpstreamFailing(bool failing) => _oauth.FailWithStatus = failing ? 400 : null;

    protected override bool HoldUpstream()
    {
        _oauth.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        return true;
    }

    protected override void ReleaseUpstream() => _oauth.Gate?.TrySetResult();

    protected override async Task ExerciseFailuresAsync(RegistryProviderTestHost host, RegistryProviderTestEntry entry)
    {
        var key = NewKey(trusted: true);
        var unknown = NewKey(trusted: false);
        foreach (var fragment in key.SecretFragments.Concat(unknown.SecretFragments))
        {
            host.WatchSecret(fragment);
        }

        Task<Exception?> AddAsync(string scope, string username, string password) =>
            host.CatchAsync(() => host.Manager.AddAsync(new RegistryAddRequest { Scope = scope, Username = username, Password = password }));

        Assert.That(
            await AddAsync("gcr.io", GoogleUsernames.JsonKey, key.Json[..^40]),
            Is.InstanceOf<GoogleCredentialException>().With.Message.Contain("not valid JSON"));
        Assert.That(
            await AddAsync("gcr.io", GoogleUsernames.JsonKey, key.Json.Replace("service_account", "authorized_user", StringComparison.Ordinal)),
            Is.InstanceOf<GoogleCredentialException>().With.Message.Contain("not a service-account key"));
        Assert.That(await AddAsync("gcr.io", GoogleUsernames.JsonKey, key.Base64), Is.InstanceOf<GoogleCredentialException>(), "base64 given to _json_key");
        Assert.That(
            await AddAsync("gcr.io", GoogleUsernames.JsonKeyBase64, key.Json),
            Is.InstanceOf<GoogleCredentialException>().With.Message.Contain("not valid base64"));
        Assert.That(await AddAsync("gcr.io", "ci-user", key.Json), Is.InstanceOf<GoogleCredentialException>().With.Message.Contain("must be _json_key"));
        Assert.That(
            await AddAsync("gcr.io", GoogleUsernames.ApplicationDefault, key.Json),
            Is.InstanceOf<GoogleCredentialException>().With.Message.Contain("AllowApplicationDefault"));
        Assert.That(
            await AddAsync("eu.gcr.io", GoogleUsernames.JsonKey, unknown.Json),
            Is.InstanceOf<GoogleCredentialException>().With.Message.Contain("refused the request"));

        // The same key handed out as is, through every public API of a host that does not exchange it.
        using var passThrough = GoogleHosts.Create();
        var request = new RegistryAddRequest { Scope = Scope, Username = GoogleUsernames.JsonKey, Password = key.Json };
        host.Observe(await passThrough.Manager.AddAsync(request));
        host.Observe(await passThrough.Manager.ListAsync());
        var resolution = await passThrough.Resolver.ResolveAsync(entry.Image);
        host.Observe(resolution);
        host.Observe(resolution.Credential);
        await passThrough.Resolver.ReportRejectedAsync(resolution);
        host.Observe(await passThrough.Manager.ValidateAsync(Scope));
        host.Observe(await passThrough.Manager.DeactivateAsync(Scope));
        host.Observe(await passThrough.Resolver.ResolveAsync(entry.Image));
        await host.CatchAsync(() => passThrough.Manager.AddAsync(request));
        await host.CatchAsync(() => passThrough.Manager.UpdateAsync(new RegistryUpdateRequest { Scope = Scope, Password = key.Base64, ExpectedVersion = 99 }));
        await passThrough.Manager.DeleteAsync(Scope);
        foreach (var line in passThrough.Logs.Lines)
        {
            host.Observe(line);
        }

        Assert.That(passThrough.Logs.Lines, Is.Not.Empty);
    }

    private TestServiceAccount NewKey(bool trusted)
    {
        var key = TestServiceAccount.Create(_oauth.TokenUri);
        _keys.Add(key);
        if (trusted)
        {
            _oauth.Trust(key);
        }

        return key;
    }
}
