using Amazon.Runtime;
using RegistryCredentials.Aws.Tests.Support;

namespace RegistryCredentials.Aws.Tests;

/// <summary>Anchore's <c>_iam_role</c>: the role is assumed through a local STS endpoint and the ECR call is signed with its session.</summary>
public class IamRoleTests
{
    [Test]
    public async Task Iam_role_is_assumed_through_sts_and_its_session_signs_the_token_call()
    {
        var baseKeys = AwsTestKeys.NewLongTerm();
        var account = AwsTestKeys.NewAccountId();
        var roleArn = $"arn:aws:iam::{account}:role/ecr-pull";
        var externalId = "ext-" + Guid.NewGuid().ToString("N");
        var registry = $"{account}.dkr.ecr.eu-west-1.amazonaws.com";
        FakeEcrEndpoint ecr = null!;
        FakeStsEndpoint sts = null!;
        using var host = EcrTestHosts.Create(o =>
        {
            o.ServiceUrl = ecr.BaseUri;
            o.StsServiceUrl = sts.BaseUri;
            o.BaseCredentials = new BasicAWSCredentials(baseKeys.AccessKeyId, baseKeys.SecretAccessKey);
            o.MaxRetries = 0;
        });
        await using var _ = ecr = await FakeEcrEndpoint.StartAsync(host.Time);
        await using var __ = sts = await FakeStsEndpoint.StartAsync(host.Time, baseKeys, roleArn, externalId);
        ecr.AddKeys(sts.SessionKeys);

        await host.AddEcrAsync(registry, "_iam_role", roleArn + ";" + externalId, validate: true);
        host.Time.Advance(TimeSpan.FromHours(6)); // the ECR token is due for refresh; the 1-hour role session must be renewed too
        var first = await host.ResolveCredentialAsync(registry + "/app:1");
        await EcrTestHosts.WaitUntilAsync(() => ecr.TokensIssued == 2, "the background refresh fetched a second token");

        var (form, signature) = sts.Calls.First();
        Assert.Multiple(() =>
        {
            Assert.That(signature.IsValid, Is.True, signature.Message);
            Assert.That(signature.Service, Is.EqualTo("sts"));
            Assert.That(signature.Region, Is.EqualTo("eu-west-1"));
            Assert.That(form["RoleArn"], Is.EqualTo(roleArn));
            Assert.That(form["ExternalId"], Is.EqualTo(externalId));
            Assert.That(form["RoleSessionName"], Is.EqualTo("registry-credentials"));
            Assert.That(sts.Calls, Has.Count.EqualTo(2), "the expired role session was assumed again");
            Assert.That(ecr.Calls.Select(c => c.ErrorCode), Is.All.Null);
            Assert.That(ecr.Calls.Select(c => c.AccessKeyId), Is.All.EqualTo(sts.SessionKeys.AccessKeyId));
            Assert.That(ecr.Calls.Select(c => c.SessionToken), Is.All.EqualTo(sts.SessionKeys.SessionToken));
            Assert.That(first.Username, Is.EqualTo("AWS"));
        });
    }
}
