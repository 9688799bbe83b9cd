using System.CommandLine;
using RegistryCredentials.Cli.Commands;
using RegistryCredentials.Cli.Output;

namespace RegistryCredentials.Cli.Cli;

/// <summary>The <c>regcred</c> command tree (System.CommandLine); the work is done by the classes under Commands/ and Interop/.</summary>
internal static class CommandLine
{
    public static RootCommand Create(Terminal terminal)
    {
        var globals = new GlobalOptions();
        var root = new RootCommand(
            "regcred: container-registry credentials for Docker, Podman, skopeo, the kubelet and .NET, in one store (RegistryCredentials).");
        globals.AddTo(root);
        root.Subcommands.Add(RegistryCommandLine.Create(globals, terminal));
        root.Subcommands.Add(CreateSettings(globals, terminal));
        root.Subcommands.Add(CreateResolve(globals, terminal));
        foreach (var command in InteropCommandLine.Create(globals, terminal))
        {
            root.Subcommands.Add(command);
        }

        return root;
    }

    /// <summary><c>-o/--output</c> limited to some formats.</summary>
    public static Option<string> OutputOption(string defaultFormat, params string[] formats)
    {
        var option = new Option<string>("--output", "-o")
        {
            Description = "Output format: " + string.Join(", ", formats) + ".",
            DefaultValueFactory = _ => defaultFormat,
        };
        option.AcceptOnlyFromAmong(formats);
        return option;
    }

    /// <summary>A bool option's value when it was written on the command line, else null.</summary>
    public static bool? Given(ParseResult parseResult, Option<bool> option) =>
        parseResult.GetResult(option) is { Implicit: false } ? parseResult.GetValue(option) : null;

    private static Command CreateSettings(GlobalOptions globals, Terminal terminal)
    {
        var key = new Argument<string>("key") { Description = "default-registry or allowed-registries." };
        key.AcceptOnlyFromAmong([.. Hosting.ToolSettings.Keys]);
        var value = new Argument<string>("value") { Description = "The value; allowed-registries is comma-separated; an empty value clears the setting." };
        var set = new Command(
            "set", "Set default-registry (replaces Docker Hub for images naming no registry) or allowed-registries (the allow-list).")
        {
            key, value,
        };
        set.SetAction(async (parseResult, cancellationToken) =>
        {
            await using var context = globals.CreateContext(parseResult, terminal);
            return await new SettingsCommands(context).SetAsync(parseResult.GetValue(key)!, parseResult.GetValue(value) ?? string.Empty, cancellationToken);
        });

        var getKey = new Argument<string>("key") { Description = "One setting to print alone.", Arity = ArgumentArity.ZeroOrOne };
        getKey.AcceptOnlyFromAmong([.. Hosting.ToolSettings.Keys]);
        var output = OutputOption(OutputFormat.Table, OutputFormat.Table, OutputFormat.Json);
        var get = new Command("get", "Show the settings.") { getKey, output };
        get.SetAction(async (parseResult, cancellationToken) =>
        {
            await using var context = globals.CreateContext(parseResult, terminal);
            return await new SettingsCommands(context).GetAsync(parseResult.GetValue(getKey), parseResult.GetValue(output)!, cancellationToken);
        });

        return new Command("settings", "Default registry and allow-list of the account, kept in the store as its policy (docs/policy.md).") { set, get };
    }

    private static Command CreateResolve(GlobalOptions globals, Terminal terminal)
    {
        var image = new Argument<string>("image") { Description = "An image reference, such as nginx or quay.io/ns/app:1.2." };
        var output = OutputOption(OutputFormat.Text, OutputFormat.Text, OutputFormat.Json, OutputFormat.DockerAuth);
        var resolve = new Command(
            "resolve",
            "Show which entry a pull of IMAGE would use (or anonymous, or denied and why). -o docker-auth prints the X-Registry-Auth value.") { image, output };
        resolve.SetAction(async (parseResult, cancellationToken) =>
        {
            await using var context = globals.CreateContext(parseResult, terminal);
            return await new ResolveCommand(context).RunAsync(parseResult.GetValue(image)!, parseResult.GetValue(output)!, cancellationToken);
        });
        return resolve;
    }
}
