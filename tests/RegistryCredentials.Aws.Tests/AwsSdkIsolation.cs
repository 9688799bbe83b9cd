using System.Net;
using System.Net.Sockets;
using RegistryCredentials.Aws.Tests.Support;

namespace RegistryCredentials.Aws.Tests;

/// <summary>
/// For the whole test assembly: the AWS SDK must never reach a real AWS address, and nothing on this machine (environment
/// variables, a <c>~/.aws</c> profile) may change what the tests see. The default credential chain's last resort, EC2
/// instance metadata, is pointed at a closed loopback port instead of 169.254.169.254; credentials, profiles, web
/// identity and container credentials from the environment are hidden. Everything is put back afterwards.
/// </summary>
[SetUpFixture]
public sealed class AwsSdkIsolation
{
    private EnvironmentOverride? _environment;

    /// <summary>A loopback address where nothing listens.</summary>
    public static string ClosedImdsEndpoint { get; } = "http://127.0.0.1:" + ClosedPort().ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The variables hidden or redirected for the whole run.</summary>
    public static IReadOnlyDictionary<string, string?> Isolated { get; } = new Dictionary<string, string?>
    {
        ["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = ClosedImdsEndpoint,
        ["AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE"] = null,
        ["AWS_EC2_METADATA_DISABLED"] = null,
        ["AWS_ACCESS_KEY_ID"] = null,
        ["AWS_SECRET_ACCESS_KEY"] = null,
        ["AWS_SESSION_TOKEN"] = null,
        ["AWS_PROFILE"] = null,
        ["AWS_DEFAULT_PROFILE"] = null,
        ["AWS_ROLE_ARN"] = null,
        ["AWS_WEB_IDENTITY_TOKEN_FILE"] = null,
        ["AWS_ROLE_SESSION_NAME"] = null,
        ["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"] = null,
        ["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = null,
        ["AWS_CONTAINER_AUTHORIZATION_TOKEN"] = null,
        ["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"] = null,
        ["AWS_REGION"] = null,
        ["AWS_DEFAULT_REGION"] = null,
        ["AWS_STS_REGIONAL_ENDPOINTS"] = null,
        ["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"] = null,
        ["AWS_ENDPOINT_URL"] = null,
        ["AWS_ENDPOINT_URL_STS"] = null,
        ["AWS_ENDPOINT_URL_ECR"] = null,
        ["AWS_SHARED_CREDENTIALS_FILE"] = Path.Combine(Path.GetTempPath(), "rc-aws-tests-no-credentials-" + Guid.NewGuid().ToString("N")),
        ["AWS_CONFIG_FILE"] = Path.Combine(Path.GetTempPath(), "rc-aws-tests-no-config-" + Guid.NewGuid().ToString("N")),
    };

    [OneTimeSetUp]
    public void Isolate()
    {
        // The shared credentials file exists, empty: the SDK remembers a missing file for the life of the process, while
        // it reads an existing one again when it changes (the default-chain order test writes a profile there).
        File.WriteAllText(Isolated["AWS_SHARED_CREDENTIALS_FILE"]!, string.Empty);
        _environment = new EnvironmentOverride(Isolated);
    }

    [OneTimeTearDown]
    public void Restore()
    {
        _environment?.Dispose();
        File.Delete(Isolated["AWS_SHARED_CREDENTIALS_FILE"]!);
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
