using System.Collections.Concurrent;
using System.Reflection;

namespace RegistryCredentials.Cli.Tests.Support;

/// <summary>
/// A temp folder standing in for the user's home: HOME, XDG_CONFIG_HOME, XDG_DATA_HOME, XDG_RUNTIME_DIR and DOCKER_CONFIG
/// point into it, REGCRED_STORE is a SQLite file and REGCRED_KEY_FILE a key file in it, so nothing touches the real
/// ~/.config, ~/.local or ~/.docker. Every regcred run is recorded so that a test can assert that a secret never appeared.
/// </summary>
public sealed class Sandbox : IDisposable
{
    private static readonly string[] Inherited = ["PATH", "LANG", "LC_ALL", "TMPDIR", "DOTNET_ROOT", "DOTNET_CLI_TELEMETRY_OPTOUT", "DOTNET_NOLOGO"];
    private readonly ConcurrentQueue<ToolRun> _runs = new();

    public Sandbox()
    {
        Root = Directory.CreateTempSubdirectory("regcred-test-").FullName;
        Home = Directory.CreateDirectory(Path.Combine(Root, "home")).FullName;
        Bin = Directory.CreateDirectory(Path.Combine(Root, "bin")).FullName;
        Store = Path.Combine(Root, "registries.db");
        KeyFile = Path.Combine(Root, "secret.key");
        Environment = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var name in Inherited)
        {
            Environment[name] = System.Environment.GetEnvironmentVariable(name);
        }

        Environment["HOME"] = Home;
        Environment["XDG_CONFIG_HOME"] = Path.Combine(Home, ".config");
        Environment["XDG_DATA_HOME"] = Path.Combine(Home, ".local", "share");
        Environment["XDG_RUNTIME_DIR"] = Directory.CreateDirectory(Path.Combine(Root, "run")).FullName;
        Environment["DOCKER_CONFIG"] = Path.Combine(Home, ".docker");
        Environment["REGCRED_STORE"] = Store;
        Environment["REGCRED_KEY_FILE"] = KeyFile;
        Environment["NO_COLOR"] = "1";
        Environment["NO_PROXY"] = "127.0.0.1,localhost";
        Environment["PATH"] = Bin + ":" + System.Environment.GetEnvironmentVariable("PATH");
    }

    /// <summary>The built tool (regcred.dll in samples/RegistryCredentials.Cli/bin/…), or $REGCRED_TEST_TOOL.</summary>
    public static string ToolPath
    {
        get
        {
            var path = System.Environment.GetEnvironmentVariable("REGCRED_TEST_TOOL")
                ?? typeof(Sandbox).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RegcredPath").Value!;
            Assert.That(File.Exists(path), Is.True, $"the tool {path} is not built");
            return path;
        }
    }

    /// <summary>The dotnet host running the tests.</summary>
    public static string DotnetPath => System.Environment.ProcessPath is { } p && Path.GetFileNameWithoutExtension(p) == "dotnet" ? p : "dotnet";

    public string Root { get; }

    public string Home { get; }

    /// <summary>A folder at the front of PATH.</summary>
    public string Bin { get; }

    public string Store { get; }

    public string KeyFile { get; }

    /// <summary>The environment of every process; change it before a run.</summary>
    public Dictionary<string, string?> Environment { get; }

    public IReadOnlyCollection<ToolRun> Runs => _runs;

    /// <summary>Runs <c>dotnet regcred.dll ARGS</c>.</summary>
    public Task<ToolRun> RunAsync(params string[] arguments) => RunAsync(arguments, stdin: null);

    public Task<ToolRun> RunAsync(string[] arguments, string? stdin, IReadOnlyDictionary<string, string?>? extraEnvironment = null) =>
        RunBytesAsync(arguments, stdin is null ? null : ProcessRunner.Utf8(stdin), extraEnvironment);

    /// <summary>Runs with exact stdin bytes (which need not be UTF-8).</summary>
    public async Task<ToolRun> RunBytesAsync(string[] arguments, byte[]? stdin, IReadOnlyDictionary<string, string?>? extraEnvironment = null)
    {
        var environment = new Dictionary<string, string?>(Environment, StringComparer.Ordinal);
        foreach (var (name, value) in extraEnvironment ?? new Dictionary<string, string?>())
        {
            environment[name] = value;
        }

        var run = await ProcessRunner.RunAsync(DotnetPath, [ToolPath, .. arguments], environment, stdin, Root);
        _runs.Enqueue(run);
        return run;
    }

    /// <summary>Runs an executable (not regcred.dll) with the sandbox's environment and exact stdin bytes.</summary>
    public async Task<ToolRun> RunExecutableAsync(
        string path, string[] arguments, byte[]? stdin = null, IReadOnlyDictionary<string, string?>? extraEnvironment = null)
    {
        var environment = new Dictionary<string, string?>(Environment, StringComparer.Ordinal);
        foreach (var (name, value) in extraEnvironment ?? new Dictionary<string, string?>())
        {
            environment[name] = value;
        }

        var run = await ProcessRunner.RunAsync(path, arguments, environment, stdin, Root);
        _runs.Enqueue(run);
        return run;
    }

    /// <summary>Runs with <c>REGCRED_REGISTRY_PASSWORD</c> set.</summary>
    public Task<ToolRun> RunWithPasswordAsync(string password, params string[] arguments) =>
        RunAsync(arguments, null, new Dictionary<string, string?> { ["REGCRED_REGISTRY_PASSWORD"] = password });

    /// <summary>Runs and asserts the exit code.</summary>
    public async Task<ToolRun> RunOkAsync(params string[] arguments)
    {
        var run = await RunAsync(arguments);
        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        return run;
    }

    /// <summary>Asserts that no recorded run printed <paramref name="secret"/> (except the given runs, whose job it is).</summary>
    public void AssertNeverPrinted(string secret, params ToolRun[] except)
    {
        foreach (var run in _runs.Where(r => !except.Contains(r)))
        {
            Assert.That(run.Stdout + run.Stderr, Does.Not.Contain(secret), "a secret was printed by " + run);
        }
    }

    /// <summary>Every file and folder under <see cref="Root"/>, to prove that a run created nothing.</summary>
    public IReadOnlyList<string> Files() =>
        [.. Directory.GetFileSystemEntries(Root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)];

    /// <summary>Runs <c>/bin/sh -c SCRIPT</c> with the sandbox's environment, where <c>"$DOTNET" "$TOOL"</c> runs the tool.</summary>
    public async Task<ToolRun> RunShellAsync(string script, byte[]? stdin = null)
    {
        var environment = new Dictionary<string, string?>(Environment, StringComparer.Ordinal)
        {
            ["DOTNET"] = DotnetPath,
            ["TOOL"] = ToolPath,
        };
        var run = await ProcessRunner.RunAsync("/bin/sh", ["-c", script], environment, stdin, Root);
        _runs.Enqueue(run);
        return run;
    }

    /// <summary>Writes an executable shell script into <see cref="Bin"/>.</summary>
    public string WriteScript(string name, string body)
    {
        var path = Path.Combine(Bin, name);
        File.WriteAllText(path, "#!/bin/sh\n" + body);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return path;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
