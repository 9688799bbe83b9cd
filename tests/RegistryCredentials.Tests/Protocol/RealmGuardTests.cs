using RegistryCredentials.Tests.Support;

namespace RegistryCredentials.Tests.Protocol;

/// <summary>
/// Token realms on addresses a credential must never be sent to are refused, whatever the registry (here a loopback
/// registry, for which loopback and private realms are allowed): each range in IPv4, in IPv6, and in the IPv6 forms
/// that reach an IPv4 address (IPv4-mapped <c>::ffff:0:0/96</c>, RFC 4291 §2.5.5.2; NAT64 well-known prefix
/// <c>64:ff9b::/96</c>, RFC 6052 §2.1). Ranges: unspecified (RFC 1122 §3.2.1.3 "this host on this network"
/// <c>0.0.0.0/8</c>, RFC 4291 <c>::</c>), carrier-grade NAT (RFC 6598 <c>100.64.0.0/10</c>, home of Alibaba Cloud's
/// metadata service 100.100.100.200), link-local (RFC 3927 <c>169.254.0.0/16</c> with AWS/GCP/Azure metadata
/// 169.254.169.254, RFC 4291 <c>fe80::/10</c>) and AWS's IPv6 metadata address <c>fd00:ec2::254</c>.
/// The refusal comes before any request to the realm.
/// </summary>
public class RealmGuardTests
{
    private FakeRegistry _fake = null!;
    private TestHost _host = null!;

    [SetUp]
    public async Task SetUp()
    {
        _fake = await FakeRegistry.StartAsync();
        _host = new TestHost(withValidator: false);
    }

    [TearDown]
    public async Task TearDown()
    {
        _host.Dispose();
        await _fake.DisposeAsync();
    }

    // Unspecified.
    [TestCase("http://0.0.0.0/token", "unspecified")]
    [TestCase("http://0.1.2.3:8080/token", "unspecified")]
    [TestCase("http://[::]/token", "unspecified")]
    [TestCase("http://[::ffff:0.0.0.0]/token", "unspecified")]
    [TestCase("http://[64:ff9b::]/token", "unspecified")]
    // Carrier-grade NAT.
    [TestCase("http://100.64.0.1/token", "carrier-grade NAT")]
    [TestCase("http://100.100.100.200/latest/meta-data", "carrier-grade NAT")]
    [TestCase("http://100.127.255.254/token", "carrier-grade NAT")]
    [TestCase("http://[::ffff:100.64.0.1]/token", "carrier-grade NAT")]
    [TestCase("http://[::ffff:6464:64c8]/token", "carrier-grade NAT")]
    [TestCase("http://[64:ff9b::100.100.100.200]/token", "carrier-grade NAT")]
    [TestCase("http://[64:ff9b::647f:fffe]/token", "carrier-grade NAT")]
    // Link-local and cloud metadata.
    [TestCase("http://169.254.169.254/token", "link-local or cloud metadata")]
    [TestCase("http://[fe80::1]/token", "link-local or cloud metadata")]
    [TestCase("http://[febf:ffff::1]/token", "link-local or cloud metadata")]
    [TestCase("http://[fd00:ec2::254]/token", "link-local or cloud metadata")]
    [TestCase("http://[::ffff:169.254.169.254]/token", "link-local or cloud metadata")]
    [TestCase("http://[64:ff9b::169.254.169.254]/token", "link-local or cloud metadata")]
    [TestCase("http://[64:ff9b::a9fe:0101]:80/token", "link-local or cloud metadata")]
    public async Task A_realm_on_a_refused_address_is_refused_before_any_request(string realm, string why)
    {
        _fake.Challenges.Clear();
        _fake.Challenges.Add($"Bearer realm=\"{realm}\",service=\"x\"");
        var before = await _host.SnapshotAsync();

        var error = Assert.ThrowsAsync<RegistryValidationException>(() => _host.Manager.AddAsync(new RegistryAddRequest
        {
            Scope = _fake.Registry, Username = _fake.Username, Password = _fake.Password, InsecureHttp = true,
        }));

        Assert.That(error!.Outcome, Is.EqualTo(RegistryValidationOutcome.ProtocolError), error.Message);
        Assert.That(error.Message, Does.Contain("was refused").And.Contain(why));
        Assert.That(_fake.Tokens.Requests, Is.Empty);
        Assert.That(await _host.SnapshotAsync(), Is.EqualTo(before), "nothing stored");
    }

    [TestCase("http://127.0.0.1:{port}/token")]
    [TestCase("http://[::ffff:127.0.0.1]:{port}/token")]
    [TestCase("http://localhost:{port}/token")]
    public async Task A_loopback_realm_of_a_loopback_registry_is_used_in_every_spelling(string realm)
    {
        // The positive side of the same rules: loopback (and private) realms stay allowed for a registry that is itself on
        // such an address, also in their IPv4-mapped spelling and by name (resolved, then checked).
        _fake.Challenges.Clear();
        var port = _fake.Tokens.BaseUri.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        _fake.Challenges.Add($"Bearer realm=\"{realm.Replace("{port}", port, StringComparison.Ordinal)}\",service=\"x\"");

        var entry = await _host.Manager.AddAsync(new RegistryAddRequest
        {
            Scope = _fake.Registry, Username = _fake.Username, Password = _fake.Password, InsecureHttp = true,
        });

        Assert.That(entry.Version, Is.EqualTo(1));
        Assert.That(_fake.Tokens.Requests, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task A_realm_that_redirects_to_a_refused_address_is_refused_at_connect_before_anything_is_sent()
    {
        // The rules are applied again to the addresses a realm connection is opened to (RegistryTransport's connect
        // callback), not only to the realm's name before the first request: that is what stops a realm name whose DNS
        // answers an allowed address to the check and a refused one to the connection (DNS rebinding). Here the same
        // check meets a realm (allowed: loopback, like the registry) that redirects to 0.0.0.0, the unspecified address
        // (which Linux connects to this host): the redirected request is refused before it is sent, instead of reaching
        // the token service a second time.
        var port = _fake.Tokens.BaseUri.Port;
        _fake.TokenAnswer = context =>
        {
            context.Response.StatusCode = 307;
            context.Response.Headers.Location = $"http://0.0.0.0:{port}/token";
            return Task.CompletedTask;
        };
        var before = await _host.SnapshotAsync();

        var error = Assert.ThrowsAsync<RegistryValidationException>(() => _host.Manager.AddAsync(new RegistryAddRequest
        {
            Scope = _fake.Registry, Username = _fake.Username, Password = _fake.Password, InsecureHttp = true,
        }));

        Assert.That(error!.Outcome, Is.EqualTo(RegistryValidationOutcome.ProtocolError), error.Message);
        Assert.That(error.Message, Does.Contain("was refused").And.Contain("unspecified").And.Contain("0.0.0.0"));
        Assert.That(_fake.Tokens.Requests, Has.Count.EqualTo(1), "the realm itself, not its redirect");
        Assert.That(await _host.SnapshotAsync(), Is.EqualTo(before), "nothing stored");
    }
}
