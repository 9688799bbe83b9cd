using RegistryCredentials.Aws.Tests.Support;

namespace RegistryCredentials.Aws.Tests;

/// <summary>Concurrent resolves on a cold cache share one upstream call.</summary>
public class ConcurrencyTests
{
    [Test]
    public async Task A_thousand_concurrent_resolves_on_a_cold_cache_make_exactly_one_upstream_call()
    {
        var keys = AwsTestKeys.NewLongTerm();
        var registry = $"{AwsTestKeys.NewAccountId()}.dkr.ecr.us-east-1.amazonaws.com";
        FakeEcrEndpoint ecr = null!;
        using var host = EcrTestHosts.Create(o => o.ServiceUrl = ecr.BaseUri);
        await using var _ = ecr = await FakeEcrEndpoint.StartAsync(host.Time);
        ecr.AddKeys(keys);
        await host.AddEcrAsync(registry, keys.AccessKeyId, keys.SecretAccessKey);
        var image = ImageReference.Parse(registry + "/team/app:1");
        await host.Resolver.ResolveAsync(ImageReference.Parse("docker.io/library/nginx")); // builds the index; no ECR call
        ecr.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var resolves = new Task<RegistryResolution>[1_000];
        Parallel.For(0, resolves.Length, i => resolves[i] = host.Resolver.ResolveAsync(image).AsTask());
        await EcrTestHosts.WaitUntilAsync(() => ecr.RequestCount >= 1, "the one call reached the endpoint");
        await Task.Delay(100); // time for a second call to show up, if the cache let one through
        ecr.Gate.SetResult();
        var results = await Task.WhenAll(resolves);

        Assert.Multiple(() =>
        {
            Assert.That(ecr.RequestCount, Is.EqualTo(1));
            Assert.That(results.Select(r => r.Credential).Distinct().Count(), Is.EqualTo(1), "every caller got the one token");
            Assert.That(results[0].Credential!.Secret.Reveal(), Is.EqualTo(ecr.LastPassword));
        });
    }
}
