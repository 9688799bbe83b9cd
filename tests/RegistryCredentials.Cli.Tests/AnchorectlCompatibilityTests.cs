using System.Text.Json;
using RegistryCredentials.Cli.Tests.Support;
using RegistryCredentials.Tests.Support;
using RegistryCredentials.Tests.Support.Registry;

namespace RegistryCredentials.Cli.Tests;

/// <summary>
/// Issue 14, section 4: regcred as anchorectl users type it. The commands below are copied verbatim from Anchore's
/// documentation (the project's reference copies: "Anchore Enterprise: Container Registries" and "Container Registries
/// via the API", Managing Registries), run through /bin/sh with <c>regcred</c> for <c>anchorectl</c>; only the
/// placeholders are filled in, and the hosts they name (registry.example.com, docker.io) are the real distribution
/// registry fixture, since validation needs a registry to answer (and the tests reach loopback only). The ECR, GCR and
/// ACR examples name cloud hosts and are not run, except the ACR form that passes the password as an argument.
/// </summary>
[TestFixture]
public sealed class AnchorectlCompatibilityTests
{
    private const string List = "anchorectl registry list";
    private const string Add = "ANCHORECTL_REGISTRY_PASSWORD=<password> anchorectl registry add <registry> --username <username>";
    private const string AddPath = "ANCHORECTL_REGISTRY_PASSWORD=<password> anchorectl registry add docker.io/anchore/* --username <username>";
    private const string Get = "anchorectl registry get <registry>";
    private const string GetExample = "anchorectl registry get registry.example.com";
    private const string Update = "ANCHORECTL_REGISTRY_PASSWORD=<newpassword> anchorectl registry update <registry> --username <newusername> "
        + "--validate=<true|false> --secure-connection=<true|false>";
    private const string Delete = "anchorectl registry delete <registry>";
    private const string DeleteExample = "anchorectl registry delete registry.example.com";

    // The Azure page's form, which passes the password as a trailing argument as well.
    private const string AddAzure = "ANCHORECTL_REGISTRY_PASSWORD=<password> anchorectl registry add <registry> --username <username> <Password>";

    // anchorectl's columns as the documentation shows them (its "LAST UPATED" spelled right), then regcred's ACTIVE.
    private static readonly string[] AnchorectlColumns =
        ["REGISTRY NAME", "REGISTRY TYPE", "REGISTRY USER", "REGISTRY VERIFY", "CREATED AT", "LAST UPDATED", "REGISTRY", "ACTIVE"];

    private Sandbox _sandbox = null!;

    [SetUp]
    public void SetUp() => _sandbox = new Sandbox();

    [TearDown]
    public void TearDown() => _sandbox.Dispose();

    [Test]
    public async Task The_documented_anchorectl_commands_work_verbatim_against_a_real_registry()
    {
        var registry = await SharedRegistry.GetAsync();
        // The fixture's CA is trusted the way an operator trusts a private CA (OpenSSL's SSL_CERT_FILE), so that the
        // default --secure-connection=true validates too.
        _sandbox.Environment["SSL_CERT_FILE"] = SharedRegistry.WriteCa(registry, Path.Combine(_sandbox.Root, "ca"));
        _sandbox.WriteScript("regcred", "exec \"$DOTNET\" \"$TOOL\" \"$@\"\n");

        // (The documentation lists first; regcred's list before any add says there is no store yet, so it runs below.)
        var add = await RunAsync(Add, registry);
        Assert.That(add.ExitCode, Is.Zero, add.ToString());
        AssertTable(add, registry.Registry);

        var addPath = await RunAsync(AddPath, registry);
        Assert.That(addPath.ExitCode, Is.Zero, addPath.ToString());
        Assert.That(addPath.Stdout, Does.Contain(registry.Registry + "/anchore"));

        foreach (var command in new[] { Get, GetExample })
        {
            var get = await RunAsync(command, registry);
            Assert.That(get.ExitCode, Is.Zero, get.ToString());
            AssertTable(get, registry.Registry);
        }

        foreach (var (validate, secure) in new[] { ("true", "true"), ("false", "false"), ("true", "false") })
        {
            var update = await RunAsync(Update.Replace("--validate=<true|false>", "--validate=" + validate).Replace("<true|false>", secure), registry);
            Assert.That(update.ExitCode, Is.Zero, update.ToString());
            var entry = JsonDocument.Parse((await _sandbox.RunOkAsync("registry", "get", registry.Registry, "-o", "json")).Stdout).RootElement;
            Assert.That(entry.GetProperty("registry_verify").GetBoolean(), Is.EqualTo(secure == "true"));
        }

        var list = await RunAsync(List, registry);
        Assert.That(list.ExitCode, Is.Zero, list.ToString());
        AssertTable(list, registry.Registry);
        Assert.That(list.Stdout, Does.Contain(registry.Registry + "/anchore"));

        // The Azure page's trailing password argument is refused without echoing it, and stores nothing.
        var before = JsonDocument.Parse((await _sandbox.RunOkAsync("registry", "list", "-o", "json")).Stdout).RootElement.ToString();
        var azure = await RunAsync(AddAzure.Replace("<registry>", registry.Registry + "/azure"), registry);
        Assert.That(azure.ExitCode, Is.Not.Zero, azure.ToString());
        Assert.That(azure.Stderr, Does.Contain("Passwords are never taken from arguments"));
        Assert.That(JsonDocument.Parse((await _sandbox.RunOkAsync("registry", "list", "-o", "json")).Stdout).RootElement.ToString(), Is.EqualTo(before));

        foreach (var command in new[] { Delete, DeleteExample })
        {
            // The second delete finds nothing: anchorectl's "registry delete" answers that as an error, and so does regcred.
            var delete = await RunAsync(command, registry);
            Assert.That(delete.ExitCode, command == Delete ? Is.Zero : Is.Not.Zero, delete.ToString());
        }

        // anchore-cli's "del" (Anchore Engine's documentation: "deleted ... using the del command").
        var del = await _sandbox.RunAsync("registry", "del", registry.Registry + "/anchore/*");
        Assert.That(del.ExitCode, Is.Zero, del.ToString());
        Assert.That(JsonDocument.Parse((await _sandbox.RunOkAsync("registry", "list", "-o", "json")).Stdout).RootElement.GetArrayLength(), Is.Zero);

        _sandbox.AssertNeverPrinted(registry.Password);
        _sandbox.AssertNeverPrinted("pw-argument-");
    }

    [Test]
    public async Task ANCHORECTL_REGISTRY_PASSWORD_is_accepted_and_REGCRED_REGISTRY_PASSWORD_wins_when_both_are_set()
    {
        var viaAnchorectl = await _sandbox.RunAsync(
            ["registry", "add", "a.example.com", "--username", "a", "--validate=false"], null,
            new Dictionary<string, string?> { ["ANCHORECTL_REGISTRY_PASSWORD"] = "pw-anchorectl-1" });
        Assert.That(viaAnchorectl.ExitCode, Is.Zero, viaAnchorectl.ToString());

        var both = await _sandbox.RunAsync(
            ["registry", "add", "b.example.com", "--username", "b", "--validate=false"], null,
            new Dictionary<string, string?> { ["ANCHORECTL_REGISTRY_PASSWORD"] = "pw-anchorectl-2", ["REGCRED_REGISTRY_PASSWORD"] = "pw-regcred-2" });
        Assert.That(both.ExitCode, Is.Zero, both.ToString());

        // The stored secrets, as Docker's credential-helper protocol hands them out.
        var a = await _sandbox.RunAsync(["helper", "get"], "a.example.com\n");
        var b = await _sandbox.RunAsync(["helper", "get"], "b.example.com\n");
        Assert.That(JsonDocument.Parse(a.Stdout).RootElement.GetProperty("Secret").GetString(), Is.EqualTo("pw-anchorectl-1"), a.ToString());
        Assert.That(JsonDocument.Parse(b.Stdout).RootElement.GetProperty("Secret").GetString(), Is.EqualTo("pw-regcred-2"), b.ToString());

        var none = await _sandbox.RunAsync("registry", "add", "quay.io/c", "--username", "c", "--validate=false");
        Assert.That(none.ExitCode, Is.Not.Zero);
        Assert.That(none.Stderr, Does.Contain("ANCHORECTL_REGISTRY_PASSWORD"));
    }

    [Test]
    public async Task Json_output_is_the_one_entry_shape_of_the_api()
    {
        var add = await _sandbox.RunWithPasswordAsync("pw-shape-1", "registry", "add", "quay.io/partner", "--username", "p", "--validate=false", "-o", "json");
        Assert.That(add.ExitCode, Is.Zero, add.ToString());
        var added = JsonDocument.Parse(add.Stdout).RootElement;
        var listed = JsonDocument.Parse((await _sandbox.RunOkAsync("registry", "list", "-o", "json")).Stdout).RootElement[0];
        foreach (var entry in new[] { added, listed })
        {
            Assert.That(entry.EnumerateObject().Select(p => p.Name), Is.EqualTo(RegistryEntryJsonShape.Members));
            Assert.That(entry.GetProperty("registry_email").ValueKind, Is.EqualTo(JsonValueKind.Null));
            Assert.That(RegistryEntryJsonShape.IsWholeSecondUtc(entry.GetProperty("created_at").GetString()), Is.True);
            Assert.That(RegistryEntryJsonShape.IsWholeSecondUtc(entry.GetProperty("last_updated").GetString()), Is.True);
            Assert.That(entry.GetProperty("userId").GetString(), Is.Not.Empty);
        }
    }

    /// <summary>Fills in the documentation's placeholders and runs the line with /bin/sh, anchorectl being regcred.</summary>
    private Task<ToolRun> RunAsync(string documented, DistributionRegistry registry)
    {
        var line = documented
            .Replace("anchorectl ", "regcred ", StringComparison.Ordinal)
            .Replace("<registry>", registry.Registry, StringComparison.Ordinal)
            .Replace("registry.example.com", registry.Registry, StringComparison.Ordinal)
            .Replace("docker.io/", registry.Registry + "/", StringComparison.Ordinal)
            .Replace("<password>", registry.Password, StringComparison.Ordinal)
            .Replace("<newpassword>", registry.Password, StringComparison.Ordinal)
            .Replace("<username>", registry.Username, StringComparison.Ordinal)
            .Replace("<newusername>", registry.Username, StringComparison.Ordinal)
            .Replace("<Password>", "pw-argument-" + registry.Password, StringComparison.Ordinal);
        Assert.That(line, Does.Not.Contain("<"), "a placeholder is left: " + line);
        return _sandbox.RunShellAsync(line);
    }

    private static void AssertTable(ToolRun run, string registry)
    {
        var lines = run.Stdout.Split('\n');
        var header = lines.Single(l => l.Contains("REGISTRY NAME", StringComparison.Ordinal));
        var lastUpdated = header.IndexOf("LAST UPDATED", StringComparison.Ordinal);
        var positions = AnchorectlColumns
            .Select((c, i) => i == 6 ? header.IndexOf("REGISTRY ", lastUpdated, StringComparison.Ordinal) : header.IndexOf(c, StringComparison.Ordinal))
            .ToArray();
        Assert.That(positions, Is.All.GreaterThanOrEqualTo(0), header);
        Assert.That(positions, Is.Ordered.Ascending, header);
        Assert.That(lines.Any(l => l.Contains(registry, StringComparison.Ordinal) && l.Contains("docker_v2", StringComparison.Ordinal)), Is.True, run.Stdout);
    }
}
