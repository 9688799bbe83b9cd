using System.Text;
using RegistryCredentials.Tests.Support;

namespace RegistryCredentials.Tests;

/// <summary>
/// <see cref="RegistryWorkloadIdentity"/> and <see cref="IRegistryCredentialResolver.ResolveForWorkloadAsync"/>: bad tokens
/// are refused with a clear error, the same denials apply as for a plain resolve, and a provider that cannot federate a
/// workload's token refuses instead of handing out the entry's own credential. (The ECR and ACR flows are tested through
/// the regcred process in RegistryCredentials.Cli.Tests.)
/// </summary>
public class WorkloadIdentityTests
{
    private static string Token(string payload) =>
        "eyJhbGciOiJSUzI1NiJ9." + Convert.ToBase64String(Encoding.UTF8.GetBytes(payload)).TrimEnd('=').Replace('+', '-').Replace('/', '_') + ".c2ln";

    [TestCase("")]
    [TestCase("   ")]
    [TestCase("not-a-jwt")]
    [TestCase("a.b")]
    [TestCase(".e30.sig")]
    [TestCase("eyJhbGciOiJSUzI1NiJ9.!!!.sig")]
    [TestCase("eyJhbGciOiJSUzI1NiJ9.bm90IGpzb24.sig")]
    public void A_token_that_is_not_a_jwt_is_refused(string token)
    {
        var error = Assert.Catch<ArgumentException>(() => _ = new RegistryWorkloadIdentity(token));
        Assert.That(error!.ParamName, Is.EqualTo("serviceAccountToken"));
    }

    [Test]
    public void Too_many_annotations_are_refused()
    {
        var annotations = Enumerable.Range(0, RegistryWorkloadIdentity.MaxAnnotations + 1).ToDictionary(i => "a" + i, i => "v");
        Assert.Throws<ArgumentException>(() => _ = new RegistryWorkloadIdentity(Token("{}"), annotations));
    }

    [Test]
    public void The_service_account_is_read_and_the_token_never_shown()
    {
        var token = Token("{\"sub\":\"system:serviceaccount:team:puller\",\"secret\":\"" + TestHost.NewSecret() + "\"}");
        var workload = new RegistryWorkloadIdentity(token, new Dictionary<string, string> { ["eks.amazonaws.com/role-arn"] = " arn ", ["empty"] = "" });
        Assert.Multiple(() =>
        {
            Assert.That(workload.ServiceAccount, Is.EqualTo("system:serviceaccount:team:puller"));
            Assert.That(workload.ToString(), Is.EqualTo("service account system:serviceaccount:team:puller"));
            Assert.That(workload.Annotation("eks.amazonaws.com/role-arn"), Is.EqualTo("arn"));
            Assert.That(workload.Annotation("empty"), Is.Null);
            Assert.That(workload.Annotation("missing"), Is.Null);
        });
    }

    [Test]
    public async Task A_docker_v2_entry_refuses_a_workload_and_nothing_stored_changes()
    {
        using var host = new TestHost();
        await host.AddAsync("reg.example.com", "ci", TestHost.NewSecret());
        var before = await host.SnapshotAsync();
        var workload = new RegistryWorkloadIdentity(Token("{\"sub\":\"system:serviceaccount:a:b\"}"));

        var error = Assert.CatchAsync<RegistryCredentialsException>(
            async () => await host.Resolver.ResolveForWorkloadAsync(ImageReference.Parse("reg.example.com/app:1"), workload));

        Assert.That(error!.Reason, Is.EqualTo(RegistryErrorReason.NotAllowed));
        Assert.That(error.Message, Does.Contain("reg.example.com").And.Not.Contain(workload.ServiceAccountToken));
        Assert.That(await host.SnapshotAsync(), Is.EqualTo(before));

        // The plain resolve still answers with the entry's password.
        var plain = await host.Resolver.ResolveAsync(ImageReference.Parse("reg.example.com/app:1"));
        Assert.That(plain.Kind, Is.EqualTo(RegistryResolutionKind.Credential));
    }

    [Test]
    public async Task The_same_denials_apply_and_an_unmatched_image_is_anonymous()
    {
        using var host = new TestHost(o => o.AllowedRegistries.Add("reg.example.com"));
        await host.AddAsync("reg.example.com", "ci", TestHost.NewSecret());
        await host.Manager.DeactivateAsync("reg.example.com");
        var workload = new RegistryWorkloadIdentity(Token("{}"));

        var inactive = await host.Resolver.ResolveForWorkloadAsync(ImageReference.Parse("reg.example.com/app:1"), workload);
        var notAllowed = await host.Resolver.ResolveForWorkloadAsync(ImageReference.Parse("other.example.com/app:1"), workload);

        Assert.That(inactive.Kind, Is.EqualTo(RegistryResolutionKind.Denied));
        Assert.That(inactive.DenialReason, Is.EqualTo(RegistryDenialReason.EntryInactive));
        Assert.That(notAllowed.DenialReason, Is.EqualTo(RegistryDenialReason.RegistryNotAllowed));
    }
}
