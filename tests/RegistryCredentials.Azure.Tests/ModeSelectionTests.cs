using Azure.Identity;
using Microsoft.Extensions.DependencyInjection;
using RegistryCredentials.Azure.Internal;
using RegistryCredentials.Azure.Tests.Support;
using RegistryCredentials.Tests.Support;

namespace RegistryCredentials.Azure.Tests;

/// <summary>How an entry's user name selects pass-through or an Entra ID mode, and what is refused at add and at resolve.</summary>
public class ModeSelectionTests
{
    private const string Tenant = "72f988bf-86f1-41af-91ab-2d7cd011db47";
    private const string Client = "04b07795-8ddb-461a-bbee-02f9e1bf7b46";

    [TestCase("myregistry", AzureAuthenticationMode.PassThrough)]
    [TestCase(Client, AzureAuthenticationMode.PassThrough)]
    [TestCase("pull-token-1", AzureAuthenticationMode.PassThrough)]
    [TestCase(Tenant + "/" + Client, AzureAuthenticationMode.ClientSecret)]
    [TestCase("contoso.onmicrosoft.com/" + Client, AzureAuthenticationMode.ClientSecret)]
    [TestCase("managed-identity", AzureAuthenticationMode.ManagedIdentity)]
    [TestCase("Managed-Identity:" + Client, AzureAuthenticationMode.ManagedIdentity)]
    [TestCase(
        "managed-identity:/subscriptions/0000/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/puller",
        AzureAuthenticationMode.ManagedIdentity)]
    [TestCase("workload-identity", AzureAuthenticationMode.WorkloadIdentity)]
    [TestCase("default", AzureAuthenticationMode.DefaultCredential)]
    public void User_name_selects_the_mode(string username, AzureAuthenticationMode mode) =>
        Assert.That(AzureCredentialProvider.GetMode(username), Is.EqualTo(mode));

    [TestCase("a:b", "cannot pass through")]
    [TestCase(Tenant + "/not-a-guid", "is not '<tenant-id>/<client-id>'")]
    [TestCase("/" + Client, "is not '<tenant-id>/<client-id>'")]
    [TestCase("managed-identity:puller", "does not name a user-assigned managed identity")]
    [TestCase("workload-identity:" + Client, "cannot pass through")]
    public async Task Malformed_user_names_are_refused_at_add_with_the_forms_listed(string username, string named)
    {
        using var host = new TestHost(build: b => b.AddAzure());
        // Issue 13: CheckEntryAsync refuses with the provider's exception in the one failure model (it was ArgumentException).
        var e = Assert.ThrowsAsync<AzureCredentialException>(() => host.Manager.AddAsync(new RegistryAddRequest
        {
            Scope = "myregistry.azurecr.io",
            Username = username,
            Password = "pw",
        }));
        Assert.That(e!.Message, Does.Contain(named).And.Contain("managed-identity:<client-id>").And.Not.Contain("(Parameter"));
        Assert.That((e.Reason, e.Field), Is.EqualTo((RegistryErrorReason.InvalidEntry, "Username")));
        Assert.That(await host.Store.ListAsync(null), Is.Empty);
    }

    [Test]
    public async Task Admin_user_and_service_principal_pass_through_as_basic_without_network()
    {
        using var host = new TestHost(build: b =>
            b.AddAzure(o => o.CredentialFactory = _ => throw new AssertionException("no Entra ID call for pass-through")));
        var secret = TestHost.NewSecret();
        await host.Manager.AddAsync(new RegistryAddRequest { Scope = "*.azurecr.io", Username = Client, Password = secret });
        await host.Manager.AddAsync(new RegistryAddRequest { Scope = "admin.azurecr.io", Username = "admin", Password = secret + "-admin" });

        var sp = await host.Resolver.ResolveAsync("team.azurecr.io/app:1");
        var admin = await host.Resolver.ResolveAsync("admin.azurecr.io/app:1");

        Assert.Multiple(() =>
        {
            Assert.That(sp.Entry!.Type, Is.EqualTo(RegistryType.Azure), "the type is guessed from *.azurecr.io");
            Assert.That(sp.Credential!.Username, Is.EqualTo(Client));
            Assert.That(sp.Credential.Secret.Reveal(), Is.EqualTo(secret));
            Assert.That(sp.Credential.ExpiresOn, Is.Null);
            Assert.That(admin.Credential!.Username, Is.EqualTo("admin"));
            Assert.That(admin.Credential.Secret.Reveal(), Is.EqualTo(secret + "-admin"));
        });
    }

    [TestCase("*.azurecr.io", false, "'*' host", "Scope")]
    [TestCase("myregistry.azurecr.io", true, "plain HTTP", "InsecureHttp")]
    public async Task Entra_entries_need_one_https_registry(string scope, bool insecureHttp, string named, string field)
    {
        using var host = new TestHost(build: b => b.AddAzure());
        var e = Assert.ThrowsAsync<AzureCredentialException>(() => host.Manager.AddAsync(new RegistryAddRequest
        {
            Scope = scope,
            Type = RegistryType.Azure,
            Username = Tenant + "/" + Client,
            Password = "secret",
            InsecureHttp = insecureHttp,
            Validate = false,
        }));
        Assert.That(e!.Message, Does.Contain(named));
        Assert.That((e.Reason, e.Field), Is.EqualTo((RegistryErrorReason.InvalidEntry, field)));
        Assert.That(await host.Store.ListAsync(null), Is.Empty);
    }

    [Test]
    public async Task Default_credential_is_refused_at_add_unless_allowed()
    {
        using var host = new TestHost(build: b => b.AddAzure(o => o.CredentialFactory = _ => throw new AssertionException("never built")));
        var e = Assert.ThrowsAsync<AzureCredentialException>(() => host.Manager.AddAsync(new RegistryAddRequest
        {
            Scope = "myregistry.azurecr.io",
            Username = "default",
            Password = "unused",
            Validate = false,
        }));
        Assert.That(e!.Message, Does.Contain("AllowDefaultCredential"));
        Assert.That((e.Reason, e.Field), Is.EqualTo((RegistryErrorReason.NotAllowed, "Username")));
        Assert.That(await host.Store.ListAsync(null), Is.Empty);
    }

    [Test]
    public async Task Default_credential_is_refused_at_resolve_unless_allowed()
    {
        using var host = new TestHost(build: b => b.AddAzure(o => o.CredentialFactory = _ => throw new AssertionException("never built")));
        // An entry stored while it was allowed (or by another process): written to the store directly.
        var scope = RegistryScope.Parse("myregistry.azurecr.io");
        var protector = host.Services.GetRequiredService<ISecretProtector>();
        await host.Store.AddAsync(new RegistryRecord(
            new RegistryEntry
            {
                Account = RegistryAccounts.Default,
                Scope = scope,
                Name = scope.Value,
                Type = RegistryType.Azure,
                Username = "default",
                CreatedOn = TestHost.Start,
                UpdatedOn = TestHost.Start,
            },
            await protector.ProtectAsync("unused", RegistryAccounts.Default, scope)));

        var e = Assert.ThrowsAsync<AzureCredentialException>(async () => await host.Resolver.ResolveAsync("myregistry.azurecr.io/app:1"));
        Assert.That(e!.Kind, Is.EqualTo(RegistryValidationOutcome.ProtocolError));
        Assert.That(e.Message, Does.Contain("AllowDefaultCredential"));
    }

    [TestCase("default", AzureAuthenticationMode.DefaultCredential, null)]
    [TestCase("managed-identity", AzureAuthenticationMode.ManagedIdentity, null)]
    [TestCase("managed-identity:" + Client, AzureAuthenticationMode.ManagedIdentity, Client)]
    [TestCase("workload-identity", AzureAuthenticationMode.WorkloadIdentity, null)]
    public async Task Credential_factory_is_asked_for_each_entra_mode(string username, AzureAuthenticationMode mode, string? clientId)
    {
        AzureCredentialRequest? asked = null;
        StaticTokenCredential? credential = null;
        AzureTestEnvironment? started = null;
        await using var env = started = await AzureTestEnvironment.StartAsync(o =>
        {
            o.AllowDefaultCredential = true;
            o.CredentialFactory = request =>
            {
                asked = request;
                return credential = new StaticTokenCredential(started!.Entra.IssueDirectly());
            };
        });

        await env.AddEntraEntryAsync(username: username, password: "unused");
        var resolved = await env.ResolveAsync();

        Assert.Multiple(() =>
        {
            Assert.That(asked!.Mode, Is.EqualTo(mode));
            Assert.That(asked.ClientId, Is.EqualTo(clientId));
            Assert.That(asked.ClientSecret, Is.Null, "only the client-secret mode gets the password");
            Assert.That(asked.AuthorityHost, Is.EqualTo(env.Entra.AuthorityHost));
            Assert.That(credential!.Requests.Single(), Is.EqualTo(new[] { AzureOptions.DefaultTokenScope }));
            Assert.That(resolved.Username, Is.EqualTo(AzureCredentialProvider.RefreshTokenUsername));
            Assert.That(env.Front.Problems, Is.Empty);
            Assert.That(env.Entra.TokenRequests, Is.Zero);
        });
    }

    [TestCase(AzureAuthenticationMode.ClientSecret, typeof(ClientSecretCredential), typeof(ClientSecretCredentialOptions))]
    [TestCase(AzureAuthenticationMode.ManagedIdentity, typeof(ManagedIdentityCredential), typeof(ManagedIdentityCredentialOptions))]
    [TestCase(AzureAuthenticationMode.WorkloadIdentity, typeof(WorkloadIdentityCredential), typeof(WorkloadIdentityCredentialOptions))]
    [TestCase(AzureAuthenticationMode.DefaultCredential, typeof(DefaultAzureCredential), typeof(DefaultAzureCredentialOptions))]
    public void Built_in_credentials_are_the_azure_identity_ones_with_the_authority_host(AzureAuthenticationMode mode, Type credentialType, Type optionsType)
    {
        // Built only, never called: no request leaves the process.
        var authority = new Uri("https://127.0.0.1:1/");
        TokenCredentialOptions? configured = null;
        var options = new AzureOptions { DisableInstanceDiscovery = true, ConfigureCredentialOptions = o => configured = o };
        var entry = new RegistryEntry
        {
            Account = RegistryAccounts.Default,
            Scope = RegistryScope.Parse("myregistry.azurecr.io"),
            Name = "acr",
            Type = RegistryType.Azure,
            Username = "x",
            CreatedOn = TestHost.Start,
            UpdatedOn = TestHost.Start,
        };
        var request = new AzureCredentialRequest(entry, mode, Tenant, Client, null, "secret", authority);

        var credential = EntraCredentials.Create(request, options);

        Assert.That(credential, Is.InstanceOf(credentialType));
        Assert.That(configured, Is.InstanceOf(optionsType));
        Assert.That(configured!.AuthorityHost, Is.EqualTo(authority));
    }

    [TestCase("myregistry.azurecr.io", null)]
    [TestCase("myregistry.azurecr.cn", "https://login.chinacloudapi.cn/")]
    [TestCase("myregistry.azurecr.us", "https://login.microsoftonline.us/")]
    public void Authority_host_follows_the_registry_cloud_unless_set(string host, string? expected)
    {
        var entry = new RegistryEntry
        {
            Account = RegistryAccounts.Default,
            Scope = RegistryScope.Parse(host),
            Name = host,
            Type = RegistryType.Azure,
            Username = "x",
            CreatedOn = TestHost.Start,
            UpdatedOn = TestHost.Start,
        };
        Assert.That(EntraCredentials.AuthorityHostFor(entry, new AzureOptions())?.ToString(), Is.EqualTo(expected));
        var configured = new Uri("https://login.example.test/");
        Assert.That(EntraCredentials.AuthorityHostFor(entry, new AzureOptions { AuthorityHost = configured }), Is.EqualTo(configured));
    }

    [Test]
    public void Options_are_validated_with_every_failure()
    {
        using var host = new TestHost(build: b => b.AddAzure(o =>
        {
            o.AuthorityHost = new Uri("http://login.example.test/");
            o.RefreshMargin = TimeSpan.FromSeconds(-1);
            o.RequestTimeout = TimeSpan.Zero;
        }));
        var e = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => _ = host.Resolver);
        Assert.That(e!.Failures, Has.Exactly(3).Items);
        Assert.That(e.Message, Does.Contain("AuthorityHost"));
    }

    [Test]
    public void AddAzure_registers_the_acr_provider_once()
    {
        using var host = new TestHost(build: b => b.AddAzure().AddAzure());
        var providers = host.Services.GetServices<RegistryCredentialProvider>().ToList();
        Assert.That(providers.OfType<AzureCredentialProvider>().Count(), Is.EqualTo(1));
        Assert.That(providers.Single(p => p.Type == RegistryType.Azure), Is.InstanceOf<AzureCredentialProvider>());
    }
}
