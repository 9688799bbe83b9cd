using System.Text.Json;
using RegistryCredentials.Cli.Interop;
using RegistryCredentials.Cli.Tests.Support;

namespace RegistryCredentials.Cli.Tests;

/// <summary>The kubelet credential-provider plugin: CredentialProviderRequest on stdin, CredentialProviderResponse on stdout.</summary>
[TestFixture]
public sealed class KubeletCredentialProviderTests
{
    private Sandbox _sandbox = null!;

    [SetUp]
    public void SetUp() => _sandbox = new Sandbox();

    [TearDown]
    public void TearDown() => _sandbox.Dispose();

    [Test]
    public async Task A_v1_request_gets_a_response_keyed_by_the_registry_with_a_registry_cache_key()
    {
        await AddAsync("registry.example.com:5000", "kube", "kube-secret");

        var run = await RequestAsync(
            "{\"apiVersion\":\"credentialprovider.kubelet.k8s.io/v1\",\"kind\":\"CredentialProviderRequest\","
            + "\"image\":\"registry.example.com:5000/team/app:1.2\"}");
        var response = Json.Parse(run.Stdout);

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.Zero, run.ToString());
            Assert.That(run.Stderr, Is.Empty);
            Assert.That(run.Stdout, Does.EndWith("}\n"));
            Assert.That(response.EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "kind", "apiVersion", "cacheKeyType", "cacheDuration", "auth" }));
            Assert.That(response.Text("kind"), Is.EqualTo("CredentialProviderResponse"));
            Assert.That(response.Text("apiVersion"), Is.EqualTo("credentialprovider.kubelet.k8s.io/v1"));
            Assert.That(response.Text("cacheKeyType"), Is.EqualTo("Registry"));
            Assert.That(response.Text("cacheDuration"), Is.EqualTo("5m0s"));
            var auth = response.GetProperty("auth");
            Assert.That(auth.EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "registry.example.com:5000" }));
            Assert.That(auth.GetProperty("registry.example.com:5000").Text("username"), Is.EqualTo("kube"));
            Assert.That(auth.GetProperty("registry.example.com:5000").Text("password"), Is.EqualTo("kube-secret"));
        });
    }

    [Test]
    public async Task An_unknown_apiVersion_or_a_malformed_request_is_an_error_on_stderr()
    {
        await AddAsync("registry.example.com", "kube", "kube-secret");

        var v2 = await RequestAsync(
            "{\"apiVersion\":\"credentialprovider.kubelet.k8s.io/v2\",\"kind\":\"CredentialProviderRequest\",\"image\":\"registry.example.com/app\"}");
        var missingVersion = await RequestAsync("{\"kind\":\"CredentialProviderRequest\",\"image\":\"registry.example.com/app\"}");
        var wrongKind = await RequestAsync("{\"apiVersion\":\"credentialprovider.kubelet.k8s.io/v1\",\"kind\":\"Pod\",\"image\":\"registry.example.com/app\"}");
        var noImage = await RequestAsync("{\"apiVersion\":\"credentialprovider.kubelet.k8s.io/v1\",\"kind\":\"CredentialProviderRequest\"}");
        var notJson = await RequestAsync("apiVersion: v1");

        Assert.Multiple(() =>
        {
            foreach (var (
                run,
                fragment) in new[] { (v2, "apiVersion"), (missingVersion, "apiVersion"), (wrongKind, "kind"), (noImage, "no image"), (notJson, "not JSON") })
            {
                Assert.That(run.ExitCode, Is.Not.Zero, run.ToString());
                Assert.That(run.Stdout, Is.Empty, run.ToString());
                RegistryCommandTests.AssertError(run, 1, fragment);
            }

            Assert.That(v2.Stderr, Does.Contain("credentialprovider.kubelet.k8s.io/v2"));
        });
        _sandbox.AssertNeverPrinted("kube-secret");
    }

    [Test]
    public async Task Path_scoped_glob_entries_ask_for_an_image_cache_key_and_another_ports_entries_do_not()
    {
        // The plugin reads the registry's candidates through the store's host query (the registry's own entries and every
        // glob host): a path-scoped glob on the registry counts, a path-scoped entry of the same host on another port does not.
        await AddAsync("*.example.com/team/*", "glob", "glob-secret");
        await AddAsync("plain.test:5000/team/*", "port", "port-secret");
        await AddAsync("plain.test", "plain", "plain-secret");

        var glob = Json.Parse((await RequestAsync(Request("credentialprovider.kubelet.k8s.io/v1", "x.example.com/other/app:1"))).Stdout);
        var plain = Json.Parse((await RequestAsync(Request("credentialprovider.kubelet.k8s.io/v1", "plain.test/team/app:1"))).Stdout);

        Assert.Multiple(() =>
        {
            Assert.That(glob.Text("cacheKeyType"), Is.EqualTo("Image"), "a registry-wide cache would hand 'anonymous' to team images");
            Assert.That(glob.GetProperty("auth").EnumerateObject(), Is.Empty);
            Assert.That(plain.Text("cacheKeyType"), Is.EqualTo("Registry"));
            Assert.That(plain.GetProperty("auth").GetProperty("plain.test").Text("username"), Is.EqualTo("plain"));
        });
    }

    [Test]
    public async Task Docker_Hub_images_are_keyed_index_docker_io_and_path_scoped_entries_ask_for_an_image_cache_key()
    {
        await AddAsync("docker.io", "hub", "hub-secret");
        await AddAsync("registry.example.com/team/*", "team", "team-secret");
        await AddAsync("registry.example.com", "all", "all-secret");
        await _sandbox.RunOkAsync("settings", "set", "default-registry", "registry.example.com");

        var hub = Json.Parse((await RequestAsync(Request("credentialprovider.kubelet.k8s.io/v1", "nginx:1.27"))).Stdout);
        var team = Json.Parse((await RequestAsync(Request("credentialprovider.kubelet.k8s.io/v1beta1", "registry.example.com/team/app:1"))).Stdout);
        var other = Json.Parse((await RequestAsync(Request("credentialprovider.kubelet.k8s.io/v1", "registry.example.com/other/app:1"))).Stdout);

        Assert.Multiple(() =>
        {
            Assert.That(
                hub.GetProperty("auth").GetProperty("index.docker.io").Text("username"),
                Is.EqualTo("hub"),
                "no default-registry rewrite for the kubelet: the runtime pulls from Docker Hub");
            Assert.That(hub.Text("cacheKeyType"), Is.EqualTo("Registry"));
            Assert.That(team.Text("apiVersion"), Is.EqualTo("credentialprovider.kubelet.k8s.io/v1beta1"));
            Assert.That(team.Text("cacheKeyType"), Is.EqualTo("Image"));
            Assert.That(team.GetProperty("auth").GetProperty("registry.example.com/team").Text("password"), Is.EqualTo("team-secret"));
            Assert.That(other.Text("cacheKeyType"), Is.EqualTo("Image"), "a registry-wide cache would hand this answer to team images");
            Assert.That(other.GetProperty("auth").GetProperty("registry.example.com").Text("username"), Is.EqualTo("all"));
        });
    }

    [Test]
    public async Task Anonymous_images_get_an_empty_auth_and_denied_ones_exit_5()
    {
        await AddAsync("quay.io/partner/*", "partner", "partner-secret");
        await _sandbox.RunOkAsync("registry", "deactivate", "quay.io/partner/*");

        var anonymous = await RequestAsync(Request("credentialprovider.kubelet.k8s.io/v1", "ghcr.io/x/y:1"));
        var denied = await RequestAsync(Request("credentialprovider.kubelet.k8s.io/v1", "quay.io/partner/tool:3"));
        var longer = await _sandbox.RunAsync(
            ["kubelet-credential-provider", "--cache-duration", "1h"],
            Request("credentialprovider.kubelet.k8s.io/v1", "ghcr.io/x/y:1"));

        Assert.Multiple(() =>
        {
            Assert.That(anonymous.ExitCode, Is.Zero, anonymous.ToString());
            Assert.That(Json.Parse(anonymous.Stdout).GetProperty("auth").EnumerateObject(), Is.Empty);
            RegistryCommandTests.AssertError(denied, 5, "deactivated");
            Assert.That(denied.Stdout, Is.Empty);
            Assert.That(Json.Parse(longer.Stdout).Text("cacheDuration"), Is.EqualTo("1h0m0s"));
        });
    }

    [Test]
    public void The_cache_duration_never_outlives_the_credential()
    {
        var now = new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
        var staticDuration = TimeSpan.FromMinutes(5);
        var ecrLike = RegistryCredential.FromUsernamePassword("AWS", "token", now.AddHours(12), now.AddHours(6));
        var noRefresh = RegistryCredential.FromUsernamePassword("u", "p", now.AddMinutes(30));
        var almostExpired = RegistryCredential.FromUsernamePassword("u", "p", now.AddSeconds(20));
        var forever = RegistryCredential.FromUsernamePassword("u", "p");

        Assert.Multiple(() =>
        {
            Assert.That(KubeletCredentialProvider.CacheDuration(ecrLike, now, staticDuration), Is.EqualTo(TimeSpan.FromHours(6)));
            Assert.That(GoDuration.Format(KubeletCredentialProvider.CacheDuration(ecrLike, now, staticDuration)), Is.EqualTo("6h0m0s"));
            Assert.That(KubeletCredentialProvider.CacheDuration(noRefresh, now, staticDuration), Is.EqualTo(TimeSpan.FromMinutes(29)));
            Assert.That(KubeletCredentialProvider.CacheDuration(almostExpired, now, staticDuration), Is.EqualTo(TimeSpan.Zero));
            Assert.That(KubeletCredentialProvider.CacheDuration(forever, now, staticDuration), Is.EqualTo(staticDuration));
        });
    }

    [Test]
    public void The_response_serialises_like_the_kubelet_api()
    {
        var json = KubeletCredentialProvider.Serialize(
            "credentialprovider.kubelet.k8s.io/v1",
            "Registry",
            TimeSpan.FromSeconds(3725),
            [("r.example.com", "u", "p\"<")]);

        Assert.That(JsonDocument.Parse(json).RootElement.GetProperty("auth").GetProperty("r.example.com").Text("password"), Is.EqualTo("p\"<"));
        Assert.That(
            json,
            Does.StartWith(
                "{\"kind\":\"CredentialProviderResponse\",\"apiVersion\":\"credentialprovider.kubelet.k8s.io/v1\","
                + "\"cacheKeyType\":\"Registry\",\"cacheDuration\":\"1h2m5s\",\"auth\":{"));
    }

    private static string Request(string apiVersion, string image) =>
        $"{{\"apiVersion\":\"{apiVersion}\",\"kind\":\"CredentialProviderRequest\",\"image\":\"{image}\"}}";

    private Task<ToolRun> RequestAsync(string request) => _sandbox.RunAsync(["kubelet-credential-provider"], request);

    private async Task AddAsync(string scope, string username, string password)
    {
        var run = await _sandbox.RunWithPasswordAsync(password, "registry", "add", scope, "--username", username, "--validate=false");
        Assert.That(run.ExitCode, Is.Zero, run.ToString());
    }
}
