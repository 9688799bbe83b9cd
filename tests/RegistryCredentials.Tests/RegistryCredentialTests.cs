using System.Text;
using System.Text.Json;

namespace RegistryCredentials.Tests;

public class RegistryCredentialTests
{
    [Test]
    public void Username_password_gives_basic_authorization()
    {
        var credential = RegistryCredential.FromUsernamePassword("ci", "pä ss");
        var header = credential.GetAuthorizationHeaderValue();
        Assert.That(header, Is.EqualTo("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("ci:pä ss"))));
    }

    [Test]
    public void Registry_token_gives_bearer_and_identity_token_gives_none()
    {
        Assert.That(RegistryCredential.FromRegistryToken("tok").GetAuthorizationHeaderValue(), Is.EqualTo("Bearer tok"));
        Assert.That(RegistryCredential.FromIdentityToken("refresh").GetAuthorizationHeaderValue(), Is.Null);
    }

    [Test]
    public void X_registry_auth_is_padded_base64url_json_as_docker_expects()
    {
        var credential = RegistryCredential.FromUsernamePassword("ci", "p>?~/+");
        var header = credential.GetRegistryAuthHeaderValue("reg.example.com:5000");

        Assert.That(header, Does.Not.Contain("+").And.Not.Contain("/"));
        var json = Encoding.UTF8.GetString(Convert.FromBase64String(header.Replace('-', '+').Replace('_', '/')));
        using var document = JsonDocument.Parse(json);
        Assert.That(document.RootElement.GetProperty("username").GetString(), Is.EqualTo("ci"));
        Assert.That(document.RootElement.GetProperty("password").GetString(), Is.EqualTo("p>?~/+"));
        Assert.That(document.RootElement.GetProperty("serveraddress").GetString(), Is.EqualTo("reg.example.com:5000"));
    }

    [TestCase(RegistryCredentialKind.IdentityToken, "identitytoken")]
    [TestCase(RegistryCredentialKind.RegistryToken, "registrytoken")]
    public void X_registry_auth_carries_tokens(RegistryCredentialKind kind, string property)
    {
        var credential = kind == RegistryCredentialKind.IdentityToken
            ? RegistryCredential.FromIdentityToken("t0k")
            : RegistryCredential.FromRegistryToken("t0k");
        var json = Encoding.UTF8.GetString(Convert.FromBase64String(credential.GetRegistryAuthHeaderValue().Replace('-', '+').Replace('_', '/')));
        using var document = JsonDocument.Parse(json);
        Assert.That(document.RootElement.GetProperty(property).GetString(), Is.EqualTo("t0k"));
        Assert.That(document.RootElement.TryGetProperty("serveraddress", out _), Is.False);
    }

    [Test]
    public void Lifetimes_are_kept_and_checked()
    {
        var expires = new DateTimeOffset(2026, 11, 25, 20, 0, 0, TimeSpan.Zero);
        var credential = RegistryCredential.FromRegistryToken("t", expires, expires.AddHours(-6));
        Assert.That(credential.ExpiresOn, Is.EqualTo(expires));
        Assert.That(credential.RefreshOn, Is.EqualTo(expires.AddHours(-6)));
        Assert.That(credential.ToString(), Does.Contain("2026-11-25T20:00:00").And.Not.Contain("\"t\""));
        Assert.Throws<ArgumentException>(() => RegistryCredential.FromRegistryToken("t", expires, expires.AddSeconds(1)));
    }

    [TestCase("")]
    [TestCase("a:b")]
    public void Bad_username_is_refused(string username) =>
        Assert.Throws<ArgumentException>(() => RegistryCredential.FromUsernamePassword(username, "pw"));
}
