using System.CommandLine;
using RegistryCredentials.Cli.Interop;
using RegistryCredentials.Cli.Output;

namespace RegistryCredentials.Cli.Cli;

/// <summary><c>regcred helper</c>, <c>kubelet-credential-provider</c>, <c>import</c> and <c>export</c>.</summary>
internal static class InteropCommandLine
{
    public static IEnumerable<Command> Create(GlobalOptions globals, Terminal terminal)
    {
        yield return CreateHelper(globals, terminal);
        yield return CreateKubelet(globals, terminal);
        yield return CreateImport(globals, terminal);
        yield return CreateExport(globals, terminal);
    }

    private static Command CreateHelper(GlobalOptions globals, Terminal terminal)
    {
        var helper = new Command(
            "helper",
            "The Docker credential-helper protocol (what docker-credential-regcred runs): get, store, erase, list, version; install writes the wrapper.");
        foreach (var (action, description) in new[]
        {
            ("get", "Read a server URL on stdin, print {\"ServerURL\",\"Username\",\"Secret\"}."),
            ("store", "Read {\"ServerURL\",\"Username\",\"Secret\"} on stdin and store it (not validated)."),
            ("erase", "Read a server URL on stdin and delete its entry."),
            ("list", "Print {\"serverURL\":\"username\"} for every entry."),
            ("version", "Print the helper's version."),
        })
        {
            var command = new Command(action, description);
            command.SetAction(async (parseResult, cancellationToken) =>
            {
                await using var context = globals.CreateContext(parseResult, terminal);
                return await new CredentialHelperProtocol(context).HandleAsync(action, cancellationToken);
            });
            helper.Subcommands.Add(command);
        }

        var directory = new Option<string>("--dir") { Description = "Where to write docker-credential-regcred (default ~/.local/bin); it must be on PATH." };
        var install = new Command(
            "install",
            "Write docker-credential-regcred, a two-line wrapper that runs 'regcred helper'; --store, --key-file and --account given here are baked in.")
        {
            directory,
        };
        install.SetAction(async (parseResult, _) =>
        {
            await using var context = globals.CreateContext(parseResult, terminal);
            var path = HelperInstaller.Install(parseResult.GetValue(directory) ?? context.Paths.DefaultHelperDirectory, globals.ExplicitArguments(context));
            terminal.Out.Write(path + "\n");
            var folder = Path.GetDirectoryName(path)!;
            var onPath = (terminal.Variable("PATH") ?? string.Empty).Split(':').Any(p => string.Equals(
                Path.TrimEndingDirectorySeparator(p),
                folder,
                StringComparison.Ordinal));
            if (!onPath)
            {
                terminal.WriteWarning($"{folder} is not on PATH: Docker, Podman and skopeo will not find {HelperInstaller.FileName}.");
            }

            return ExitCodes.Ok;
        });
        helper.Subcommands.Add(install);
        return helper;
    }

    private static Command CreateKubelet(GlobalOptions globals, Terminal terminal)
    {
        var cacheDuration = new Option<string>("--cache-duration")
        {
            Description = "How long the kubelet may cache a credential that does not expire (Go "
                + "duration, default 5m); expiring ones are cached until they should be refreshed.",
            DefaultValueFactory = _ => "5m",
        };
        var kubelet = new Command(
            "kubelet-credential-provider",
            "The kubelet credential-provider plugin: a CredentialProviderRequest "
            + "(credentialprovider.kubelet.k8s.io/v1) on stdin, a CredentialProviderResponse on stdout.")
        {
            cacheDuration,
        };
        kubelet.SetAction(async (parseResult, cancellationToken) =>
        {
            var text = parseResult.GetValue(cacheDuration)!;
            if (!GoDuration.TryParse(text, out var duration))
            {
                throw new RegcredException($"--cache-duration '{text}' is not a duration such as 5m, 1h or 300s.");
            }

            await using var context = globals.CreateContext(parseResult, terminal);
            return await new KubeletCredentialProvider(context, duration).RunAsync(cancellationToken);
        });
        return kubelet;
    }

    private static Command CreateImport(GlobalOptions globals, Terminal terminal)
    {
        var path = new Argument<string>("path")
        {
            Description = "A Docker config.json or containers auth.json ('-' for stdin). Default: "
                + "$DOCKER_AUTH_CONFIG when set, else $DOCKER_CONFIG/config.json or ~/.docker/config.json.",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var validate = new Option<bool>("--validate")
        {
            Description = "Check each credential against its registry first (default true).",
            DefaultValueFactory = _ => true
        };
        var replace = new Option<bool>("--replace") { Description = "Replace existing entries for the same registries." };
        var timeout = new Option<string>("--helper-timeout")
        {
            Description = "How long a credential helper may take (default 10s).",
            DefaultValueFactory = _ => "10s"
        };
        var output = CommandLine.OutputOption(OutputFormat.Table, OutputFormat.Table, OutputFormat.Json);
        var dockerConfig = new Command(
            "docker-config",
            "Import the credentials of a Docker config: auths (auth, username/password, identitytoken), credHelpers and credsStore.")
        {
            path, validate, replace, timeout, output,
        };
        dockerConfig.SetAction(async (parseResult, cancellationToken) =>
        {
            var timeoutText = parseResult.GetValue(timeout)!;
            if (!GoDuration.TryParse(timeoutText, out var helperTimeout) || helperTimeout <= TimeSpan.Zero)
            {
                throw new RegcredException($"--helper-timeout '{timeoutText}' is not a duration such as 10s.");
            }

            await using var context = globals.CreateContext(parseResult, terminal);
            var (json, origin) = ReadDockerConfig(context, parseResult.GetValue(path));
            // The store and its key are created (and that said on stderr) only when a credential is about to be added.
            var importer = new DockerConfigImporter(
                async ct => (await context.OpenOrCreateHostAsync(ct)).Manager, new ExternalCredentialHelper(helperTimeout), terminal);
            var results = await importer.ImportAsync(json, origin, parseResult.GetValue(validate), parseResult.GetValue(replace), cancellationToken);
            ImportReport.Write(terminal, results, parseResult.GetValue(output)!);
            return DockerConfigImporter.ExitCode(results);
        });
        return new Command("import", "Import credentials from other tools.") { dockerConfig };
    }

    private static (string Json, string Origin) ReadDockerConfig(Hosting.ToolContext context, string? path)
    {
        // Valid UTF-8 and at most 8 MiB, from wherever it comes.
        if (path == "-")
        {
            return (BoundedInput.ReadAll(context.Terminal.In, BoundedInput.MaxDockerConfigBytes, "The Docker config on stdin"), "stdin");
        }

        if (path is null && context.Terminal.Variable("DOCKER_AUTH_CONFIG") is { } inline)
        {
            return (BoundedInput.RequireDecoded(inline, "DOCKER_AUTH_CONFIG"), "DOCKER_AUTH_CONFIG");
        }

        var file = path ?? context.Paths.DockerConfig;
        if (!File.Exists(file))
        {
            throw new RegcredException(RegistryErrorReason.NotFound, $"There is no Docker config at {file}.");
        }

        return (BoundedInput.ReadFile(file, BoundedInput.MaxDockerConfigBytes, $"The Docker config {file}"), file);
    }

    private static Command CreateExport(GlobalOptions globals, Terminal terminal)
    {
        var images = new Argument<string[]>("image") { Description = "Images whose credentials to export.", Arity = ArgumentArity.ZeroOrMore };
        var all = new Option<bool>("--all") { Description = "Export every active entry." };
        var output = CommandLine.OutputOption(OutputFormat.Yaml, OutputFormat.Yaml, OutputFormat.Json, OutputFormat.Raw);
        output.Description = "yaml or json: a Kubernetes Secret; raw: the Docker config itself (for --authfile or ~/.docker/config.json).";
        var name = new Option<string>("--name") { Description = "The Secret's name (default regcred).", DefaultValueFactory = _ => "regcred" };
        var ns = new Option<string>("--namespace", "-n") { Description = "The Secret's namespace." };
        var dockerConfigJson = new Command(
            "dockerconfigjson",
            "A Kubernetes Secret of type kubernetes.io/dockerconfigjson with current credentials (provider types resolved to their tokens).")
        {
            images, all, output, name, ns,
        };
        dockerConfigJson.SetAction(async (parseResult, cancellationToken) =>
        {
            var list = parseResult.GetValue(images) ?? [];
            var exportAll = parseResult.GetValue(all);
            if (exportAll == (list.Length > 0))
            {
                throw new RegcredException("Give either --all or one or more images.");
            }

            var format = parseResult.GetValue(output)!;
            KubernetesSecretWriter.CheckNames(parseResult.GetValue(name)!, parseResult.GetValue(ns));
            await using var context = globals.CreateContext(parseResult, terminal);
            var host = context.Host;
            var exporter = new DockerConfigExporter(host.Manager, host.Resolver, host.Time, terminal);
            var config = await exporter.ExportAsync(exportAll, list, indented: format == OutputFormat.Raw, cancellationToken);
            terminal.Out.Write(format == OutputFormat.Raw
                ? System.Text.Encoding.UTF8.GetString(config) + "\n"
                : KubernetesSecretWriter.Write(format, parseResult.GetValue(name)!, parseResult.GetValue(ns), config));
            return ExitCodes.Ok;
        });
        return new Command("export", "Export credentials for other tools.") { dockerConfigJson };
    }
}
