using RegistryCredentials.Tests.Support;

namespace RegistryCredentials.Tests;

/// <summary>The default protector, as registered by <c>AddRegistryCredentials()</c>.</summary>
public class SecretProtectorTests
{
    private static readonly RegistryScope ScopeA = RegistryScope.Parse("a.example.com");
    private static readonly RegistryScope ScopeB = RegistryScope.Parse("b.example.com");

    [Test]
    public async Task Round_trips_and_never_stores_the_secret_in_clear()
    {
        using var host = new TestHost();
        var protector = (ISecretProtector)host.Services.GetService(typeof(ISecretProtector))!;
        var secret = TestHost.NewSecret();

        var protectedBytes = await protector.ProtectAsync(secret, "acct", ScopeA);
        var again = await protector.ProtectAsync(secret, "acct", ScopeA);

        Assert.That(System.Text.Encoding.UTF8.GetString(protectedBytes), Does.Not.Contain(secret));
        Assert.That(again, Is.Not.EqualTo(protectedBytes), "a fresh nonce every time");
        Assert.That((await protector.UnprotectAsync(protectedBytes, "acct", ScopeA)).Reveal(), Is.EqualTo(secret));
    }

    [Test]
    public async Task Ciphertext_is_bound_to_its_entry_and_tampering_is_detected()
    {
        using var host = new TestHost();
        var protector = (ISecretProtector)host.Services.GetService(typeof(ISecretProtector))!;
        var protectedBytes = await protector.ProtectAsync(TestHost.NewSecret(), "acct", ScopeA);

        // Typed, like the durable protector (issue 12): never a raw AuthenticationTagMismatchException.
        Assert.ThrowsAsync<RegistrySecretKeyException>(async () => await protector.UnprotectAsync(protectedBytes, "acct", ScopeB));
        Assert.ThrowsAsync<RegistrySecretKeyException>(async () => await protector.UnprotectAsync(protectedBytes, "other", ScopeA));
        var tampered = (byte[])protectedBytes.Clone();
        tampered[^1] ^= 1;
        Assert.ThrowsAsync<RegistrySecretKeyException>(async () => await protector.UnprotectAsync(tampered, "acct", ScopeA));
        Assert.ThrowsAsync<RegistrySecretKeyException>(async () => await protector.UnprotectAsync(new byte[] { 9, 9 }, "acct", ScopeA));
    }

    [Test]
    public async Task Is_safe_for_concurrent_use()
    {
        using var host = new TestHost();
        var protector = (ISecretProtector)host.Services.GetService(typeof(ISecretProtector))!;
        var workers = Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < 200; i++)
            {
                var secret = $"s-{w}-{i}";
                var bytes = await protector.ProtectAsync(secret, "acct", ScopeA);
                Assert.That((await protector.UnprotectAsync(bytes, "acct", ScopeA)).Reveal(), Is.EqualTo(secret));
            }
        }));
        await Task.WhenAll(workers);
    }
}
