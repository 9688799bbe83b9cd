using System.Text;
using Moq;
using RegistryCredentials.Google.Tests.Support;
using RegistryCredentials.Tests.Support;

namespace RegistryCredentials.Google.Tests;

/// <summary>What is checked when a Google entry is added, and what pass-through hands out.</summary>
public class GoogleKeyCheckTests
{
    private static readonly Uri TokenUri = new("http://127.0.0.1:9/token");
    private TestServiceAccount _account = null!;

    [OneTimeSetUp]
    public void OneTimeSetUp() => _account = TestServiceAccount.Create(TokenUri);

    [OneTimeTearDown]
    public void OneTimeTearDown() => _account.Dispose();

    private static RegistryAddRequest Request(string username, string password, string scope = "us-docker.pkg.dev/acme-project/*") =>
        new() { Scope = scope, Username = username, Password = password };

    /// <summary>
    /// Adds, expecting a <see cref="GoogleCredentialException"/> of <paramref name="error"/>, and checks the store is
    /// untouched and nothing of the key is in the message.
    /// </summary>
    private static async Task<GoogleCredentialException> RefusedAsync(
        TestHost host,
        RegistryAddRequest request,
        GoogleCredentialError error,
        params string[] secrets)
    {
        var before = await host.SnapshotAsync();
        var exception = await GoogleHosts.CatchAsync(() => host.Manager.AddAsync(request));
        Assert.That(exception, Is.InstanceOf<GoogleCredentialException>());
        var google = (GoogleCredentialException)exception!;
        Assert.Multiple(() =>
        {
            Assert.That(google.Kind, Is.EqualTo(error), google.Message);
            // Issue 13: the refusal in the one failure model (a 400 naming the field over HTTP, exit 1 in regcred).
            Assert.That(
                google.Reason,
                Is.EqualTo(error == GoogleCredentialError.ApplicationDefaultNotAllowed ? RegistryErrorReason.NotAllowed : RegistryErrorReason.InvalidEntry));
            Assert.That(google.Field, Is.EqualTo(error == GoogleCredentialError.InvalidKey ? "Password" : "Username"));
            Assert.That(google.InnerException, Is.Null.Or.Not.InstanceOf<System.Text.Json.JsonException>());
            Assert.That(host.Validator.Invocations, Is.Empty, "refused before validation");
        });
        foreach (var secret in secrets.Where(s => s.Length >= 8))
        {
            Assert.That(google.ToString(), Does.Not.Contain(secret));
        }

        Assert.That(await host.SnapshotAsync(), Is.EqualTo(before), "a refused add leaves the store as it was");
        return google;
    }

    [Test]
    public async Task Json_key_is_stored_and_passed_through_as_basic_credentials()
    {
        using var host = GoogleHosts.Create();
        var entry = await host.Manager.AddAsync(Request(GoogleUsernames.JsonKey, _account.Json));

        Assert.That(entry.Type, Is.EqualTo(RegistryType.Google), "the type is guessed from *-docker.pkg.dev");
        host.Validator.Verify(v => v.ValidateAsync(
            It.IsAny<RegistryEntry>(),
            It.Is<RegistryCredential>(c => c.Username == "_json_key" && c.Secret.Reveal() == _account.Json && c.ExpiresOn == null),
            It.IsAny<CancellationToken>()), Times.Once);
        var resolution = await host.Resolver.ResolveAsync("us-docker.pkg.dev/acme-project/repo/app:1");
        Assert.That(resolution.Credential!.Username, Is.EqualTo("_json_key"));
        Assert.That(resolution.Credential.Secret.Reveal(), Is.EqualTo(_account.Json));
        Assert.That(
            resolution.Credential.GetAuthorizationHeaderValue(),
            Is.EqualTo("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("_json_key:" + _account.Json))));
    }

    [Test]
    public async Task Base64_key_is_checked_decoded_and_passed_through_as_given()
    {
        using var host = GoogleHosts.Create();
        await host.Manager.AddAsync(Request(GoogleUsernames.JsonKeyBase64, _account.Base64, "gcr.io/acme-project/*"));

        var resolution = await host.Resolver.ResolveAsync("gcr.io/acme-project/app");
        Assert.That(resolution.Credential!.Username, Is.EqualTo("_json_key_base64"));
        Assert.That(resolution.Credential.Secret.Reveal(), Is.EqualTo(_account.Base64));
    }

    [Test]
    public async Task Base64_key_wrapped_over_lines_is_accepted()
    {
        using var host = GoogleHosts.Create();
        var wrapped = string.Join('\n', _account.Base64.Chunk(76).Select(c => new string(c))) + "\n";
        await host.Manager.AddAsync(Request(GoogleUsernames.JsonKeyBase64, wrapped, "eu.gcr.io"));
        Assert.That((await host.Manager.GetAsync("eu.gcr.io")).Username, Is.EqualTo("_json_key_base64"));
    }

    [Test]
    public async Task Access_token_is_passed_through()
    {
        using var host = GoogleHosts.Create();
        var token = "ya29." + TestHost.NewSecret();
        await host.Manager.AddAsync(Request(GoogleUsernames.AccessToken, token, "docker.europe-west1.rep.pkg.dev"));
        var resolution = await host.Resolver.ResolveAsync("docker.europe-west1.rep.pkg.dev/p/r/app");
        Assert.That(resolution.Credential!.Username, Is.EqualTo("oauth2accesstoken"));
        Assert.That(resolution.Credential.Secret.Reveal(), Is.EqualTo(token));
    }

    [Test]
    public async Task Text_that_is_not_json_is_refused_with_its_position_and_never_echoed()
    {
        using var host = GoogleHosts.Create();
        var notJson = "{\n  \"type\": \"service_account\",\n  \"private_key\": " + TestHost.NewSecret() + "\n}";
        var error = await RefusedAsync(host, Request(GoogleUsernames.JsonKey, notJson), GoogleCredentialError.InvalidKey, notJson, TestHost.NewSecret());
        Assert.That(error.Message, Does.Contain("not valid JSON").And.Contain("line 3"));
        Assert.That(error.Message, Does.Not.Contain("pw-"));
    }

    [Test]
    public async Task Truncated_key_file_is_refused_without_echoing_it()
    {
        using var host = GoogleHosts.Create();
        var truncated = _account.Json[..(_account.Json.Length / 2)];
        var error = await RefusedAsync(
            host,
            Request(GoogleUsernames.JsonKey, truncated),
            GoogleCredentialError.InvalidKey,
            [truncated, .. _account.SecretFragments]);
        Assert.That(error.Message, Does.Contain("not valid JSON"));
    }

    [Test]
    public async Task Json_that_is_not_an_object_is_refused()
    {
        using var host = GoogleHosts.Create();
        var error = await RefusedAsync(host, Request(GoogleUsernames.JsonKey, "[\"" + TestHost.NewSecret() + "\"]"), GoogleCredentialError.InvalidKey);
        Assert.That(error.Message, Does.Contain("not an object"));
    }

    [TestCase("authorized_user", "\"authorized_user\" credential", "gcloud user login")]
    [TestCase("external_account", "\"external_account\" credential", "service_account")]
    [TestCase(null, "no \"type\" field", "service_account")]
    public async Task Wrong_or_missing_type_is_refused(string? type, string named, string hint)
    {
        using var host = GoogleHosts.Create();
        using var broken = TestServiceAccount.CreateBroken(TokenUri, type: type);
        var error = await RefusedAsync(host, Request(GoogleUsernames.JsonKey, broken.Json), GoogleCredentialError.InvalidKey, [.. broken.SecretFragments]);
        Assert.That(error.Message, Does.Contain(named).And.Contain(hint));
    }

    [Test]
    public async Task A_type_that_is_not_a_plain_name_is_not_echoed()
    {
        using var host = GoogleHosts.Create();
        var odd = "Secret-Type-" + Guid.NewGuid().ToString("N");
        using var broken = TestServiceAccount.CreateBroken(TokenUri, type: odd);
        var error = await RefusedAsync(host, Request(GoogleUsernames.JsonKey, broken.Json), GoogleCredentialError.InvalidKey, [odd, .. broken.SecretFragments]);
        Assert.That(error.Message, Does.Contain("another kind of credential"));
    }

    [Test]
    public async Task Missing_client_email_is_refused()
    {
        using var host = GoogleHosts.Create();
        using var broken = TestServiceAccount.CreateBroken(TokenUri, withClientEmail: false);
        var error = await RefusedAsync(host, Request(GoogleUsernames.JsonKey, broken.Json), GoogleCredentialError.InvalidKey, [.. broken.SecretFragments]);
        Assert.That(error.Message, Does.Contain("no \"client_email\""));
    }

    [Test]
    public async Task Missing_private_key_is_refused()
    {
        using var host = GoogleHosts.Create();
        using var broken = TestServiceAccount.CreateBroken(TokenUri, withPrivateKey: false);
        var error = await RefusedAsync(host, Request(GoogleUsernames.JsonKey, broken.Json), GoogleCredentialError.InvalidKey, [.. broken.SecretFragments]);
        Assert.That(error.Message, Does.Contain("no \"private_key\""));
    }

    [Test]
    public async Task Private_key_that_is_not_a_pem_rsa_key_is_refused_without_echoing_it()
    {
        using var host = GoogleHosts.Create();
        var garbage = "-----BEGIN PRIVATE KEY-----\n"
            + Convert.ToBase64String(Encoding.UTF8.GetBytes(TestHost.NewSecret() + TestHost.NewSecret()))
            + "\n-----END PRIVATE KEY-----\n";
        using var broken = TestServiceAccount.CreateBroken(TokenUri, privateKey: garbage);
        var error = await RefusedAsync(
            host,
            Request(GoogleUsernames.JsonKey, broken.Json),
            GoogleCredentialError.InvalidKey,
            [garbage.Split('\n')[1], .. broken.SecretFragments]);
        Assert.That(error.Message, Does.Contain("not a PEM RSA private key"));
    }

    [Test]
    public async Task Base64_user_with_a_json_password_is_refused_with_a_hint()
    {
        using var host = GoogleHosts.Create();
        var error = await RefusedAsync(
            host,
            Request(GoogleUsernames.JsonKeyBase64, _account.Json),
            GoogleCredentialError.InvalidKey,
            [.. _account.SecretFragments]);
        Assert.That(error.Message, Does.Contain("not valid base64").And.Contain("_json_key"));
    }

    [Test]
    public async Task Json_user_with_a_base64_password_is_refused_with_a_hint()
    {
        using var host = GoogleHosts.Create();
        var error = await RefusedAsync(
            host,
            Request(GoogleUsernames.JsonKey, _account.Base64),
            GoogleCredentialError.InvalidKey,
            [.. _account.SecretFragments]);
        Assert.That(error.Message, Does.Contain("_json_key_base64"));
    }

    [Test]
    public async Task Base64_of_something_else_is_refused()
    {
        using var host = GoogleHosts.Create();
        var secret = TestHost.NewSecret();
        var error = await RefusedAsync(
            host,
            Request(GoogleUsernames.JsonKeyBase64, Convert.ToBase64String(Encoding.UTF8.GetBytes(secret))),
            GoogleCredentialError.InvalidKey,
            secret);
        Assert.That(error.Message, Does.Contain("base64-encoded").And.Contain("not valid JSON"));
    }

    [Test]
    public async Task Oversized_password_is_refused()
    {
        // The manager's limit for every password, token or key file (RegistryEntryLimits.MaxPasswordBytes, issue 12 §4)
        // refuses it before the Google provider reads it.
        using var host = GoogleHosts.Create();
        var before = await host.SnapshotAsync();
        var exception = await GoogleHosts.CatchAsync(() => host.Manager.AddAsync(Request(GoogleUsernames.JsonKey, new string(' ', 70_000) + _account.Json)));
        var after = await host.SnapshotAsync();
        Assert.Multiple(() =>
        {
            Assert.That(exception, Is.InstanceOf<RegistryFieldException>());
            Assert.That(((RegistryFieldException)exception!).Field, Is.EqualTo("Password"));
            Assert.That(exception!.Message, Does.Contain("64 KiB"));
            Assert.That(host.Validator.Invocations, Is.Empty, "refused before validation");
            Assert.That(after, Is.EqualTo(before));
        });
    }

    [TestCase("ci-user")]
    [TestCase("_JSON_KEY")]
    [TestCase("_token")]
    public async Task Other_user_names_are_refused_naming_the_accepted_ones(string username)
    {
        using var host = GoogleHosts.Create();
        var error = await RefusedAsync(host, Request(username, _account.Json), GoogleCredentialError.UnsupportedUsername, [.. _account.SecretFragments]);
        Assert.That(
            error.Message,
            Does.Contain("_json_key").And.Contain("_json_key_base64").And.Contain("oauth2accesstoken").And.Contain("_dcgcr_auto").And.Contain("docker_v2"));
    }

    [Test]
    public async Task A_google_host_with_type_docker_v2_takes_any_user_name()
    {
        using var host = GoogleHosts.Create();
        var entry = await host.Manager.AddAsync(
            new RegistryAddRequest { Scope = "gcr.io/acme/*", Username = "ci-user", Password = TestHost.NewSecret(), Type = RegistryType.DockerV2 });
        Assert.That(entry.Type, Is.EqualTo(RegistryType.DockerV2));
    }

    [Test]
    public async Task Update_to_a_bad_key_is_refused_and_keeps_the_old_one()
    {
        using var host = GoogleHosts.Create();
        await host.Manager.AddAsync(Request(GoogleUsernames.JsonKey, _account.Json, "gcr.io"));
        var before = await host.SnapshotAsync();
        var exception = await GoogleHosts.CatchAsync(() => host.Manager.UpdateAsync(new RegistryUpdateRequest { Scope = "gcr.io", Password = "{}" }));
        Assert.That(
            exception,
            Is.InstanceOf<GoogleCredentialException>().With.Property(nameof(GoogleCredentialException.Kind)).EqualTo(GoogleCredentialError.InvalidKey));
        Assert.That(await host.SnapshotAsync(), Is.EqualTo(before));
    }

    [Test]
    public async Task Exchange_mode_refuses_a_key_whose_token_uri_is_plain_http_to_another_host()
    {
        using var host = GoogleHosts.Create(o => o.ExchangeForAccessToken = true);
        using var remote = TestServiceAccount.Create(new Uri("http://oauth2.example.com/token"));
        var error = await RefusedAsync(host, Request(GoogleUsernames.JsonKey, remote.Json), GoogleCredentialError.InvalidKey, [.. remote.SecretFragments]);
        Assert.That(error.Message, Does.Contain("must use https").And.Contain("http://oauth2.example.com/token"));
    }

    [Test]
    public async Task Pass_through_mode_does_not_care_about_token_uri()
    {
        using var host = GoogleHosts.Create();
        using var remote = TestServiceAccount.Create(new Uri("http://oauth2.example.com/token"));
        await host.Manager.AddAsync(Request(GoogleUsernames.JsonKey, remote.Json));
        Assert.That(await host.Manager.ListAsync(), Has.Count.EqualTo(1));
    }
}
