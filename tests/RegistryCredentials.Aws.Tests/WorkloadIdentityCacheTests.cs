using RegistryCredentials.Aws.Tests.Support;

namespace RegistryCredentials.Aws.Tests;

/// <summary>
/// The ECR provider's workload path in one long-lived process: tokens are cached per entry, role, service account and
/// service-account token, so one workload's credential never answers another's token, and a token STS has accepted once
/// is served from the cache. STS and ECR are the loopback fakes (<see cref="FakeWebIdentityStsEndpoint"/> follows STS's
/// AssumeRoleWithWebIdentity rules, <see cref="FakeEcrEndpoint"/> checks SigV4).
/// </summary>
public class WorkloadIdentityCacheTests
{
    [Test]
    public async Task Each_token_gets_its_own_session_and_a_repeated_token_is_served_from_the_cache()
    {
        using var cluster = new ServiceAccountTokenIssuer();
        var account = AwsTestKeys.NewAccountId();
        var role = $"arn:aws:iam::{account}:role/pod-pull";
        await using var sts = await FakeWebIdentityStsEndpoint.StartAsync(cluster, role);
        FakeEcrEndpoint ecr = null!;
        using var host = EcrTestHosts.Create(o =>
        {
            o.ServiceUrl = ecr.BaseUri;
            o.StsServiceUrl = sts.BaseUri;
            o.MaxRetries = 0;
        });
        await using var started = ecr = await FakeEcrEndpoint.StartAsync(host.Time);
        ecr.Region = "us-east-1";
        ecr.AddKeys(sts.SessionKeys);
        var registry = $"{account}.dkr.ecr.us-east-1.amazonaws.com";
        await host.AddEcrAsync(registry, "_iam_role", role);
        var image = ImageReference.Parse(registry + "/app:1");
        var annotations = new Dictionary<string, string> { [AwsEcrCredentialProvider.RoleArnAnnotation] = role };

        var first = new RegistryWorkloadIdentity(cluster.Issue(FakeWebIdentityStsEndpoint.Audience), annotations);
        var second = new RegistryWorkloadIdentity(cluster.Issue(FakeWebIdentityStsEndpoint.Audience), annotations);
        var a = await host.Resolver.ResolveForWorkloadAsync(image, first);
        var b = await host.Resolver.ResolveForWorkloadAsync(image, second);
        var again = await host.Resolver.ResolveForWorkloadAsync(image, first);

        Assert.Multiple(() =>
        {
            Assert.That(first.ServiceAccountToken, Is.Not.EqualTo(second.ServiceAccountToken));
            Assert.That(sts.Calls.Select(c => c.Form["WebIdentityToken"]), Is.EqualTo(new[] { first.ServiceAccountToken, second.ServiceAccountToken }));
            Assert.That(ecr.TokensIssued, Is.EqualTo(2));
            Assert.That(a.Credential!.Secret.Reveal(), Is.Not.EqualTo(b.Credential!.Secret.Reveal()));
            Assert.That(again.Credential!.Secret.Reveal(), Is.EqualTo(a.Credential.Secret.Reveal()), "the same token again: from the cache");
        });

        // A plain resolve of the same entry is not answered with a workload's token (it assumes the entry's role itself).
        var plainError = Assert.CatchAsync<AwsEcrException>(async () => await host.Resolver.ResolveAsync(image));
        Assert.That(plainError!.Kind, Is.Not.EqualTo(AwsEcrErrorKind.InvalidEntry));
        Assert.That(ecr.TokensIssued, Is.EqualTo(2));
    }
}
