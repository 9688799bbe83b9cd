using Microsoft.Extensions.Options;
using RegistryCredentials.Cli.Tests.Support;

namespace RegistryCredentials.Cli.Tests;

/// <summary>
/// One key per store, as a user meets it (issue 12, section 4): a store written with key file A and then used with key
/// file B refuses B's writes and reads with a one-line error naming both keys, and A still reads every entry.
/// </summary>
[TestFixture]
public sealed class StoreKeyCommandTests
{
    private Sandbox _sandbox = null!;

    [SetUp]
    public void SetUp() => _sandbox = new Sandbox();

    [TearDown]
    public void TearDown() => _sandbox.Dispose();

    private static string KeyIdOf(string keyFile) =>
        new AesGcmSecretProtector(Options.Create(new SecretProtectionOptions
        {
            KeyFile = keyFile,
            KeyEnvironmentVariable = null,
            CreateKeyFile = false,
        })).CurrentKeyId;

    private async Task<string> PasswordOfAsync(string image, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var run = await _sandbox.RunAsync(["resolve", image, "-o", "docker-auth"], null, environment);
        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        return Json.DecodeRegistryAuth(run.Stdout).Text("password")!;
    }

    [Test]
    public async Task Update_with_another_key_file_is_refused_naming_both_keys_and_changes_nothing()
    {
        var passwordX = "pw-" + Guid.NewGuid().ToString("N");
        var passwordY = "pw-" + Guid.NewGuid().ToString("N");
        foreach (var (scope, password) in new[] { ("x.example.com", passwordX), ("y.example.com", passwordY) })
        {
            var added = await _sandbox.RunWithPasswordAsync(password, "registry", "add", scope, "--username", "ci", "--validate=false");
            Assert.That(added.ExitCode, Is.Zero, added.ToString());
        }

        var listBefore = (await _sandbox.RunOkAsync("registry", "list", "-o", "json")).Stdout;
        var otherKeyFile = Path.Combine(_sandbox.Root, "other.key");
        await File.WriteAllTextAsync(otherKeyFile, AesGcmSecretProtector.GenerateKey());
        var keyA = KeyIdOf(_sandbox.KeyFile);
        var keyB = KeyIdOf(otherKeyFile);
        var withB = new Dictionary<string, string?> { ["REGCRED_KEY_FILE"] = otherKeyFile };
        var newPassword = "pw-" + Guid.NewGuid().ToString("N");

        var update = await _sandbox.RunAsync(["registry", "update", "x.example.com", "--validate=false"], null,
            new Dictionary<string, string?>(withB) { ["REGCRED_REGISTRY_PASSWORD"] = newPassword });
        var add = await _sandbox.RunAsync(["registry", "add", "z.example.com", "--username", "ci", "--validate=false"], null,
            new Dictionary<string, string?>(withB) { ["REGCRED_REGISTRY_PASSWORD"] = newPassword });
        var resolve = await _sandbox.RunAsync(["resolve", "y.example.com/app", "-o", "docker-auth"], null, withB);
        var helper = await _sandbox.RunAsync(["helper", "get"], "y.example.com", withB);

        Assert.Multiple(() =>
        {
            RegistryCommandTests.AssertError(update, 1, keyA);
            Assert.That(update.Stderr, Does.Contain(keyB).And.Contain("does not know"));
            RegistryCommandTests.AssertError(add, 1, keyA);
            RegistryCommandTests.AssertError(resolve, 1, keyA);
            Assert.That(resolve.Stderr, Does.Contain(keyB), "the read error names this process's key too");
            Assert.That(helper.ExitCode, Is.Not.Zero, helper.ToString());
            Assert.That(helper.Stdout, Does.Not.Contain(passwordY));
        });

        // Nothing changed: the same entries at the same versions, and key A reads both passwords as they were.
        Assert.That((await _sandbox.RunOkAsync("registry", "list", "-o", "json")).Stdout, Is.EqualTo(listBefore));
        Assert.That(await PasswordOfAsync("x.example.com/app"), Is.EqualTo(passwordX));
        Assert.That(await PasswordOfAsync("y.example.com/app"), Is.EqualTo(passwordY));
        _sandbox.AssertNeverPrinted(newPassword);
        _sandbox.AssertNeverPrinted(passwordX);
    }
}
