using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Http;
using RegistryCredentials.Tests.Support;
using RegistryCredentials.Tests.Support.Registry;
using RegistryCredentials.Cli.Cli;
using RegistryCredentials.Cli.Tests.Support;

namespace RegistryCredentials.Cli.Tests;

/// <summary>
/// The one failure model on the command line (issue 13): the exit code of every failure is the one
/// <see cref="RegistryErrorCatalog"/> gives its reason, the table the HTTP API reads too. Every reason that a real run
/// can meet is run for real in the sandbox; the reporter is checked for all of them.
/// </summary>
[TestFixture]
public sealed class FailureModelTests
{
    private const string EcrHost = "123456789012.dkr.ecr.us-east-1.amazonaws.com";

    private Sandbox _sandbox = null!;

    [SetUp]
    public void SetUp() => _sandbox = new Sandbox();

    [TearDown]
    public void TearDown() => _sandbox.Dispose();

    private static IEnumerable<RegistryErrorReason> Reasons => Enum.GetValues<RegistryErrorReason>();

    [Test]
    public void The_documented_exit_codes_are_the_values_of_the_table()
    {
        Assert.Multiple(() =>
        {
            Assert.That(ExitCodes.Usage, Is.EqualTo(1));
            Assert.That(ExitCodes.NotFound, Is.EqualTo(2));
            Assert.That(ExitCodes.Conflict, Is.EqualTo(3));
            Assert.That(ExitCodes.ValidationFailed, Is.EqualTo(4));
            Assert.That(ExitCodes.Denied, Is.EqualTo(5));
            Assert.That(RegistryErrorCatalog.All.Select(m => m.ExitCode), Is.All.AnyOf(1, 2, 3, 4, 5));
        });
    }

    [TestCaseSource(nameof(Reasons))]
    public void Every_reason_is_reported_with_the_exit_code_of_the_table_in_one_line(RegistryErrorReason reason)
    {
        var expected = RegistryErrorCatalog.For(reason).ExitCode;
        var library = new RegistryCredentialsException(reason, "It failed\nover two lines.", null);
        using var error = new StringWriter();
        var terminal = new Terminal(TextReader.Null, TextWriter.Null, error, false, false, _ => null);

        var code = ErrorReporter.Report(terminal, library);

        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo(expected));
            Assert.That(ErrorReporter.ExitCodeFor(new AggregateException(library)), Is.EqualTo(expected));
            Assert.That(new RegcredException(reason, "the tool's own").ExitCode, Is.EqualTo(expected));
            Assert.That(error.ToString().TrimEnd('\n'), Does.Not.Contain('\n').And.Contain("over two lines"));
        });
    }

    [Test]
    public void Bad_arguments_are_usage_errors_cancellation_is_130_and_anything_else_is_1()
    {
        Assert.Multiple(() =>
        {
            Assert.That(ErrorReporter.ExitCodeFor(new ArgumentException("bad", "x")), Is.EqualTo(ExitCodes.Usage));
            Assert.That(ErrorReporter.ExitCodeFor(new FormatException("bad")), Is.EqualTo(ExitCodes.Usage));
            Assert.That(ErrorReporter.ExitCodeFor(new OperationCanceledException()), Is.EqualTo(ExitCodes.Cancelled));
            Assert.That(ErrorReporter.ExitCodeFor(new IOException("disk")), Is.EqualTo(RegistryErrorCatalog.For(RegistryErrorReason.Unspecified).ExitCode));
        });
    }

    // Issue 13: a provider refusing an entry (CheckEntryAsync) exits with the usage code, for each of the three providers,
    // and stores nothing; the message names what is wrong and never the secret.
    [TestCase(EcrHost, "_iam_role", "not-a-role-arn", "_iam_role", TestName = "Ecr_refuses_a_malformed_iam_role_password_with_the_usage_code")]
    [TestCase("gcr.io", "_json_key", "{\"type\": \"service_account\", \"private_key\": ",
        "service-account key", TestName = "Google_refuses_a_malformed_key_with_the_usage_code")]
    [TestCase("myregistry.azurecr.io", "default", "unused-password", "AllowDefaultCredential",
        TestName = "Azure_refuses_DefaultAzureCredential_with_the_usage_code")]
    public async Task A_provider_refusing_an_entry_exits_with_the_usage_code(string registry, string user, string password, string fragment)
    {
        Assert.That((await AddAsync(_sandbox, "kept.example.com", "ci")).ExitCode, Is.Zero);
        var before = (await _sandbox.RunOkAsync("registry", "list", "-o", "json")).Stdout;

        var run = await _sandbox.RunWithPasswordAsync(password, "registry", "add", registry, "--username", user);

        RegistryCommandTests.AssertError(run, ExitCodes.Usage, fragment);
        Assert.That((await _sandbox.RunOkAsync("registry", "list", "-o", "json")).Stdout, Is.EqualTo(before), "nothing was stored");
        _sandbox.AssertNeverPrinted(password);
    }

    /// <summary>
    /// Each reason a real run meets, with what provokes it. Not here, because no run of the tool can provoke them
    /// without a fault injected into it: <see cref="RegistryErrorReason.Concurrency"/> (the tool names no expected version),
    /// <see cref="RegistryErrorReason.Timeout"/> (the validation timeout is the library's 10 s, not a setting),
    /// <see cref="RegistryErrorReason.Throttled"/> (only the cloud APIs throttle, and the tool cannot be pointed at a fake one)
    /// and <see cref="RegistryErrorReason.Unspecified"/>. The reporter test above covers them.
    /// </summary>
    private static IEnumerable<TestCaseData> Runs()
    {
        yield return Case(RegistryErrorReason.InvalidArgument, "drop the scheme", s => AddAsync(s, "https://reg.example.com/", "ci"));
        yield return Case(RegistryErrorReason.InvalidEntry, "_iam_role", s => AddWithPasswordAsync(s, EcrHost, "_iam_role", "arn:aws:iam::1:nope"));
        yield return Case(RegistryErrorReason.NotAllowed, "awsauto", s => AddWithPasswordAsync(s, EcrHost, "awsauto", "awsauto"));
        yield return Case(RegistryErrorReason.TypeNotSupported, "No credential provider", s => AddAsync(s, "reg.example.com", "ci", "--type", "test_nothing"));
        yield return Case(RegistryErrorReason.NotFound, "does not exist", s => s.RunAsync("registry", "get", "nowhere.example.com"));
        yield return Case(RegistryErrorReason.Conflict, "already exists", s => AddAsync(s, "kept.example.com", "other"));
        yield return Case(RegistryErrorReason.Unauthorized, "Unauthorized", s => ValidateAgainstAsync(s, context =>
        {
            // A registry that refuses every credential: 401 with a Basic challenge (distribution's htpasswd mode).
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            context.Response.Headers.WWWAuthenticate = "Basic realm=\"Registry Realm\"";
            context.Response.Headers["Docker-Distribution-API-Version"] = "registry/2.0";
            return Task.CompletedTask;
        }));
        yield return Case(RegistryErrorReason.NotARegistry, "NotARegistry", s => ValidateAgainstAsync(s, context =>
        {
            // A web server that is not a registry: /v2/ is 404.
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        }));
        yield return Case(RegistryErrorReason.ProtocolError, "ProtocolError", s => ValidateAgainstAsync(s, context =>
        {
            // 401 without a WWW-Authenticate challenge, which RFC 9110 §15.5.2 requires.
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return Task.CompletedTask;
        }));
        yield return Case(RegistryErrorReason.TlsFailure, "TlsFailure", s => ValidateAgainstAsync(s, _ => Task.CompletedTask, trustCa: false));
        yield return Case(RegistryErrorReason.Unreachable, "Unreachable", s => AddAsync(s, "127.0.0.1:" + ClosedPort(), "ci", "--validate=true"));
        yield return Case(RegistryErrorReason.PullDenied, "deactivated", async s =>
        {
            Assert.That((await s.RunAsync("registry", "deactivate", "kept.example.com")).ExitCode, Is.Zero);
            return await s.RunAsync("resolve", "kept.example.com/app:1");
        }, storesNothing: false);
        yield return Case(RegistryErrorReason.StoreUnavailable, "folder", s =>
        {
            var folder = Directory.CreateDirectory(Path.Combine(s.Root, "store-folder")).FullName;
            return s.RunAsync(
                ["registry", "add", "reg.example.com", "--username", "ci", "--validate=false"],
                null,
                new Dictionary<string, string?> { ["REGCRED_STORE"] = folder, ["REGCRED_REGISTRY_PASSWORD"] = "pw-" + Guid.NewGuid().ToString("N") });
        });
        yield return Case(RegistryErrorReason.StoreIncompatible, "not a SQLite database", async s =>
        {
            var other = Path.Combine(s.Root, "not-a-store.db");
            await File.WriteAllTextAsync(other, "not a database");
            var run = await s.RunAsync(["registry", "list"], null, new Dictionary<string, string?> { ["REGCRED_STORE"] = other });
            Assert.That(await File.ReadAllTextAsync(other), Is.EqualTo("not a database"), "the file is left as it was");
            return run;
        });
        yield return Case(RegistryErrorReason.SecretKey, "does not know", async s =>
        {
            var otherKey = Path.Combine(s.Root, "other.key");
            await File.WriteAllTextAsync(otherKey, AesGcmSecretProtector.GenerateKey());
            return await s.RunAsync(
                ["registry", "add", "quay.io", "--username", "ci", "--validate=false"],
                null,
                new Dictionary<string, string?> { ["REGCRED_KEY_FILE"] = otherKey, ["REGCRED_REGISTRY_PASSWORD"] = "pw-" + Guid.NewGuid().ToString("N") });
        });
        yield return Case(RegistryErrorReason.Misconfigured, "invalid settings", async s =>
        {
            var settings = Path.Combine(s.Root, "bad-settings.json");
            await File.WriteAllTextAsync(settings, "{\"defaultRegistry\": \"https://reg.example.com\"}");
            return await s.RunAsync(["registry", "list"], null, new Dictionary<string, string?> { ["REGCRED_SETTINGS"] = settings });
        });
    }

    [TestCaseSource(nameof(Runs))]
    public async Task A_real_failure_exits_with_the_code_of_its_reason(
        RegistryErrorReason reason,
        string fragment,
        Func<Sandbox, Task<ToolRun>> provoke,
        bool storesNothing)
    {
        // A store with one entry, so that the run's only error is the one provoked.
        Assert.That((await AddAsync(_sandbox, "kept.example.com", "ci")).ExitCode, Is.Zero);
        var before = (await _sandbox.RunOkAsync("registry", "list", "-o", "json")).Stdout;

        var run = await provoke(_sandbox);

        RegistryCommandTests.AssertError(run, RegistryErrorCatalog.For(reason).ExitCode, fragment);
        if (storesNothing)
        {
            Assert.That((await _sandbox.RunOkAsync("registry", "list", "-o", "json")).Stdout, Is.EqualTo(before), "nothing stored changed");
        }
    }

    private static TestCaseData Case(RegistryErrorReason reason, string fragment, Func<Sandbox, Task<ToolRun>> provoke, bool storesNothing = true) =>
        new TestCaseData(reason, fragment, provoke, storesNothing).SetArgDisplayNames(reason.ToString());

    /// <summary><c>registry add</c> with a fresh password, without validation unless <paramref name="more"/> asks for it.</summary>
    private static Task<ToolRun> AddAsync(Sandbox sandbox, string registry, string user, params string[] more) =>
        sandbox.RunWithPasswordAsync(
            "pw-" + Guid.NewGuid().ToString("N"),
            [
                "registry",
                "add",
                registry,
                "--username",
                user,
                .. more,
                .. more.Any(m => m.StartsWith("--validate", StringComparison.Ordinal)) ? Array.Empty<string>() : ["--validate=false"]]);

    private static Task<ToolRun> AddWithPasswordAsync(Sandbox sandbox, string registry, string user, string password) =>
        sandbox.RunWithPasswordAsync(password, "registry", "add", registry, "--username", user, "--validate=false");

    /// <summary>Adds an entry for a loopback HTTPS server that answers <c>/v2/</c> with <paramref name="answer"/>, validating it.</summary>
    private static async Task<ToolRun> ValidateAgainstAsync(Sandbox sandbox, Func<HttpContext, Task> answer, bool trustCa = true)
    {
        await using var server = await LoopbackHttpServer.StartAsync(answer, TestCertificates.Shared.Server.Certificate);
        string[] ca = trustCa ? ["--ca-file", TestCertificates.Shared.CaPath] : [];
        return await sandbox.RunWithPasswordAsync("pw-" + Guid.NewGuid().ToString("N"), ["registry", "add", server.Authority, "--username", "ci", .. ca]);
    }

    /// <summary>A loopback port nothing listens on (bound, then released).</summary>
    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
