using Microsoft.Extensions.DependencyInjection;
using RegistryCredentials.Tests.Support;
using RegistryCredentials.Tests.Support.Registry;

namespace RegistryCredentials.Aws.Tests.Support;

/// <summary>Test hosts with the ECR provider whose HTTP client trusts the test CA, and small helpers.</summary>
public static class EcrTestHosts
{
    /// <summary>A <see cref="TestHost"/> (fake clock, in-memory store, mocked or real validator) with <c>AddAwsEcr</c>.</summary>
    public static TestHost Create(Action<AwsEcrOptions> configure, bool withValidator = true) =>
        new(
            build: builder =>
            {
                builder.AddAwsEcr(configure);
                builder.Services.AddHttpClient(AwsEcrOptions.HttpClientName)
                    .ConfigurePrimaryHttpMessageHandler(() => TestCertificates.Shared.CreateTrustingHandler());
            },
            withValidator: withValidator);

    /// <summary>
    /// A <see cref="TestHost"/> with <c>AddAwsEcr</c> whose ECR and STS calls go to the AWS host names the code picks
    /// itself (no <c>ServiceUrl</c>), each routed by <paramref name="routes"/> to a loopback server.
    /// </summary>
    public static TestHost CreateRouted(AwsHostRoutes routes, Action<AwsEcrOptions> configure) =>
        new(
            build: builder =>
            {
                builder.AddAwsEcr(configure);
                builder.Services.AddHttpClient(AwsEcrOptions.HttpClientName).ConfigurePrimaryHttpMessageHandler(routes.CreateHandler);
            });

    public static AwsEcrCredentialProvider EcrProvider(this TestHost host) => host.Services.GetRequiredService<AwsEcrCredentialProvider>();

    /// <summary>Adds an <c>awsecr</c> entry without validation.</summary>
    public static Task<RegistryEntry> AddEcrAsync(this TestHost host, string scope, string username, string password, bool validate = false) =>
        host.Manager.AddAsync(new RegistryAddRequest
        {
            Scope = scope,
            Type = RegistryType.AwsEcr,
            Username = username,
            Password = password,
            Validate = validate,
        });

    /// <summary>Resolves an image and returns its credential (the resolution must be a credential).</summary>
    public static async Task<RegistryCredential> ResolveCredentialAsync(this TestHost host, string image)
    {
        var resolution = await host.Resolver.ResolveAsync(ImageReference.Parse(image));
        Assert.That(resolution.Kind, Is.EqualTo(RegistryResolutionKind.Credential), resolution.Message);
        return resolution.Credential!;
    }

    /// <summary>Waits (real time, at most 10 s) until <paramref name="condition"/> holds: for work the cache does in the background.</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = Environment.TickCount64 + 10_000;
        while (!condition())
        {
            if (Environment.TickCount64 > deadline)
            {
                Assert.Fail("Timed out waiting until " + what);
            }

            await Task.Delay(10);
        }
    }
}
