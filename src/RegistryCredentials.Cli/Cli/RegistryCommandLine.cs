using System.CommandLine;
using RegistryCredentials.Cli.Commands;
using RegistryCredentials.Cli.Output;

namespace RegistryCredentials.Cli.Cli;

/// <summary><c>regcred registry …</c>, with anchorectl's options.</summary>
internal static class RegistryCommandLine
{
    public static Command Create(GlobalOptions globals, Terminal terminal)
    {
        var registry = new Command("registry", "Manage registry credentials (anchorectl's registry add|list|get|update|delete, plus activate and deactivate).");
        registry.Subcommands.Add(CreateAddOrUpdate(globals, terminal, update: false));
        registry.Subcommands.Add(CreateList(globals, terminal));
        registry.Subcommands.Add(CreateGet(globals, terminal));
        registry.Subcommands.Add(CreateAddOrUpdate(globals, terminal, update: true));
        registry.Subcommands.Add(CreateDelete(globals, terminal));
        registry.Subcommands.Add(CreateActivation(globals, terminal, activate: true));
        registry.Subcommands.Add(CreateActivation(globals, terminal, activate: false));
        return registry;
    }

    private static Argument<string> RegistryArgument() => new("registry")
    {
        Description = "The registry scope: host[:port] for the whole registry, host[:port]/path for that one repository "
            + "(on Docker Hub docker.io/acme is library/acme, as 'docker pull acme'; write docker.io/acme/* for the namespace), "
            + "host[:port]/path/* for every repository below path. Host labels may be * (*.azurecr.io). No scheme.",
    };

    private static Command CreateAddOrUpdate(GlobalOptions globals, Terminal terminal, bool update)
    {
        var registry = RegistryArgument();
        var username = new Option<string>("--username", "-u") { Description = "The user name.", Required = !update };
        var type = new Option<string>("--type")
        {
            Description = "docker_v2, awsecr, gcr or acr" + (update ? "." : "; guessed from the host when left out."),
        };
        var name = new Option<string>("--name") { Description = "A display name" + (update ? "." : "; default the registry.") };
        var email = new Option<string>("--email") { Description = "An e-mail address" + (update ? " (empty to remove)." : ".") };
        var secure = new Option<bool>(
            "--secure-connection")
            {
                Description = "Verify TLS certificates (default true): --secure-connection=false to accept any certificate for this registry."
            };
        var validate = new Option<bool>("--validate") { Description = "Check the credential against the registry before storing it (default true)." };
        var passwordStdin = new Option<bool>("--password-stdin")
        {
            Description = "Read the password (or key file content) from stdin; one trailing line break is removed. "
                + "Otherwise $REGCRED_REGISTRY_PASSWORD or anchorectl's $ANCHORECTL_REGISTRY_PASSWORD.",
        };
        var caFile = new Option<string>("--ca-file")
        {
            Description = "A PEM file of CA certificates to trust for this registry" + (update ? " (empty to remove)." : "."),
        };
        var insecureHttp = new Option<bool>("--insecure-http") { Description = "Reach the registry over plain HTTP (credentials travel in clear text)." };
        var password = new Option<string>("--password", "-p") { Hidden = true };
        // anchore-cli took the password as a positional argument (and one of Anchore's documented anchorectl commands still
        // shows it): caught here so that it is refused without being echoed in a parse error.
        var positionalPassword = new Argument<string[]>("password") { Arity = ArgumentArity.ZeroOrMore, Hidden = true };
        var output = CommandLine.OutputOption(OutputFormat.Table, OutputFormat.Table, OutputFormat.Json);
        var command = new Command(
            update ? "update" : "add",
            update
                ? "Update a registry entry; options left out keep their value, and without a new password the stored one is kept."
                : "Add a registry credential; the password comes from $REGCRED_REGISTRY_PASSWORD ($ANCHORECTL_REGISTRY_PASSWORD) or --password-stdin.")
        {
            registry, positionalPassword, username, type, name, email, secure, validate, passwordStdin, caFile, insecureHttp, password, output,
        };
        Option<bool>? replace = null;
        if (!update)
        {
            replace = new Option<bool>("--replace") { Description = "Replace an existing entry for the same registry (the newest credential wins)." };
            command.Options.Add(replace);
        }

        command.SetAction(async (parseResult, cancellationToken) =>
        {
            if (parseResult.GetResult(password) is { Implicit: false } || parseResult.GetValue(positionalPassword) is { Length: > 0 })
            {
                throw new RegcredException(
                    "Passwords are never taken from arguments (they end up in shell history and process lists): "
                    + "set REGCRED_REGISTRY_PASSWORD (or ANCHORECTL_REGISTRY_PASSWORD) or use --password-stdin.");
            }

            var arguments = new RegistryArguments
            {
                Registry = parseResult.GetValue(registry)!,
                Username = parseResult.GetValue(username),
                Type = parseResult.GetValue(type),
                Name = parseResult.GetValue(name),
                Email = parseResult.GetValue(email),
                SecureConnection = CommandLine.Given(parseResult, secure),
                Validate = CommandLine.Given(parseResult, validate),
                Replace = replace is not null && parseResult.GetValue(replace),
                PasswordStdin = parseResult.GetValue(passwordStdin),
                CaFile = parseResult.GetValue(caFile),
                InsecureHttp = CommandLine.Given(parseResult, insecureHttp),
                Output = parseResult.GetValue(output)!,
            };
            await using var context = globals.CreateContext(parseResult, terminal);
            var commands = new RegistryCommands(context);
            return update
                ? await commands.UpdateAsync(arguments, cancellationToken)
                : await commands.AddAsync(arguments, cancellationToken);
        });
        return command;
    }

    private static Command CreateList(GlobalOptions globals, Terminal terminal)
    {
        var output = CommandLine.OutputOption(OutputFormat.Table, OutputFormat.Table, OutputFormat.Json);
        var list = new Command("list", "List the registry entries (never a password).") { output };
        list.SetAction(async (parseResult, cancellationToken) =>
        {
            await using var context = globals.CreateContext(parseResult, terminal);
            return await new RegistryCommands(context).ListAsync(parseResult.GetValue(output)!, cancellationToken);
        });
        return list;
    }

    private static Command CreateGet(GlobalOptions globals, Terminal terminal)
    {
        var registry = RegistryArgument();
        var output = CommandLine.OutputOption(OutputFormat.Table, OutputFormat.Table, OutputFormat.Json);
        var get = new Command("get", "Show one registry entry (never its password).") { registry, output };
        get.SetAction(async (parseResult, cancellationToken) =>
        {
            await using var context = globals.CreateContext(parseResult, terminal);
            return await new RegistryCommands(context).GetAsync(parseResult.GetValue(registry)!, parseResult.GetValue(output)!, cancellationToken);
        });
        return get;
    }

    private static Command CreateDelete(GlobalOptions globals, Terminal terminal)
    {
        var registry = RegistryArgument();
        var delete = new Command("delete", "Delete a registry entry and its secret (alias: del, as anchore-cli names it).") { registry };
        delete.Aliases.Add("del");
        delete.SetAction(async (parseResult, cancellationToken) =>
        {
            await using var context = globals.CreateContext(parseResult, terminal);
            return await new RegistryCommands(context).DeleteAsync(parseResult.GetValue(registry)!, cancellationToken);
        });
        return delete;
    }

    private static Command CreateActivation(GlobalOptions globals, Terminal terminal, bool activate)
    {
        var registry = RegistryArgument();
        var output = CommandLine.OutputOption(OutputFormat.Table, OutputFormat.Table, OutputFormat.Json);
        var command = new Command(
            activate ? "activate" : "deactivate",
            activate
                ? "Activate a registry entry (no password needed)."
                : "Deactivate a registry entry: it is kept with its secret, and pulls it matches are denied.")
        {
            registry, output,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            await using var context = globals.CreateContext(parseResult, terminal);
            return await new RegistryCommands(context).SetActiveAsync(
                parseResult.GetValue(registry)!,
                activate,
                parseResult.GetValue(output)!,
                cancellationToken);
        });
        return command;
    }
}
