using System.Collections.Concurrent;
using System.Diagnostics;

namespace RegistryCredentials.Sqlite.Tests;

/// <summary>Runs the CrashWriter helper (built beside the tests) with <c>dotnet</c>, collecting its output lines.</summary>
internal sealed class ChildProcess : IDisposable
{
    private readonly Process _process;
    private readonly BlockingCollection<string> _lines = [];
    private readonly ConcurrentQueue<string> _errors = new();

    private ChildProcess(Process process) => _process = process;

    public static string HelperPath
    {
        get
        {
            var path = Path.Combine(AppContext.BaseDirectory, "RegistryCredentials.Sqlite.CrashWriter.dll");
            Assert.That(File.Exists(path), Is.True, $"the helper {path} was not built beside the tests");
            return path;
        }
    }

    public IReadOnlyCollection<string> ErrorLines => _errors;

    public static ChildProcess Start(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(HelperPath);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var child = new ChildProcess(process);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                child._lines.CompleteAdding();
            }
            else
            {
                child._lines.Add(e.Data);
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                child._errors.Enqueue(e.Data);
            }
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>The next line of output, or null at the end of the output or after the timeout.</summary>
    public string? NextLine(TimeSpan timeout) =>
        _lines.TryTake(out var line, timeout) ? line : null;

    /// <summary>Every remaining line, waiting for the end of the output.</summary>
    public List<string> RemainingLines(TimeSpan timeout)
    {
        var lines = new List<string>();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (!_lines.TryTake(out var line, TimeSpan.FromMilliseconds(100)))
            {
                if (_lines.IsCompleted)
                {
                    break;
                }

                continue;
            }

            lines.Add(line);
        }

        return lines;
    }

    /// <summary>SIGKILL: no handler, no finally block, no flush runs in the child.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit(10_000);
    }

    public int WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout))
        {
            Kill();
            Assert.Fail($"the helper did not exit within {timeout}");
        }

        _process.WaitForExit(); // drains the output events
        return _process.ExitCode;
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
        }

        _process.Dispose();
        _lines.Dispose();
    }
}
