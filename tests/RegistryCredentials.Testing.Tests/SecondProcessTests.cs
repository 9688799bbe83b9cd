using System.Diagnostics;
using System.Text;

namespace RegistryCredentials.Testing.Tests;

/// <summary>
/// A durable store never gets a per-process key silently (issue 12, section 4): the library over a custom store
/// (<c>UseStore(new FileRegistryStore(...))</c>, no protector chosen) in one process, and a second process sharing only
/// the store file and the key file, reads the first one's secret. Each process is a real <c>dotnet</c> child
/// (RegistryCredentials.StoreClient) with its own home folder environment.
/// </summary>
[TestFixture]
public sealed class SecondProcessTests
{
    private string _root = null!;
    private string _store = null!;
    private string _configHome = null!;

    [SetUp]
    public void SetUp()
    {
        _root = Directory.CreateTempSubdirectory("regcred-second-process-").FullName;
        _store = Path.Combine(_root, "data", "registries.json");
        _configHome = Path.Combine(_root, "home", ".config");
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_root, recursive: true);

    private string KeyFile => Path.Combine(_configHome, "registry-credentials", "secret.key");

    private static string NewSecret() => "pw-" + Guid.NewGuid().ToString("N");

    [Test]
    public async Task A_second_process_reads_the_secret_a_first_process_stored_in_a_custom_store()
    {
        var password = NewSecret();

        var add = await RunAsync(password, "add", _store, "reg.example.com", "ci");
        Assert.That(add.ExitCode, Is.Zero, add.ToString());
        Assert.That(add.Stdout, Does.Contain(nameof(AesGcmSecretProtector)), "a custom store is paired with the durable protector");
        Assert.That(File.Exists(KeyFile), Is.True, "the key was created in the key file, apart from the data");
        if (!OperatingSystem.IsWindows())
        {
            Assert.That(File.GetUnixFileMode(KeyFile), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
        }

        var resolve = await RunAsync(null, "resolve", _store, "reg.example.com/app:1");
        Assert.That(resolve.ExitCode, Is.Zero, resolve.ToString());
        Assert.That(resolve.Stdout.Trim(), Is.EqualTo(password));
        Assert.That(await File.ReadAllTextAsync(_store), Does.Not.Contain(password), "the store file holds no secret in clear");
    }

    [Test]
    public async Task With_the_per_process_key_asked_for_by_name_a_second_process_fails_typed_and_changes_nothing()
    {
        var add = await RunAsync(NewSecret(), "add", _store, "reg.example.com", "ci", "--ephemeral");
        Assert.That(add.ExitCode, Is.Zero, add.ToString());
        Assert.That(add.Stdout, Does.Not.Contain(nameof(AesGcmSecretProtector)));
        Assert.That(File.Exists(KeyFile), Is.False, "the per-process key is written nowhere");
        var before = await File.ReadAllBytesAsync(_store);

        var resolve = await RunAsync(null, "resolve", _store, "reg.example.com/app:1", "--ephemeral");
        var write = await RunAsync(NewSecret(), "add", _store, "other.example.com", "ci", "--ephemeral");

        Assert.That(resolve.ExitCode, Is.EqualTo(3), resolve.ToString());
        Assert.That(resolve.Stderr, Does.StartWith(nameof(RegistrySecretKeyException)));
        Assert.That(write.ExitCode, Is.EqualTo(3), write.ToString());
        Assert.That(write.Stderr, Does.Contain("does not know"));
        Assert.That(await File.ReadAllBytesAsync(_store), Is.EqualTo(before), "nothing stored changed");
    }

    [Test]
    public async Task A_second_process_with_another_key_is_refused_and_changes_nothing()
    {
        var password = NewSecret();
        var add = await RunAsync(password, "add", _store, "reg.example.com", "ci");
        Assert.That(add.ExitCode, Is.Zero, add.ToString());
        var before = await File.ReadAllBytesAsync(_store);

        var otherKey = new Dictionary<string, string?> { ["REGCRED_SECRET_KEY"] = AesGcmSecretProtector.GenerateKey() };
        var write = await RunAsync(NewSecret(), ["add", _store, "other.example.com", "ci"], otherKey);
        var read = await RunAsync(null, ["resolve", _store, "reg.example.com/app:1"], otherKey);

        Assert.That(write.ExitCode, Is.EqualTo(3), write.ToString());
        Assert.That(read.ExitCode, Is.EqualTo(3), read.ToString());
        Assert.That(await File.ReadAllBytesAsync(_store), Is.EqualTo(before), "nothing stored changed");
        var again = await RunAsync(null, "resolve", _store, "reg.example.com/app:1");
        Assert.That(again.Stdout.Trim(), Is.EqualTo(password), "the store's own key still reads it");
    }

    private Task<ChildRun> RunAsync(string? password, params string[] arguments) => RunAsync(password, arguments, null);

    /// <summary>Runs the child with a home folder of its own; nothing from the real home or REGCRED_SECRET_KEY leaks in.</summary>
    private async Task<ChildRun> RunAsync(string? password, string[] arguments, IReadOnlyDictionary<string, string?>? environment)
    {
        var child = Path.Combine(AppContext.BaseDirectory, "RegistryCredentials.StoreClient.dll");
        Assert.That(File.Exists(child), Is.True, $"the child {child} was not built beside the tests");
        var start = new ProcessStartInfo(Environment.ProcessPath is { } host && Path.GetFileNameWithoutExtension(host) == "dotnet" ? host : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        start.ArgumentList.Add(child);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["HOME"] = Path.Combine(_root, "home");
        start.Environment["XDG_CONFIG_HOME"] = _configHome;
        start.Environment.Remove("REGCRED_SECRET_KEY");
        start.Environment.Remove("STORE_CLIENT_PASSWORD");
        if (password is not null)
        {
            start.Environment["STORE_CLIENT_PASSWORD"] = password;
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();

        // A guard against a hung child, not a timing assertion.
        using var hung = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(hung.Token);
        return new ChildRun(arguments, process.ExitCode, await stdout, await stderr);
    }

    private sealed record ChildRun(string[] Arguments, int ExitCode, string Stdout, string Stderr)
    {
        public override string ToString() => $"`{string.Join(' ', Arguments)}` exited {ExitCode}\n--- stdout ---\n{Stdout}\n--- stderr ---\n{Stderr}";
    }
}
