using Azure.Identity;
using RegistryCredentials.Azure.Tests.Support;
using RegistryCredentials.Tests.Support;

namespace RegistryCredentials.Azure.Tests;

/// <summary>
/// The <c>workload-identity</c> mode through Azure.Identity's <c>WorkloadIdentityCredential</c>: the federated token file
/// is presented to the local Entra ID endpoint as a client assertion, and the token it issues is exchanged.
/// </summary>
public class WorkloadIdentityTests
{
    [Test]
    public async Task Federated_token_is_presented_as_client_assertion_and_exchanged()
    {
        var assertion = "federated-" + TestHost.NewSecret();
        var tokenFile = Path.Combine(Directory.CreateTempSubdirectory("rc-azure-wi-").FullName, "token");
        await File.WriteAllTextAsync(tokenFile, assertion);
        AzureTestEnvironment? started = null;
        try
        {
            await using var env = started = await AzureTestEnvironment.StartAsync(o =>
            {
                var transport = o.ConfigureCredentialOptions;
                o.ConfigureCredentialOptions = c =>
                {
                    transport?.Invoke(c);
                    if (c is WorkloadIdentityCredentialOptions workload)
                    {
                        // What the AKS webhook puts in AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_FEDERATED_TOKEN_FILE.
                        workload.TenantId = started!.Entra.TenantId;
                        workload.ClientId = started.Entra.ClientId;
                        workload.TokenFilePath = tokenFile;
                    }
                };
            });
            env.Entra.ClientAssertion = assertion;

            await env.AddEntraEntryAsync(username: "workload-identity", password: "unused");
            var credential = await env.ResolveAsync();

            Assert.That(env.Entra.Problems, Is.Empty);
            Assert.That(env.Front.Problems, Is.Empty);
            Assert.That(credential.Username, Is.EqualTo(AzureCredentialProvider.RefreshTokenUsername));
            Assert.That(credential.Secret.Reveal(), Is.EqualTo(env.Front.IssuedTokens.Single()));
            Assert.That(
                env.Entra.Requests.Single(r => r.Form is not null).Form,
                Does.Contain("client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer"));
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(tokenFile)!, recursive: true);
        }
    }

    [Test]
    public async Task Wrong_federated_token_is_refused_by_entra_id()
    {
        var tokenFile = Path.Combine(Directory.CreateTempSubdirectory("rc-azure-wi-").FullName, "token");
        await File.WriteAllTextAsync(tokenFile, "stale-" + TestHost.NewSecret());
        AzureTestEnvironment? started = null;
        try
        {
            await using var env = started = await AzureTestEnvironment.StartAsync(o =>
            {
                var transport = o.ConfigureCredentialOptions;
                o.ConfigureCredentialOptions = c =>
                {
                    transport?.Invoke(c);
                    if (c is WorkloadIdentityCredentialOptions workload)
                    {
                        workload.TenantId = started!.Entra.TenantId;
                        workload.ClientId = started.Entra.ClientId;
                        workload.TokenFilePath = tokenFile;
                    }
                };
            });
            env.Entra.ClientAssertion = "expected-" + TestHost.NewSecret();

            var e = Assert.ThrowsAsync<AzureCredentialException>(() => env.AddEntraEntryAsync(username: "workload-identity", password: "unused"));
            Assert.That(e!.Kind, Is.EqualTo(RegistryValidationOutcome.Unauthorized));
            Assert.That(e.Message, Does.Contain("(WorkloadIdentity)"));
            Assert.That(env.Front.Exchanges, Is.Zero);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(tokenFile)!, recursive: true);
        }
    }
}
