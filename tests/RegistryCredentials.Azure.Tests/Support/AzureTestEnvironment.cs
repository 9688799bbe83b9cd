using Azure.Core.Pipeline;
using Microsoft.Extensions.DependencyInjection;
using RegistryCredentials.Tests.Support;
using RegistryCredentials.Tests.Support.Registry;

namespace RegistryCredentials.Azure.Tests.Support;

/// <summary>
/// A local Entra ID endpoint, a local ACR front and a <see cref="TestHost"/> (fake clock, captured logs) with
/// <c>AddAzure</c> pointed at them: <c>AuthorityHost</c> = the Entra endpoint, instance discovery off, and an Azure.Core
/// transport whose TLS trusts only the test CA. Nothing leaves the loopback interface.
/// </summary>
public sealed class AzureTestEnvironment : IAsyncDisposable
{
    private AzureTestEnvironment(EntraTokenEndpoint entra, AcrFront front, TestHost host, TestCertificates certificates)
    {
        Entra = entra;
        Front = front;
        Host = host;
        Certificates = certificates;
    }

    public EntraTokenEndpoint Entra { get; }

    public AcrFront Front { get; }

    public TestHost Host { get; }

    public TestCertificates Certificates { get; }

    /// <summary>The Entra ID client-secret user name, <c>&lt;tenant-id&gt;/&lt;client-id&gt;</c>.</summary>
    public string ClientUsername => Entra.TenantId + "/" + Entra.ClientId;

    public AzureCredentialProvider Provider => Host.Services.GetServices<RegistryCredentialProvider>().OfType<AzureCredentialProvider>().Single();

    public RegistryTokenCache TokenCache => Host.Services.GetRequiredService<RegistryTokenCache>();

    public static async Task<AzureTestEnvironment> StartAsync(
        Action<AzureOptions>? configure = null,
        bool withValidator = true,
        DistributionRegistry? registry = null,
        Action<RegistryCredentialsBuilder>? build = null)
    {
        var certificates = registry?.Certificates ?? TestCertificates.Shared;
        var entra = await EntraTokenEndpoint.StartAsync(certificates);
        var front = await AcrFront.StartAsync(entra, certificates, registry);
        var transport = new HttpClientTransport(certificates.CreateTrustingHandler());
        var host = new TestHost(
            withValidator: withValidator,
            build: b =>
            {
                b.AddAzure(o =>
                {
                    o.AuthorityHost = entra.AuthorityHost;
                    o.DisableInstanceDiscovery = true;
                    o.ConfigureCredentialOptions = c =>
                    {
                        c.Transport = transport;
                        c.Retry.MaxRetries = 0;
                    };
                    configure?.Invoke(o);
                });
                build?.Invoke(b);
            });
        front.Now = host.Time.GetUtcNow;
        return new AzureTestEnvironment(entra, front, host, certificates);
    }

    /// <summary>Adds an Entra ID client-secret entry for the front (type acr, the test CA trusted).</summary>
    public Task<RegistryEntry> AddEntraEntryAsync(bool validate = true, string? username = null, string? password = null, string? path = null) =>
        Host.Manager.AddAsync(new RegistryAddRequest
        {
            Scope = Front.Registry + (path is null ? string.Empty : "/" + path),
            Type = RegistryType.Azure,
            Username = username ?? ClientUsername,
            Password = password ?? Entra.ClientSecret,
            CaCertificates = Certificates.CaPem,
            Validate = validate,
        });

    public async Task<RegistryCredential> ResolveAsync(string repository = "team/app")
    {
        var resolution = await Host.Resolver.ResolveAsync(Front.Registry + "/" + repository + ":1");
        Assert.That(resolution.Kind, Is.EqualTo(RegistryResolutionKind.Credential), resolution.ToString());
        return resolution.Credential!;
    }

    /// <summary>Waits (real time, bounded) until <paramref name="condition"/> holds: for background refreshes.</summary>
    public static async Task WaitForAsync(Func<bool> condition, string what)
    {
        for (var i = 0; i < 200 && !condition(); i++)
        {
            await Task.Delay(25);
        }

        Assert.That(condition(), Is.True, "timed out waiting for " + what);
    }

    public async ValueTask DisposeAsync()
    {
        Host.Dispose();
        await Front.DisposeAsync();
        await Entra.DisposeAsync();
    }
}
