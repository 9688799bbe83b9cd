using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace RegistryCredentials.Cli.Interop;

/// <summary>
/// Runs another Docker credential helper (<c>docker-credential-&lt;name&gt;</c> on PATH) for <c>import docker-config</c>,
/// with a timeout after which it is killed.
/// </summary>
internal sealed partial class ExternalCredentialHelper
{
    private readonly TimeSpan _timeout;

    public ExternalCredentialHelper(TimeSpan timeout) => _timeout = timeout;

    public static bool IsValidName(string name) => HelperName().IsMatch(name);

    /// <summary><c>get</c>: the credential for a server URL.</summary>
    public async Task<HelperAnswer> GetAsync(string helper, string serverUrl, CancellationToken cancellationToken)
    {
        var run = await RunAsync(helper, "get", serverUrl + "\n", cancellationToken);
        if (run.Failure is not null)
        {
            return HelperAnswer.Failed(run.Failure);
        }

        if (run.ExitCode != 0)
        {
            return run.Output.Trim() == CredentialHelperProtocol.NotFoundMessage
                ? HelperAnswer.NotFound()
                : HelperAnswer.Failed($"docker-credential-{helper} get failed (exit {run.ExitCode}): {Terminal(run)}");
        }

        try
        {
            using var document = JsonDocument.Parse(run.Output);
            string? username = null, secret = null;
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (string.Equals(property.Name, "Username", StringComparison.OrdinalIgnoreCase) && property.Value.ValueKind == JsonValueKind.String)
                {
                    username = property.Value.GetString();
                }
                else if (string.Equals(property.Name, "Secret", StringComparison.OrdinalIgnoreCase) && property.Value.ValueKind == JsonValueKind.String)
                {
                    secret = property.Value.GetString();
                }
            }

            return string.IsNullOrEmpty(username) || string.IsNullOrEmpty(secret)
                ? HelperAnswer.Failed($"docker-credential-{helper} returned no user name or secret")
                : HelperAnswer.Found(username, secret);
        }
        catch (JsonException)
        {
            return HelperAnswer.Failed($"docker-credential-{helper} get did not answer JSON");
        }
    }

    /// <summary><c>list</c>: the server URLs the helper knows, or null when it cannot list.</summary>
    public async Task<IReadOnlyList<string>?> ListAsync(string helper, CancellationToken cancellationToken)
    {
        var run = await RunAsync(helper, "list", string.Empty, cancellationToken);
        if (run.Failure is not null || run.ExitCode != 0)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(run.Output);
            return document.RootElement.ValueKind == JsonValueKind.Object
                ? [.. document.RootElement.EnumerateObject().Select(p => p.Name)]
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    // Only the first line of what a helper printed, shortened: it is an error text, not a credential.
    private static string Terminal(HelperRun run)
    {
        var text = (run.Output.Length > 0 ? run.Output : run.Error).Trim();
        var line = text.Split('\n', 2)[0].Trim();
        return line.Length > 200 ? line[..200] + "…" : line;
    }

    private async Task<HelperRun> RunAsync(string helper, string action, string input, CancellationToken cancellationToken)
    {
        var executable = "docker-credential-" + helper;
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardInputEncoding = new UTF8Encoding(false),
            StandardOutputEncoding = Cli.BoundedInput.StrictUtf8, // a secret that is not UTF-8 is refused, not turned into U+FFFD
            StandardErrorEncoding = Encoding.UTF8,
        };
        start.ArgumentList.Add(action);

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new Win32Exception();
        }
        catch (Win32Exception)
        {
            return new HelperRun(null, string.Empty, string.Empty, $"{executable} is not on PATH");
        }

        using (process)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_timeout);
            var output = Cli.BoundedInput.ReadAllAsync(
                process.StandardOutput,
                Cli.BoundedInput.MaxDocumentBytes,
                $"What {executable} {action} printed",
                timeout.Token).AsTask();
            var error = Cli.BoundedInput.ReadAllAsync(
                process.StandardError,
                Cli.BoundedInput.MaxDocumentBytes,
                $"What {executable} {action} printed on stderr",
                timeout.Token).AsTask();
            try
            {
                await process.StandardInput.WriteAsync(input.AsMemory(), timeout.Token);
                process.StandardInput.Close();
                await process.WaitForExitAsync(timeout.Token);
                return new HelperRun(process.ExitCode, await output, await error, null);
            }
            catch (Exception e) when (e is OperationCanceledException or IOException or Cli.RegcredException)
            {
                try
                {
                    process.Kill(entireProcessTree: true);
                }
                catch (InvalidOperationException)
                {
                }

                cancellationToken.ThrowIfCancellationRequested();
                return e switch
                {
                    OperationCanceledException => new HelperRun(
                        null,
                        string.Empty,
                        string.Empty,
                        $"{executable} {action} did not answer within {GoDuration.Format(_timeout)}"),
                    Cli.RegcredException => new HelperRun(null, string.Empty, string.Empty, e.Message),
                    _ => new HelperRun(null, string.Empty, string.Empty, $"{executable} {action} failed: {e.Message}"),
                };
            }
        }
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex HelperName();

    private sealed record HelperRun(int? ExitCode, string Output, string Error, string? Failure);
}
