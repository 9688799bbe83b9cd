using System.IO.Compression;
using System.Net;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using RegistryCredentials.Testing;

namespace RegistryCredentials.Consumer.Tests;

/// <summary>
/// The packages as users meet them (issue 15): packed into a feed, referenced from apps outside the repository, built
/// and run there. One workspace (one pack, one restore and build) serves every test; see <see cref="ConsumerWorkspace"/>.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class ConsumerTests
{
    private static readonly string[] LibraryPackages =
    [
        "RegistryCredentials", "RegistryCredentials.Sqlite", "RegistryCredentials.PostgreSql", "RegistryCredentials.Aws",
        "RegistryCredentials.Google", "RegistryCredentials.Azure", "RegistryCredentials.Testing", "RegistryCredentials.AspNetCore",
    ];

    private ConsumerWorkspace _workspace = null!;

    [OneTimeSetUp]
    public async Task CreateWorkspace()
    {
        _workspace = await ConsumerWorkspace.CreateAsync();
        Assert.That(_workspace.Pack!.ExitCode, Is.Zero, _workspace.Pack.Describe());
        Assert.That(_workspace.NewNunit!.ExitCode, Is.Zero, _workspace.NewNunit.Describe());
    }

    [OneTimeTearDown]
    public void DeleteWorkspace() => _workspace?.Delete();

    [Test]
    public void EveryPackageCarriesItsReadmeSymbolsAndTheCommit()
    {
        foreach (var id in LibraryPackages)
        {
            var package = Path.Combine(_workspace.Feed, $"{id}.{_workspace.Version}.nupkg");
            Assert.That(package, Does.Exist, $"{id} was not packed");
            var nuspec = XDocument.Parse(ConsumerWorkspace.ReadEntry(package, id + ".nuspec")!);
            XNamespace ns = nuspec.Root!.Name.Namespace;
            var metadata = nuspec.Root.Element(ns + "metadata")!;
            Assert.Multiple(() =>
            {
                Assert.That(metadata.Element(ns + "readme")?.Value, Is.EqualTo("README.md"), id);
                Assert.That(ConsumerWorkspace.ReadEntry(package, "README.md"), Does.StartWith($"# {id}\n"), id);
                Assert.That(metadata.Element(ns + "repository")?.Attribute("commit")?.Value, Does.Match("^[0-9a-f]{40}$"), $"{id}: Source Link commit");
                var symbols = Path.ChangeExtension(package, ".snupkg");
                Assert.That(symbols, Does.Exist, $"{id}: symbol package");
                using var zip = ZipFile.OpenRead(symbols);
                Assert.That(zip.Entries.Select(e => e.FullName), Has.Member($"lib/net10.0/{id}.pdb"), $"{id}: pdb in the .snupkg");
            });
        }
    }

    [Test]
    public void TheTestingPackageAcceptsTheNUnitThatDotnetNewNunitPins()
    {
        var package = Path.Combine(_workspace.Feed, $"RegistryCredentials.Testing.{_workspace.Version}.nupkg");
        var nuspec = ConsumerWorkspace.ReadEntry(package, "RegistryCredentials.Testing.nuspec")!;
        var floor = Regex.Match(nuspec, """<dependency id="NUnit" version="(?<v>[^"]+)" """).Groups["v"].Value;
        var template = File.ReadAllText(Path.Combine(_workspace.Root, "conformance", "conformance.csproj"));
        var pinned = Regex.Match(template, """Include="NUnit" Version="(?<v>[^"]+)" """).Groups["v"].Value;
        Assert.That(Version.Parse(floor), Is.LessThanOrEqualTo(Version.Parse(pinned)), $"Testing needs NUnit >= {floor}; dotnet new nunit pins {pinned}");
    }

    [Test]
    public void TheReadmeSnippetsCompileAsWrittenInTheConsumerApps()
    {
        Assert.That(_workspace.Snippets.Keys, Is.EquivalentTo(ConsumerWorkspace.CompiledSnippets), "README snippets marked <!-- compiled: … -->");
        Assert.That(_workspace.Build!.ExitCode, Is.Zero, _workspace.Build.Describe());
        Assert.That(_workspace.Build.Output, Does.Not.Contain("error NU1605"));
    }

    [Test]
    public async Task TheQuickstartRunsOnTheEmbeddedSqliteStore()
    {
        AssumeBuilt("quickstart");
        var token = new Dictionary<string, string> { ["ACME_TOKEN"] = Secret() };
        var run = await _workspace.RunAsync(_workspace.Dotnet, [_workspace.AppDll("quickstart")], "quickstart", token);

        Assert.That(run.ExitCode, Is.Zero, run.Describe());
        Assert.That(run.Output, Does.Contain("Credential:"), run.Describe());
        Assert.That(Path.Combine(_workspace.Root, "quickstart", "registries.db"), Does.Exist);
    }

    [Test]
    public async Task ACustomStoreAddsInOneProcessAndResolvesInAnother()
    {
        AssumeBuilt("console");
        var dll = _workspace.AppDll("console");
        var password = Secret();

        var add = await _workspace.RunAsync(_workspace.Dotnet, [dll, "add", "reg.example.com/team/*", "ci-robot"], "console",
            new Dictionary<string, string> { ["REGISTRY_PASSWORD"] = password });
        var resolve = await _workspace.RunAsync(_workspace.Dotnet, [dll, "resolve", "reg.example.com/team/app:1"], "console");
        var other = await _workspace.RunAsync(_workspace.Dotnet, [dll, "resolve", "reg.example.com/elsewhere/app:1"], "console");

        Assert.That(add.ExitCode, Is.Zero, add.Describe());
        Assert.That(add.Output, Does.Contain("added reg.example.com/team"));
        Assert.That(resolve.ExitCode, Is.Zero, resolve.Describe());
        Assert.That(resolve.Output, Does.Contain("Credential reg.example.com/team").And.Contain("ci-robot"), resolve.Describe());
        Assert.That(other.Output, Does.Contain("Anonymous"), other.Describe());
        var stored = File.ReadAllText(Path.Combine(_workspace.Root, "console", "registries.json"));
        Assert.That(stored, Does.Not.Contain(password), "the secret is stored encrypted");
        Assert.That(add.Output + resolve.Output, Does.Not.Contain(password));
    }

    [Test]
    public async Task AProjectFromDotnetNewNunitPassesTheStoreConformanceSuite()
    {
        AssumeBuilt("conformance");
        // One test per [Test] method, one per [TestCase] of a parameterised one.
        var expected = typeof(RegistryStoreConformanceTests).GetMethods()
            .Sum(m => m.GetCustomAttribute<TestAttribute>() is not null ? 1 : m.GetCustomAttributes<TestCaseAttribute>().Count());

        var run = await _workspace.RunAsync(_workspace.Dotnet, ["test", "conformance/conformance.csproj", "--no-build", "-c", "Release"]);

        Assert.That(run.ExitCode, Is.Zero, run.Describe());
        var summary = Regex.Match(run.Output, @"Failed:\s*(?<failed>\d+),\s*Passed:\s*(?<passed>\d+),\s*Skipped:\s*(?<skipped>\d+)");
        Assert.That(summary.Success, Is.True, run.Describe());
        int Count(string name) => int.Parse(summary.Groups[name].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.That(Count("failed"), Is.Zero);

        // Every test ran; the only ones skipped are those of the optional SPIs (policies, the change feed, the host query), which the
        // README's file store does not implement, and they say so.
        Assert.That(Count("passed") + Count("skipped"), Is.EqualTo(expected), run.Describe());
        Assert.That(Count("passed"), Is.GreaterThan(0), run.Describe());
        var skipped = Regex.Matches(run.Output, @"Skipped (?<name>\w+)").Select(m => m.Groups["name"].Value).ToList();
        Assert.That(skipped, Has.Count.EqualTo(Count("skipped")).And.All.Matches("Polic|Feed|HostQuery|ManagerWritesArePartial"), run.Describe());
    }

    [Test]
    public async Task AWebAppCallingAddOpenApiServesTheDocumentAndTheProtectedEndpoints()
    {
        AssumeBuilt("web");
        var output = new StringBuilder();
        using var app = ChildProcess.Start(_workspace.Dotnet, [_workspace.AppDll("web"), "--urls", "http://127.0.0.1:0"], Path.Combine(_workspace.Root, "web"),
            _workspace.Environment, output);
        try
        {
            var address = await ListeningAddressAsync(app, output);
            using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(address) };

            using var document = await client.GetAsync(new Uri("/openapi/v1.json", UriKind.Relative));
            var json = await document.Content.ReadAsStringAsync();
            using var api = await client.GetAsync(new Uri("/registries", UriKind.Relative));
            using var page = await client.GetAsync(new Uri("/registries-ui", UriKind.Relative));

            Assert.That(document.StatusCode, Is.EqualTo(HttpStatusCode.OK), json);
            Assert.That(json, Does.Contain("\"/registries\""), "the API's operations are in the OpenAPI document");
            Assert.That(api.StatusCode, Is.EqualTo(HttpStatusCode.Redirect), "the API asks an anonymous caller to sign in (cookie scheme)");
            Assert.That(api.Headers.Location?.ToString(), Does.Contain("/Account/Login"));
            Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.Redirect), "so does the page");
        }
        finally
        {
            app.Kill(entireProcessTree: true);
            await app.WaitForExitAsync();
        }
    }

    [Test]
    public async Task TheRegcredToolInstallsFromTheFeedAndPrintsItsVersion()
    {
        Assert.That(_workspace.ToolInstall!.ExitCode, Is.Zero, _workspace.ToolInstall.Describe());

        var run = await _workspace.RunAsync(Path.Combine(_workspace.ToolPath, "regcred"), ["--version"]);

        Assert.That(run.ExitCode, Is.Zero, run.Describe());
        Assert.That(run.Output.Trim(), Does.Match(@"^\d+\.\d+\.\d+"), run.Describe());
    }

    /// <summary>One app's failure to build fails its own tests only (the one build goes on with the other apps).</summary>
    private void AssumeBuilt(string app) =>
        Assert.That(_workspace.AppDll(app), Does.Exist, $"{app} did not build: " + _workspace.Build!.Describe());

    private static string Secret() => Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));

    /// <summary>Waits for Kestrel's "Now listening on:" line (the app binds port 0); fails if the app exits first.</summary>
    private static async Task<string> ListeningAddressAsync(System.Diagnostics.Process app, StringBuilder output)
    {
        var line = new Regex(@"Now listening on: (?<address>http://\S+)");
        for (var attempt = 0; attempt < 1200; attempt++) // a guard against a hang (2 minutes), not a timing check
        {
            string text;
            lock (output)
            {
                text = output.ToString();
            }

            if (line.Match(text) is { Success: true } match)
            {
                return match.Groups["address"].Value;
            }

            Assert.That(app.HasExited, Is.False, "the web app stopped:\n" + text);
            await Task.Delay(100);
        }

        Assert.Fail("the web app never said where it listens:\n" + output);
        return "";
    }
}
