using System.Collections.Concurrent;
using System.Diagnostics.Tracing;
using System.Net;
using System.Text.Json;
using Azure.Core.Diagnostics;
using Azure.Core.Pipeline;
using Microsoft.Extensions.Time.Testing;
using RegistryCredentials.Testing;
using RegistryCredentials.Tests.Support;
using RegistryCredentials.Tests.Support.Registry;

namespace RegistryCredentials.Azure.Tests;

/// <summary>
/// The provider conformance suite of <c>RegistryCredentials.Testing</c> against the Azure provider with Entra ID
/// client-secret entries: the loopback Entra ID token endpoint (<see cref="EntraTokenEndpoint"/>, reached by
/// Azure.Identity's own <c>ClientSecretCredential</c>) and the loopback ACR login server (<see cref="AcrFront"/>:
/// <c>POST /oauth2/exchange</c> checked as ACR checks it, refresh tokens whose <c>exp</c> is on the test's clock). The
/// upstream calls counted are the exchanges, the calls that make the cached refresh token; a failing upstream answers
/// 401 there. The Azure-specific parts of the secret canary are those of the former <c>AzureSecretCanaryTests</c>: the
/// Azure SDK's own event source captured at verbose level, the <see cref="AzureCredentialRequest"/> handed to
/// <see cref="AzureOptions.CredentialFactory"/>, a client secret Entra ID refuses, user names that select no mode or a
/// mode that is off, a registry whose CA is not trusted, and an exchange answering 403 or something that is not a JWT.
/// </summary>
[TestFixture]
public sealed class AzureProviderConformanceTests : RegistryProviderConformanceTests
{
    private readonly ConcurrentQueue<string> _sdkLines = new();
    private readonly ConcurrentQueue<object> _credentialRequests = new();
#pragma warning disable NUnit1032 // disposed in StopUpstreamAsync, which the suite's [TearDown] calls
    private AzureEventSourceListener? _sdkLogs;
    private HttpClientTransport _transport = null!;
#pragma warning restore NUnit1032
    private EntraTokenEndpoint _entra = null!;
    private AcrFront _front = null!;

    protected override int UpstreamCalls => _front.Exchanges;

    protected override IEnumerable<string> IssuedSecrets => _entra.IssuedTokens.Concat(_front.IssuedTokens);

    /// <summary>The Azure SDK's event-source lines and what the provider handed to the credential factory.</summary>
    protected override IEnumerable<string> ExternalLogLines =>
        _sdkLines.Concat(_credentialRequests.SelectMany(r => new[] { r.ToString() ?? string.Empty, JsonSerializer.Serialize(r, r.GetType()) }));

    protected override async Task StartUpstreamAsync(FakeTimeProvider time)
    {
        _sdkLines.Clear();
        _credentialRequests.Clear();
        _sdkLogs = new AzureEventSourceListener((_, message) => _sdkLines.Enqueue(message), EventLevel.Verbose);
        _entra = await EntraTokenEndpoint.StartAsync(TestCertificates.Shared);
        _front = await AcrFront.StartAsync(_entra, TestCertificates.Shared);
        _front.Now = time.GetUtcNow;
        _transport = new HttpClientTransport(TestCertificates.Shared.CreateTrustingHandler());
    }

    protected override async Task StopUpstreamAsync()
    {
        _sdkLogs?.Dispose();
        _transport.Dispose();
        await _front.DisposeAsync();
        await _entra.DisposeAsync();
    }

    protected override void AddProvider(RegistryCredentialsBuilder builder) => builder.AddAzure(o =>
    {
        o.AuthorityHost = _entra.AuthorityHost;
        o.DisableInstanceDiscovery = true;
        o.ConfigureCredentialOptions = c =>
        {
            c.Transport = _transport;
            c.Retry.MaxRetries = 0;
        };
        o.CredentialFactory = request =>
        {
            _credentialRequests.Enqueue(request);
            return null; // the provider builds its ClientSecretCredential
        };
    });

    /// <summary>An Entra ID client-secret entry for the ACR front (the endpoint knows one client, so every entry has its secret).</summary>
    protected override RegistryProviderTestEntry CreateEntry() => new()
    {
        Scope = _front.Registry,
        Type = RegistryType.Azure,
        Username = _entra.TenantId + "/" + _entra.ClientId,
        Secret = _entra.ClientSecret,
        CaCertificates = TestCertificates.Shared.CaPem,
        Image = _front.Registry + "/team/app:1",
    };

    protected override void SetUpstreamFailing(bool failing) => _front.FailWith = failing ? HttpStatusCode.Unauthorized : null;

    protected override bool HoldUpstream()
    {
        _front.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        return true;
    }

    protected override void ReleaseUpstream() => _front.Gate?.TrySetResult();

    protected override async Task ExerciseFailuresAsync(RegistryProviderTestHost host, RegistryProviderTestEntry entry)
    {
        var refused = "canary2-" + TestHost.NewSecret();
        host.WatchSecret(refused);
        RegistryAddRequest Request(string path, string? username = null, string? password = null, bool trustCa = true) => new()
        {
            Scope = entry.Scope + path,
            Type = RegistryType.Azure,
            Username = username ?? entry.Username,
            Password = password ?? entry.Secret,
            CaCertificates = trustCa ? entry.CaCertificates : null,
        };

        Assert.That(
            await host.CatchAsync(() => host.Manager.AddAsync(Request("/refused-secret", password: refused))),
            Is.InstanceOf<AzureCredentialException>(),
            "Entra ID refuses the secret");
        Assert.That(
            await host.CatchAsync(() => host.Manager.AddAsync(new RegistryAddRequest { Scope = "a.azurecr.io", Username = "x/y", Password = entry.Secret })),
            Is.InstanceOf<AzureCredentialException>());
        Assert.That(
            await host.CatchAsync(() => host.Manager.AddAsync(new RegistryAddRequest
            {
                Scope = "b.azurecr.io",
                Username = "default",
                Password = entry.Secret,
            })),
            Is.InstanceOf<AzureCredentialException>());
        Assert.That(
            await host.CatchAsync(() => host.Manager.AddAsync(Request("/untrusted", trustCa: false))),
            Is.InstanceOf<AzureCredentialException>(),
            "the registry's CA is not trusted");
        _front.FailWith = HttpStatusCode.Forbidden;
        Assert.That(await host.CatchAsync(() => host.Manager.AddAsync(Request("/forbidden"))), Is.InstanceOf<AzureCredentialException>());
        _front.FailWith = null;
        _front.RawAnswer = "{\"refresh_token\":\"not-a-jwt\"}";
        Assert.That(await host.CatchAsync(() => host.Manager.AddAsync(Request("/malformed"))), Is.InstanceOf<AzureCredentialException>());
        _front.RawAnswer = null;
        Assert.That(_credentialRequests, Is.Not.Empty, "the credential factory saw the requests");
        Assert.That(_sdkLines, Has.Some.Contains("ClientSecretCredential"), "the Azure SDK's own log is captured");
    }
}
