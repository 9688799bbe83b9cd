using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using RegistryCredentials.Tests.Support.Registry;

namespace RegistryCredentials.AspNetCore.Tests.Support;

/// <summary>
/// <c>samples/RegistryServer</c> as it runs in production: its own process (the build output copied beside the tests),
/// <c>ASPNETCORE_ENVIRONMENT=Production</c>, Kestrel on HTTPS at 127.0.0.1 with the test server certificate (the port is
/// the one Kestrel reports), every setting given on the command line. Killed (this process only) when disposed.
/// </summary>
public sealed partial class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ServerProcess(Process process) => _process = process;

    public Uri BaseAddress { get; private set; } = null!;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static async Task<ServerProcess> StartAsync(string workingDirectory, IReadOnlyDictionary<string, string> settings)
    {
        var certificate = TestCertificates.Shared.Server;
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "RegistryServer.dll"));
        var arguments = new Dictionary<string, string>
        {
            ["Kestrel:Endpoints:Https:Url"] = "https://127.0.0.1:0",
            ["Kestrel:Endpoints:Https:Certificate:Path"] = certificate.CertificatePath,
            ["Kestrel:Endpoints:Https:Certificate:KeyPath"] = certificate.KeyPath,
        };
        foreach (var (key, value) in settings)
        {
            arguments[key] = value;
        }

        foreach (var (key, value) in arguments)
        {
            start.ArgumentList.Add($"--{key}={value}");
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment.Remove("ASPNETCORE_URLS");
        start.Environment.Remove("REGCRED_SECRET_KEY");
        start.Environment["Logging__Console__FormatterName"] = "simple";
        start.Environment["Logging__Console__FormatterOptions__SingleLine"] = "true";

        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        var server = new ServerProcess(process);
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnLine(string? line)
        {
            if (line is null)
            {
                listening.TrySetException(new InvalidOperationException("RegistryServer exited before listening:\n" + server.Output));
                return;
            }

            lock (server._output)
            {
                server._output.AppendLine(line);
            }

            if (Listening().Match(line) is { Success: true } match)
            {
                listening.TrySetResult(new Uri(match.Groups[1].Value));
            }
        }

        process.OutputDataReceived += (_, e) => OnLine(e.Data);
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                OnLine(e.Data);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            server.BaseAddress = await listening.Task.WaitAsync(TimeSpan.FromSeconds(60));
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    /// <summary>A client that trusts the test CA only; with a token, it sends it as a bearer token.</summary>
    public HttpClient CreateClient(string? token = null)
    {
        var client = new HttpClient(TestCertificates.Shared.CreateTrustingHandler()) { BaseAddress = BaseAddress };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    [GeneratedRegex(@"Now listening on: (https://\S+)")]
    private static partial Regex Listening();
}
