using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Npgsql;

namespace RegistryCredentials.Tests.Support.PostgreSql;

/// <summary>
/// A throw-away PostgreSQL cluster for the test run: <c>initdb</c> into a temp folder, <c>pg_ctl start</c> on
/// 127.0.0.1 on a free port (password authentication over TCP with a per-run random password), stopped and deleted
/// at the end of the run. Binaries come from the highest <c>/usr/lib/postgresql/*/bin</c> (Debian's
/// <c>postgresql</c> package). initdb refuses to run as root, so as root every server command runs as the
/// <c>postgres</c> system user (<c>runuser</c>), on a folder handed over to it.
/// </summary>
public sealed class PostgreSqlServer
{
    public const string User = "regcred_test";
    public const string Database = "regcred";
    private const string FolderPrefix = "regcred-pg-";
    private static readonly Lock Gate = new();
    private static Task<PostgreSqlServer>? _shared;

    private readonly string _bin;
    private readonly string? _runAs;
    private readonly string _root;

    private PostgreSqlServer(string bin, string? runAs, string root, string password)
    {
        _bin = bin;
        _runAs = runAs;
        _root = root;
        Password = password;
    }

    public int Port { get; private set; }

    public string Password { get; }

    public string DataDirectory => Path.Combine(_root, "data");

    private string LogFile => Path.Combine(_root, "server.log");

    /// <summary>The cluster shared by every test of the run, started on first use.</summary>
    public static Task<PostgreSqlServer> GetAsync()
    {
        lock (Gate)
        {
            return _shared ??= Task.Run(StartAsync);
        }
    }

    /// <summary>Stops the shared cluster, if one was started, and deletes its folder.</summary>
    public static async Task StopSharedAsync()
    {
        Task<PostgreSqlServer>? shared;
        lock (Gate)
        {
            shared = _shared;
            _shared = null;
        }

        if (shared is not null && shared.IsCompletedSuccessfully)
        {
            await shared.Result.StopAsync();
        }
    }

    public static string NewName(string prefix) => prefix + Guid.NewGuid().ToString("N")[..20];

    public string ConnectionString(string database = Database, string extra = "") =>
        $"Host=127.0.0.1;Port={Port};Username={User};Password={Password};Database={database};Timeout=5;Command Timeout=15;{extra}";

    /// <summary>Creates an empty database and returns its name.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = NewName("db_");
        await ExecuteAsync($"CREATE DATABASE {name}", "postgres");
        return name;
    }

    public async Task ExecuteAsync(string sql, string database = Database)
    {
        await using var connection = new NpgsqlConnection(ConnectionString(database, "Pooling=false"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public async Task<T> ScalarAsync<T>(string sql, string database = Database)
    {
        await using var connection = new NpgsqlConnection(ConnectionString(database, "Pooling=false"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    public async Task<List<string>> ColumnAsync(string sql, string database = Database)
    {
        await using var connection = new NpgsqlConnection(ConnectionString(database, "Pooling=false"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<string>();
        while (await reader.ReadAsync())
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }

    /// <summary><c>pg_ctl restart -m fast</c>: every connection is terminated, the server is back when this returns.</summary>
    public Task RestartAsync() => PgCtlAsync("restart", "-m", "fast", "-w", "-t", "60", "-l", LogFile);

    public async Task StopAsync()
    {
        try
        {
            await PgCtlAsync("stop", "-m", "fast", "-w", "-t", "60");
        }
        finally
        {
            DeleteFolder(_root);
        }
    }

    private static async Task<PostgreSqlServer> StartAsync()
    {
        var bin = FindBinaries();
        var runAs = Environment.IsPrivilegedProcess ? ServerUser() : null;
        await RemoveStaleClustersAsync(bin, runAs);

        // As root, under /tmp (world-traversable) whatever TMPDIR says, so the server user can reach the folder.
        var parent = runAs is null ? Path.GetTempPath() : "/tmp";
        var root = Path.Combine(parent, FolderPrefix + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(root);
        await File.WriteAllTextAsync(Path.Combine(root, "owner.pid"), Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(18)).ToLowerInvariant();
        var server = new PostgreSqlServer(bin, runAs, root, password);
        try
        {
            var passwordFile = Path.Combine(root, "pwfile");
            await File.WriteAllTextAsync(passwordFile, password + "\n");
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(passwordFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
            if (runAs is not null)
            {
                await RunAsync("chown", ["-R", runAs, root], null, root);
            }

            await server.ServerToolAsync("initdb", "-D", server.DataDirectory, "-U", User, "--pwfile=" + passwordFile,
                "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions");
            File.Delete(passwordFile);
            await server.StartOnFreePortAsync();
            await server.ExecuteAsync($"CREATE DATABASE {Database}", "postgres");
            AppDomain.CurrentDomain.ProcessExit += (_, _) => server.StopQuietly();
            return server;
        }
        catch
        {
            server.StopQuietly();
            throw;
        }
    }

    private async Task StartOnFreePortAsync()
    {
        for (var attempt = 1; ; attempt++)
        {
            Port = FreePort();
            try
            {
                await PgCtlAsync("start", "-w", "-t", "60", "-l", LogFile, "-o",
                    $"-c listen_addresses=127.0.0.1 -c port={Port} -c unix_socket_directories={_root} -c max_connections=300 " +
                    "-c fsync=off -c synchronous_commit=off -c full_page_writes=off");
                return;
            }
            catch (InvalidOperationException) when (attempt < 3)
            {
                // Someone took the port between our probe and the server's bind: try another.
            }
        }
    }

    private Task PgCtlAsync(params string[] arguments) => ServerToolAsync("pg_ctl", ["-D", DataDirectory, .. arguments]);

    private async Task ServerToolAsync(string tool, params string[] arguments)
    {
        var path = Path.Combine(_bin, tool);
        try
        {
            if (_runAs is null)
            {
                await RunAsync(path, arguments, null, _root);
            }
            else
            {
                await RunAsync("runuser", ["-u", _runAs, "--", path, .. arguments], null, _root);
            }
        }
        catch (InvalidOperationException exception) when (File.Exists(LogFile))
        {
            var log = await File.ReadAllTextAsync(LogFile);
            throw new InvalidOperationException(exception.Message + "\nserver log:\n" + log[Math.Max(0, log.Length - 4000)..], exception);
        }
    }

    private static async Task RunAsync(string fileName, IEnumerable<string> arguments, string? input, string workingDirectory)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = input is not null,
            WorkingDirectory = workingDirectory,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{fileName} {string.Join(' ', start.ArgumentList)} exited with {process.ExitCode}:\n{await output}\n{await error}");
        }
    }

    private static string FindBinaries()
    {
        const string Versions = "/usr/lib/postgresql";
        var bin = Directory.Exists(Versions)
            ? Directory.GetDirectories(Versions)
                .Select(d => (
                    Dir: Path.Combine(d, "bin"),
                    Version: decimal.TryParse(Path.GetFileName(d), NumberStyles.Number, CultureInfo.InvariantCulture, out var v) ? v : -1))
                .Where(c => File.Exists(Path.Combine(c.Dir, "initdb")) && File.Exists(Path.Combine(c.Dir, "pg_ctl")))
                .OrderByDescending(c => c.Version)
                .Select(c => c.Dir)
                .FirstOrDefault()
            : null;
        return bin ?? throw new InvalidOperationException(
            "No PostgreSQL server binaries under /usr/lib/postgresql/*/bin: install Debian's 'postgresql' package (./build.sh test does).");
    }

    /// <summary>The system user that runs the server when the tests run as root.</summary>
    private static string ServerUser()
    {
        var users = File.ReadAllLines("/etc/passwd").Select(l => l.Split(':')[0]).ToHashSet(StringComparer.Ordinal);
        return users.Contains("postgres") ? "postgres"
            : users.Contains("nobody") ? "nobody"
            : throw new InvalidOperationException("Running as root, and neither a 'postgres' nor a 'nobody' user exists to run initdb as.");
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    /// <summary>Stops and deletes clusters left behind by test runs that died (their owner process is gone).</summary>
    private static async Task RemoveStaleClustersAsync(string bin, string? runAs)
    {
        foreach (var parent in new[] { Path.GetTempPath(), "/tmp" }.Distinct())
        {
            if (!Directory.Exists(parent))
            {
                continue;
            }

            foreach (var folder in Directory.GetDirectories(parent, FolderPrefix + "*"))
            {
                var ownerFile = Path.Combine(folder, "owner.pid");
                if (!File.Exists(ownerFile)
                    || !int.TryParse(await File.ReadAllTextAsync(ownerFile), NumberStyles.Integer, CultureInfo.InvariantCulture, out var owner)
                    || Directory.Exists("/proc/" + owner.ToString(CultureInfo.InvariantCulture)))
                {
                    continue;
                }

                var stale = new PostgreSqlServer(bin, runAs, folder, string.Empty);
                stale.StopQuietly();
            }
        }
    }

    private void StopQuietly()
    {
        try
        {
            if (File.Exists(Path.Combine(DataDirectory, "postmaster.pid")))
            {
                PgCtlAsync("stop", "-m", "immediate", "-w", "-t", "30").GetAwaiter().GetResult();
            }
        }
        catch (InvalidOperationException)
        {
            // Not running.
        }
        finally
        {
            DeleteFolder(_root);
        }
    }

    private static void DeleteFolder(string folder)
    {
        try
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
