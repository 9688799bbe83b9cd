using System.Text;
using RegistryCredentials.Cli.Tests.Support;

namespace RegistryCredentials.Cli.Tests;

/// <summary>The Docker credential-helper protocol, byte for byte: stdin, stdout (answers and errors) and exit codes.</summary>
[TestFixture]
public sealed class CredentialHelperProtocolTests
{
    private const string NotFound = "credentials not found in native keychain\n";

    private Sandbox _sandbox = null!;

    [SetUp]
    public void SetUp() => _sandbox = new Sandbox();

    [TearDown]
    public void TearDown() => _sandbox.Dispose();

    [Test]
    public async Task Get_prints_ServerURL_Username_Secret_exactly_as_Go_encodes_them()
    {
        const string password = "p@ss<&>\"w\\rd";
        await AddAsync("127.0.0.1:5000", "ci", password);

        var get = await HelperAsync("get", "127.0.0.1:5000\n");
        var url = await HelperAsync("get", "  https://127.0.0.1:5000/v2/ \n");

        Assert.Multiple(() =>
        {
            Assert.That(
                get.StdoutBytes,
                Is.EqualTo(Bytes("{\"ServerURL\":\"127.0.0.1:5000\",\"Username\":\"ci\",\"Secret\":\"p@ss\\u003c\\u0026\\u003e\\\"w\\\\rd\"}\n")),
                get.ToString());
            Assert.That(get.ExitCode, Is.Zero);
            Assert.That(get.StderrBytes, Is.Empty);
            Assert.That(
                url.Stdout,
                Is.EqualTo("{\"ServerURL\":\"https://127.0.0.1:5000/v2/\",\"Username\":\"ci\",\"Secret\":\"p@ss\\u003c\\u0026\\u003e\\\"w\\\\rd\"}\n"),
                url.ToString());
        });
    }

    [Test]
    public async Task Unknown_servers_and_empty_input_answer_on_stdout_with_exit_1()
    {
        await AddAsync("docker.io/acme/*", "acme", "acme-pw");

        var unknown = await HelperAsync("get", "ghcr.io\n");
        var hubWithOnlyAPathEntry = await HelperAsync("get", "https://index.docker.io/v1/\n");
        var empty = await HelperAsync("get", "\n");
        var garbage = await HelperAsync("get", "not a url at all\n");
        var unknownAction = await HelperAsync("frobnicate", string.Empty);

        Assert.Multiple(() =>
        {
            foreach (var run in new[] { unknown, hubWithOnlyAPathEntry, garbage })
            {
                Assert.That(run.StdoutBytes, Is.EqualTo(Bytes(NotFound)), run.ToString());
                Assert.That(run.ExitCode, Is.EqualTo(1));
                Assert.That(run.StderrBytes, Is.Empty);
            }

            Assert.That(empty.Stdout, Is.EqualTo("no credentials server URL\n"));
            Assert.That(empty.ExitCode, Is.EqualTo(1));
            Assert.That(unknownAction.ExitCode, Is.EqualTo(1), "System.CommandLine refuses an unknown helper action");
        });
    }

    [Test]
    public async Task Docker_Hub_is_https_index_docker_io_v1_and_token_usernames_are_identity_tokens()
    {
        var store = await HelperAsync("store", "{\"ServerURL\":\"https://index.docker.io/v1/\",\"Username\":\"<token>\",\"Secret\":\"identity-token-1\"}\n");
        var get = await HelperAsync("get", "https://index.docker.io/v1/\n");
        var getByName = await HelperAsync("get", "docker.io\n");
        var entry = Json.Parse((await _sandbox.RunOkAsync("registry", "get", "docker.io", "-o", "json")).Stdout);
        var resolved = Json.Parse((await _sandbox.RunOkAsync("resolve", "nginx", "-o", "json")).Stdout);

        Assert.Multiple(() =>
        {
            Assert.That(store.ExitCode, Is.Zero, store.ToString());
            Assert.That(store.StdoutBytes, Is.Empty);
            Assert.That(
                get.StdoutBytes,
                Is.EqualTo(Bytes("{\"ServerURL\":\"https://index.docker.io/v1/\",\"Username\":\"\\u003ctoken\\u003e\",\"Secret\":\"identity-token-1\"}\n")),
                get.ToString());
            Assert.That(getByName.Stdout, Does.StartWith("{\"ServerURL\":\"docker.io\",\"Username\":\"\\u003ctoken\\u003e\""));
            Assert.That(entry.Text("registry"), Is.EqualTo("docker.io"));
            Assert.That(entry.Text("registry_user"), Is.EqualTo("<token>"));
            Assert.That(entry.Text("registry_type"), Is.EqualTo("docker_v2"));
            Assert.That(resolved.Text("credential"), Is.EqualTo("identity-token"));
        });
    }

    [Test]
    public async Task Store_replaces_list_sorts_erase_deletes_and_version_prints_one_line()
    {
        await HelperAsync("store", "{\"ServerURL\":\"quay.io\",\"Username\":\"first\",\"Secret\":\"first-secret\"}");
        var replace = await HelperAsync("store", "{\"serverurl\":\"https://quay.io\",\"username\":\"second\",\"secret\":\"second-secret\"}");
        await HelperAsync("store", "{\"ServerURL\":\"https://index.docker.io/v1/\",\"Username\":\"hub\",\"Secret\":\"hub-secret\"}");
        await AddAsync("*.example.com", "glob", "glob-secret");
        var noUser = await HelperAsync("store", "{\"ServerURL\":\"ghcr.io\",\"Secret\":\"x\"}");
        var noUrl = await HelperAsync("store", "{\"Username\":\"u\",\"Secret\":\"x\"}");
        var get = await HelperAsync("get", "quay.io");
        var list = await HelperAsync("list", string.Empty);
        var erase = await HelperAsync("erase", "https://quay.io/\n");
        var afterErase = await HelperAsync("get", "quay.io\n");
        var eraseAgain = await HelperAsync("erase", "quay.io\n");
        var version = await HelperAsync("version", string.Empty);

        Assert.Multiple(() =>
        {
            Assert.That(replace.ExitCode, Is.Zero, replace.ToString());
            Assert.That(get.Stdout, Is.EqualTo("{\"ServerURL\":\"quay.io\",\"Username\":\"second\",\"Secret\":\"second-secret\"}\n"));
            Assert.That(noUser.Stdout, Is.EqualTo("no credentials username\n"));
            Assert.That(noUser.ExitCode, Is.EqualTo(1));
            Assert.That(noUrl.Stdout, Is.EqualTo("no credentials server URL\n"));
            Assert.That(list.StdoutBytes, Is.EqualTo(Bytes("{\"https://index.docker.io/v1/\":\"hub\",\"quay.io\":\"second\"}\n")), list.ToString());
            Assert.That(erase.ExitCode, Is.Zero, erase.ToString());
            Assert.That(erase.StdoutBytes, Is.Empty);
            Assert.That(afterErase.Stdout, Is.EqualTo(NotFound));
            Assert.That(eraseAgain.Stdout, Is.EqualTo(NotFound));
            Assert.That(eraseAgain.ExitCode, Is.EqualTo(1));
            Assert.That(version.Stdout, Does.Match(@"^docker-credential-regcred \(RegistryCredentials\) \d+\.\d+\.\d+\S*\n$"));
            Assert.That(version.ExitCode, Is.Zero);
        });
    }

    [Test]
    public async Task A_deactivated_registry_fails_instead_of_falling_back_to_anonymous()
    {
        await AddAsync("quay.io", "q", "q-secret");
        await _sandbox.RunOkAsync("registry", "deactivate", "quay.io");

        var get = await HelperAsync("get", "quay.io\n");

        Assert.Multiple(() =>
        {
            Assert.That(get.ExitCode, Is.EqualTo(1));
            Assert.That(get.Stdout, Does.Contain("deactivated").And.EndWith("\n"));
            Assert.That(get.Stdout, Is.Not.EqualTo(NotFound));
        });
        _sandbox.AssertNeverPrinted("q-secret");
    }

    [Test]
    public async Task Run_as_docker_credential_regcred_through_a_symlink_it_speaks_the_protocol_directly()
    {
        var apphost = Sandbox.ToolPath[..^".dll".Length];
        if (!File.Exists(apphost))
        {
            Assert.Ignore("the tool was built without an apphost");
        }

        await AddAsync("registry.example.com", "ci", "link-secret");
        var link = Path.Combine(_sandbox.Bin, "docker-credential-regcred");
        File.CreateSymbolicLink(link, apphost);
        var environment = new Dictionary<string, string?>(_sandbox.Environment)
        {
            ["DOTNET_ROOT"] = Path.GetDirectoryName(Sandbox.DotnetPath) is { Length: > 0 } root ? root : null,
        };

        var get = await ProcessRunner.RunAsync(link, ["get"], environment, Bytes("registry.example.com\n"));
        var missing = await ProcessRunner.RunAsync(link, ["get"], environment, Bytes("other.example.com\n"));
        var noArguments = await ProcessRunner.RunAsync(link, [], environment);
        var twoArguments = await ProcessRunner.RunAsync(link, ["get", "extra"], environment);
        var version = await ProcessRunner.RunAsync(link, ["--version"], environment);
        var unknown = await ProcessRunner.RunAsync(link, ["frobnicate"], environment);

        Assert.Multiple(() =>
        {
            Assert.That(get.Stdout, Is.EqualTo("{\"ServerURL\":\"registry.example.com\",\"Username\":\"ci\",\"Secret\":\"link-secret\"}\n"), get.ToString());
            Assert.That(get.ExitCode, Is.Zero);
            Assert.That(missing.Stdout, Is.EqualTo(NotFound));
            Assert.That(missing.ExitCode, Is.EqualTo(1));
            Assert.That(noArguments.Stdout, Is.EqualTo("Usage: docker-credential-regcred <store|get|erase|list|version>\n"));
            Assert.That(noArguments.ExitCode, Is.EqualTo(1));
            Assert.That(twoArguments.ExitCode, Is.EqualTo(1));
            Assert.That(version.Stdout, Does.StartWith("docker-credential-regcred (RegistryCredentials) "));
            Assert.That(unknown.Stdout, Is.EqualTo("Unknown credential action `frobnicate`\n"));
            Assert.That(unknown.ExitCode, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task Helper_install_writes_a_two_line_executable_wrapper_that_works()
    {
        await AddAsync("registry.example.com", "ci", "wrapper-secret");
        var directory = Path.Combine(_sandbox.Root, "wrapper-bin");
        var install = await _sandbox.RunAsync("helper", "install", "--dir", directory);
        var withStore = await _sandbox.RunAsync("--store", _sandbox.Store, "helper", "install", "--dir", Path.Combine(_sandbox.Root, "baked"));
        var wrapper = Path.Combine(directory, "docker-credential-regcred");
        var script = await File.ReadAllTextAsync(wrapper);
        var baked = await File.ReadAllTextAsync(Path.Combine(_sandbox.Root, "baked", "docker-credential-regcred"));
        var get = await ProcessRunner.RunAsync(wrapper, ["get"], _sandbox.Environment, Bytes("registry.example.com\n"));
        var mode = OperatingSystem.IsWindows() ? default : File.GetUnixFileMode(wrapper);

        Assert.Multiple(() =>
        {
            Assert.That(install.ExitCode, Is.Zero, install.ToString());
            Assert.That(install.Stdout, Is.EqualTo(wrapper + "\n"));
            Assert.That(install.Stderr, Does.Contain("not on PATH"));
            Assert.That(script.Split('\n'), Has.Length.EqualTo(3), "two lines and a final line break");
            Assert.That(script, Does.StartWith("#!/bin/sh\nexec ").And.EndWith(" 'helper' \"$@\"\n"));
            Assert.That(mode, Is.EqualTo(
                UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead
                | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute));
            Assert.That(baked, Does.Contain("'--store' '" + _sandbox.Store + "' 'helper'"));
            Assert.That(get.Stdout, Is.EqualTo("{\"ServerURL\":\"registry.example.com\",\"Username\":\"ci\",\"Secret\":\"wrapper-secret\"}\n"), get.ToString());
        });
    }

    private static byte[] Bytes(string text) => new UTF8Encoding(false).GetBytes(text);

    private Task<ToolRun> HelperAsync(string action, string stdin) => _sandbox.RunAsync(["helper", action], stdin);

    private async Task AddAsync(string scope, string username, string password)
    {
        var run = await _sandbox.RunWithPasswordAsync(password, "registry", "add", scope, "--username", username, "--validate=false");
        Assert.That(run.ExitCode, Is.Zero, run.ToString());
    }
}
