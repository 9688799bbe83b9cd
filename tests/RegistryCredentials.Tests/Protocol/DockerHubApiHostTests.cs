using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using RegistryCredentials.Tests.Support;

namespace RegistryCredentials.Tests.Protocol;

/// <summary>
/// Docker Hub's Registry API is served at registry-1.docker.io, not at docker.io: that is the endpoint Docker
/// (registry.DefaultV2Registry in moby's registry/config.go), containerd (docker.io → registry-1.docker.io in its
/// resolver's host defaults) and skopeo (containers/image docker/docker_client.go, dockerV1Hostname rewrite) use.
/// docker.io/v2/ is a web redirect, not a registry. The stored scope stays docker.io.
/// </summary>
public sealed class DockerHubApiHostTests
{
    [TestCase("docker.io", "registry-1.docker.io")]
    [TestCase("docker.io/acme/*", "registry-1.docker.io")]
    [TestCase("index.docker.io/library/nginx", "registry-1.docker.io")]
    [TestCase("registry-1.docker.io", "registry-1.docker.io")]
    [TestCase("quay.io/ns", "quay.io")]
    [TestCase("registry.example.com:5000", "registry.example.com:5000")]
    [TestCase("*.azurecr.io", "*.azurecr.io")]
    public void A_scope_names_the_host_its_registry_api_is_on(string scope, string apiHost)
    {
        var parsed = RegistryScope.Parse(scope);

        Assert.That(parsed.ApiHost, Is.EqualTo(apiHost));
        if (scope.StartsWith("index.", StringComparison.Ordinal) || scope.StartsWith("registry-1.", StringComparison.Ordinal))
        {
            Assert.That(parsed.Registry, Is.EqualTo("docker.io"), "the stored scope stays docker.io");
        }
    }

    [TestCase("nginx", "docker.io", "registry-1.docker.io")]
    [TestCase("docker.io/acme/app:1", "docker.io", "registry-1.docker.io")]
    [TestCase("index.docker.io/acme/app", "docker.io", "registry-1.docker.io")]
    [TestCase("quay.io/ns/app:1.2", "quay.io", "quay.io")]
    [TestCase("localhost:5000/app", "localhost:5000", "localhost:5000")]
    public void A_reference_names_the_host_its_registry_api_is_on(string image, string registry, string apiHost)
    {
        var reference = ImageReference.Parse(image);

        Assert.Multiple(() =>
        {
            Assert.That(reference.Registry, Is.EqualTo(registry));
            Assert.That(reference.ApiHost, Is.EqualTo(apiHost));
        });
    }

    [Test]
    public async Task A_resolution_for_docker_hub_names_its_api_host()
    {
        using var host = new TestHost();
        await host.AddAsync("docker.io/acme/*");

        var hub = await host.Resolver.ResolveAsync("acme/app:1");
        var anonymous = await host.Resolver.ResolveAsync("quay.io/ns/app");

        Assert.Multiple(() =>
        {
            Assert.That(hub.Registry, Is.EqualTo("docker.io"));
            Assert.That(hub.ApiHost, Is.EqualTo("registry-1.docker.io"));
            Assert.That(anonymous.ApiHost, Is.EqualTo("quay.io"));
        });
    }

    [Test]
    public async Task Validating_a_docker_hub_entry_pings_registry_1_and_stores_the_scope_as_written()
    {
        var sender = new RecordingSender();
        using var host = new TestHost(
            withValidator: false,
            build: b => b.Services.Replace(ServiceDescriptor.Singleton<IRegistryHttpSender>(sender)));

        var entry = await host.Manager.AddAsync(new RegistryAddRequest
        {
            Scope = "docker.io/acme/*",
            Username = "acme-ci",
            Password = TestHost.NewSecret(),
        });

        Assert.Multiple(() =>
        {
            Assert.That(sender.Requests, Is.EqualTo(new[] { "GET https://registry-1.docker.io/v2/" }));
            Assert.That(entry.Scope.Value, Is.EqualTo("docker.io/acme/*"));
        });
    }

    [TestCase("https://docker.io/v2/acme/app/manifests/1")]
    [TestCase("https://index.docker.io/v2/acme/app/manifests/1")]
    [TestCase("https://registry-1.docker.io/v2/acme/app/manifests/1")]
    public async Task A_pull_addressed_to_docker_hub_goes_to_registry_1(string url)
    {
        var network = new RecordingHandler();
        using var host = new TestHost(withValidator: false, build: b => b.Services.AddHttpClient("hub")
            .AddRegistryAuthentication()
            .ConfigurePrimaryHttpMessageHandler(() => network));
        await host.AddAsync("docker.io/acme/*");
        var client = host.Services.GetRequiredService<IHttpClientFactory>().CreateClient("hub");

        using var response = await client.GetAsync(url);

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(network.Requests, Is.EqualTo(new[] { "GET https://registry-1.docker.io/v2/acme/app/manifests/1" }));
        });
    }

    /// <summary>Stands in for the network below the pull handler: answers 200 and records where each request went.</summary>
    private sealed class RecordingHandler : HttpMessageHandler
    {
        public List<string> Requests { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests.Add(request.Method + " " + request.RequestUri);
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { RequestMessage = request });
        }
    }

    /// <summary>
    /// Stands in for the network: answers /v2/ as a registry that allows anonymous access does (200 with
    /// Docker-Distribution-API-Version, per the distribution API spec's "API Version Check"), and records where each
    /// request went. Only the endpoint is pinned here; the real challenge/token flow is tested against the CNCF
    /// registry in Registry/RealRegistryValidationTests.
    /// </summary>
    private sealed class RecordingSender : IRegistryHttpSender
    {
        public List<string> Requests { get; } = [];

        public Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, RegistryEntry? entry, CancellationToken cancellationToken = default)
        {
            Requests.Add(request.Method + " " + request.RequestUri);
            var response = new HttpResponseMessage(HttpStatusCode.OK) { RequestMessage = request };
            response.Headers.Add("Docker-Distribution-API-Version", "registry/2.0");
            return Task.FromResult(response);
        }

        public Task<byte[]> ReadBodyAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken = default) =>
            Task.FromResult(Array.Empty<byte>());
    }
}
