using RegistryCredentials.Cli.Hosting;
using RegistryCredentials.Cli.Interop;

namespace RegistryCredentials.Cli.Cli;

/// <summary>
/// The lean start of the two verbs that Docker, Podman, skopeo and the kubelet run as a new process for every lookup:
/// <c>regcred [--store S] [--key-file K] [--account A] helper get</c> (what the <c>docker-credential-regcred</c> wrapper
/// runs) and <c>regcred [globals] kubelet-credential-provider [--cache-duration D]</c>. These command lines are read here,
/// by hand, so that System.CommandLine's tree and Spectre.Console are never built for them; the work is the same code the
/// full command line runs (<see cref="CredentialHelperProtocol"/>, <see cref="KubeletCredentialProvider"/>, both answering
/// through <see cref="ToolContext.LookupAsync"/>). Any other shape of command line (help, an option given twice, an option
/// after the verb, …) is left to the full command line, which gives the same answer, only later.
/// </summary>
internal static class LookupDispatch
{
    private const string HelperVerb = "helper";
    private const string KubeletVerb = "kubelet-credential-provider";
    private const string CacheDurationOption = "--cache-duration";
    private const string DefaultCacheDuration = "5m";

    private static readonly string[] GlobalOptionNames = ["--store", "--key-file", "--account"];

    /// <summary>Runs a lookup command line; null when <paramref name="args"/> is not one (the caller runs the full command line).</summary>
    /// <param name="args">The arguments.</param>
    /// <param name="terminal">The terminal.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>The exit code, or null.</returns>
    public static Task<int>? TryRun(IReadOnlyList<string> args, Terminal terminal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        var globals = new string?[GlobalOptionNames.Length];
        var i = 0;
        while (i < args.Count && TryGlobal(args, ref i, globals))
        {
        }

        if (i < args.Count)
        {
            var verb = args[i];
            var rest = args.Count - i - 1;
            if (verb == HelperVerb && rest == 1 && args[i + 1] == "get")
            {
                return RunHelperGetAsync(terminal, globals, cancellationToken);
            }

            if (verb == KubeletVerb && TryCacheDuration(args, i + 1, out var cacheDuration))
            {
                return RunKubeletAsync(terminal, globals, cacheDuration, cancellationToken);
            }
        }

        return null;
    }

    /// <summary>Reads one global option at <paramref name="i"/> (<c>--name value</c> or <c>--name=value</c>), once each.</summary>
    private static bool TryGlobal(IReadOnlyList<string> args, ref int i, string?[] values)
    {
        for (var n = 0; n < GlobalOptionNames.Length; n++)
        {
            var name = GlobalOptionNames[n];
            string? value = null;
            var used = 0;
            if (args[i] == name && i + 1 < args.Count)
            {
                value = args[i + 1];
                used = 2;
            }
            else if (args[i].StartsWith(name + "=", StringComparison.Ordinal))
            {
                value = args[i][(name.Length + 1)..];
                used = 1;
            }

            if (used == 0)
            {
                continue;
            }

            // A value that looks like an option or a response file, or an option given twice: the full parser decides.
            if (values[n] is not null || value!.StartsWith('-') || value.StartsWith('@'))
            {
                return false;
            }

            values[n] = value;
            i += used;
            return true;
        }

        return false;
    }

    private static bool TryCacheDuration(IReadOnlyList<string> args, int start, out string value)
    {
        value = DefaultCacheDuration;
        var rest = args.Count - start;
        if (rest == 0)
        {
            return true;
        }

        if (rest == 2 && args[start] == CacheDurationOption && !args[start + 1].StartsWith('-'))
        {
            value = args[start + 1];
            return true;
        }

        if (rest == 1 && args[start].StartsWith(CacheDurationOption + "=", StringComparison.Ordinal))
        {
            value = args[start][(CacheDurationOption.Length + 1)..];
            return true;
        }

        return false;
    }

    private static async Task<int> RunHelperGetAsync(Terminal terminal, string?[] globals, CancellationToken cancellationToken)
    {
        try
        {
            await using var context = new ToolContext(terminal, globals[0], globals[1], globals[2]);
            return await new CredentialHelperProtocol(context).HandleAsync("get", cancellationToken);
        }
        catch (Exception e)
        {
            return ErrorReporter.Report(terminal, e);
        }
    }

    private static async Task<int> RunKubeletAsync(Terminal terminal, string?[] globals, string cacheDuration, CancellationToken cancellationToken)
    {
        try
        {
            if (!GoDuration.TryParse(cacheDuration, out var duration))
            {
                throw new RegcredException($"--cache-duration '{cacheDuration}' is not a duration such as 5m, 1h or 300s.");
            }

            await using var context = new ToolContext(terminal, globals[0], globals[1], globals[2]);
            return await new KubeletCredentialProvider(context, duration).RunAsync(cancellationToken);
        }
        catch (Exception e)
        {
            return ErrorReporter.Report(terminal, e);
        }
    }
}
