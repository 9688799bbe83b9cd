
namespace RegistryCredentials.Cli.Tests.Support;

/// <summary>A provider for the test type <c>test_expiring</c>: user name and password that expire in two hours.</summary>
public sealed class ExpiringCredentialProvider : RegistryCredentialProvider
{
    public static readonly RegistryType ExpiringType = RegistryType.Parse("test_expiring");

    public override RegistryType Type => ExpiringType;

    public override ValueTask<RegistryCredential> GetCredentialAsync(RegistryEntry entry, RegistrySecret secret, CancellationToken cancellationToken = default)
    {
        var now = TimeProvider.System.GetUtcNow();
        return ValueTask.FromResult(RegistryCredential.FromUsernamePassword(entry.Username, secret, now.AddHours(2), now.AddHours(1)));
    }
}
