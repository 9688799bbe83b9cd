using System.Net;
using RegistryCredentials.Aws.Tests.Support;
using RegistryCredentials.Tests.Support;
using RegistryCredentials.Tests.Support.Registry;

namespace RegistryCredentials.Aws.Tests;

/// <summary>
/// End to end against the real CNCF distribution registry in token-auth mode, whose token server knows the user
/// <c>AWS</c> with the password the local ECR endpoint issued (it compares the whole password; htpasswd's bcrypt would
/// read only 72 bytes of it). The registry is reached as an alias of an ECR host (<see cref="AwsEcrOptions.RegistryAliases"/>).
/// </summary>
[Category("RealRegistry")]
public class EndToEndTests
{
    private DistributionRegistry _registry = null!;
    private FakeEcrEndpoint _ecr = null!;
    private TestHost _host = null!;
    private AwsTestKeys _keys = null!;
    private string _ecrHost = null!;
    private string _account = null!;

    [SetUp]
    public async Task SetUpAsync()
    {
        _keys = AwsTestKeys.NewLongTerm();
        _account = AwsTestKeys.NewAccountId();
        _ecrHost = $"{_account}.dkr.ecr.us-west-2.amazonaws.com";
        _registry = await DistributionRegistry.StartAsync(RegistryMode.TokenTls, pushImage: false);
        _host = EcrTestHosts.Create(
            o =>
            {
                o.ServiceUrl = _ecr.BaseUri;
                o.RegistryAliases[_registry.Registry] = _ecrHost;
                o.MaxRetries = 0;
            },
            withValidator: false);
        _ecr = await FakeEcrEndpoint.StartAsync(_host.Time);
        _ecr.AddKeys(_keys);
        _ecr.OnTokenIssued = password => _registry.Token!.AddUser("AWS", password);
    }

    [TearDown]
    public async Task TearDownAsync()
    {
        _host.Dispose();
        await _ecr.DisposeAsync();
        await _registry.DisposeAsync();
    }

    [Test]
    public async Task Ecr_token_is_accepted_by_the_registry_and_validation_on_add_succeeds()
    {
        var entry = await AddAsync(_keys.SecretAccessKey);

        var credential = await _host.ResolveCredentialAsync(_registry.Registry + "/test/app:v1");
        var tokenRequest = _registry.Token!.Requests.Single();
        Assert.Multiple(() =>
        {
            Assert.That(entry.Type, Is.EqualTo(RegistryType.AwsEcr));
            Assert.That(_ecr.Calls.Single().RegistryIds, Is.EqualTo(new[] { _account }), "the alias's ECR account");
            Assert.That(_ecr.Calls.Single().Region, Is.EqualTo("us-west-2"));
            Assert.That((tokenRequest.Username, tokenRequest.StatusCode), Is.EqualTo(("AWS", 200)), "the registry's token server accepted user AWS");
            Assert.That(credential.Username, Is.EqualTo("AWS"));
            Assert.That(credential.Secret.Reveal(), Is.EqualTo(_ecr.LastPassword).And.Length.GreaterThan(72));
            Assert.That(_ecr.TokensIssued, Is.EqualTo(1), "the token fetched for validation serves the resolve");
        });
    }

    [Test]
    public async Task Wrong_secret_key_fails_at_add_with_the_typed_error_and_stores_nothing()
    {
        await _host.AddAsync("keep.example.com");
        var before = await _host.SnapshotAsync();
        var wrong = AwsTestKeys.NewLongTerm().SecretAccessKey;

        var error = Assert.ThrowsAsync<AwsEcrException>(() => AddAsync(wrong));
        var after = await _host.SnapshotAsync();

        Assert.Multiple(() =>
        {
            Assert.That(error!.Kind, Is.EqualTo(AwsEcrErrorKind.Unauthorized));
            Assert.That(error.ErrorCode, Is.EqualTo("InvalidSignatureException"));
            Assert.That(error.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(error.ToString(), Does.Not.Contain(wrong));
            Assert.That(after, Is.EqualTo(before));
            Assert.That(_registry.Token!.Requests, Is.Empty, "nothing reached the registry");
        });
    }

    private Task<RegistryEntry> AddAsync(string secretAccessKey) =>
        _host.Manager.AddAsync(new RegistryAddRequest
        {
            Scope = _registry.Registry,
            Type = RegistryType.AwsEcr,
            Username = _keys.AccessKeyId,
            Password = secretAccessKey,
            CaCertificates = _registry.CaPem,
        });
}
