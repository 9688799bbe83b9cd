using Moq;
using RegistryCredentials.Google.Tests.Support;
using RegistryCredentials.Tests.Support;

namespace RegistryCredentials.Google.Tests;

/// <summary>
/// Application Default Credentials (user name <c>_dcgcr_auto</c>): refused unless <see cref="GoogleOptions.AllowApplicationDefault"/>;
/// when allowed, pointed at a test key file with <c>GOOGLE_APPLICATION_CREDENTIALS</c> (restored afterwards), so nothing
/// but the local OAuth endpoint is ever asked.
/// </summary>
[NonParallelizable]
public class GoogleApplicationDefaultTests
{
    private const string EnvironmentVariable = "GOOGLE_APPLICATION_CREDENTIALS";
    private const string Scope = "europe-docker.pkg.dev/acme/*";

    private static RegistryAddRequest Request(bool validate = true) =>
        new() { Scope = Scope, Username = GoogleUsernames.ApplicationDefault, Password = "-", Validate = validate };

    [Test]
    public async Task Refused_on_add_unless_allowed()
    {
        using var host = GoogleHosts.Create();
        var before = await host.SnapshotAsync();
        var exception = await GoogleHosts.CatchAsync(() => host.Manager.AddAsync(Request()));

        Assert.That(
            exception,
            Is.InstanceOf<GoogleCredentialException>().With.Property(
                nameof(GoogleCredentialException.Kind)).EqualTo(GoogleCredentialError.ApplicationDefaultNotAllowed));
        Assert.That(exception!.Message, Does.Contain("AllowApplicationDefault").And.Contain(Scope));
        Assert.That(await host.SnapshotAsync(), Is.EqualTo(before));
        Assert.That(host.Validator.Invocations, Is.Empty);
    }

    [Test]
    public async Task Refused_on_resolve_once_no_longer_allowed()
    {
        GoogleOptions options = null!;
        using var host = GoogleHosts.Create(o =>
        {
            o.AllowApplicationDefault = true;
            options = o;
        });
        await host.Manager.AddAsync(Request(validate: false));
        options.AllowApplicationDefault = false; // as after a configuration change

        var exception = await GoogleHosts.CatchAsync(async () => await host.Resolver.ResolveAsync(Scope[..^2] + "/app:1"));
        Assert.That(
            exception,
            Is.InstanceOf<GoogleCredentialException>()
                .With.Property(nameof(GoogleCredentialException.Kind)).EqualTo(GoogleCredentialError.ApplicationDefaultNotAllowed));
    }

    [Test]
    public async Task Allowed_it_exchanges_the_machine_credentials_found_through_GOOGLE_APPLICATION_CREDENTIALS()
    {
        await using var oauth = await FakeGoogleOAuthServer.StartAsync();
        using var account = TestServiceAccount.Create(oauth.TokenUri);
        oauth.Trust(account);
        oauth.Clock = () => DateTimeOffset.UtcNow; // Google.Apis.Auth's own clock signs ADC assertions
        var saved = Environment.GetEnvironmentVariable(EnvironmentVariable);
        try
        {
            Environment.SetEnvironmentVariable(EnvironmentVariable, account.WriteFile());
            using var host = GoogleHosts.Create(o => o.AllowApplicationDefault = true);

            await host.Manager.AddAsync(Request());
            host.Validator.Verify(v => v.ValidateAsync(
                It.IsAny<RegistryEntry>(),
                It.Is<RegistryCredential>(c => c.Username == "oauth2accesstoken" && c.Secret.Reveal() == oauth.IssuedTokens[0]),
                It.IsAny<CancellationToken>()), Times.Once);

            var credential = (await host.Resolver.ResolveAsync(Scope[..^2] + "/app:1")).Credential!;
            Assert.Multiple(() =>
            {
                Assert.That(credential.Username, Is.EqualTo("oauth2accesstoken"));
                Assert.That(credential.Secret.Reveal(), Is.EqualTo(oauth.IssuedTokens[0]), "cached from the validation on add");
                Assert.That(credential.ExpiresOn, Is.EqualTo(TestHost.Start + TimeSpan.FromSeconds(3590)), "lifetimes are on the library's clock");
                Assert.That(oauth.RequestCount, Is.EqualTo(1));
                Assert.That(oauth.Rejections, Is.Empty);
                Assert.That(oauth.AcceptedClaims.Single().GetProperty("iss").GetString(), Is.EqualTo(account.ClientEmail));
                Assert.That(oauth.AcceptedClaims.Single().GetProperty("scope").GetString(), Is.EqualTo(GoogleOptions.DefaultScope));
            });
        }
        finally
        {
            Environment.SetEnvironmentVariable(EnvironmentVariable, saved);
        }

        Assert.That(Environment.GetEnvironmentVariable(EnvironmentVariable), Is.EqualTo(saved));
    }
}
