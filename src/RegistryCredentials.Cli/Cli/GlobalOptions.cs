using System.CommandLine;
using RegistryCredentials.Cli.Hosting;

namespace RegistryCredentials.Cli.Cli;

/// <summary>Options every command takes (anywhere on the line); each falls back to an environment variable.</summary>
internal sealed class GlobalOptions
{
    public Option<string> Store { get; } = new("--store")
    {
        Description = "The store: a SQLite file path (only registry add, import and helper store create it), or a PostgreSQL "
            + "connection string (Host=…). Default: $REGCRED_STORE, else $XDG_DATA_HOME/regcred/registries.db.",
        HelpName = "path|connection-string",
        Recursive = true,
    };

    public Option<string> KeyFile { get; } = new("--key-file")
    {
        Description = "The secret key file (only registry add, import and helper store create it, mode 0600). Default: $REGCRED_KEY_FILE, "
            + "else the library's ~/.config/registry-credentials/secret.key ($REGCRED_SECRET_KEY, a base64 key, wins over both).",
        HelpName = "path",
        Recursive = true,
    };

    public Option<string> Account { get; } = new("--account")
    {
        Description = "The account (tenant) whose entries are used. Default: $REGCRED_ACCOUNT, else 'default'.",
        Recursive = true,
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Store);
        command.Options.Add(KeyFile);
        command.Options.Add(Account);
    }

    public ToolContext CreateContext(ParseResult parseResult, Terminal terminal) =>
        new(terminal, parseResult.GetValue(Store), parseResult.GetValue(KeyFile), parseResult.GetValue(Account));

    /// <summary>The explicitly given global options, as arguments, for <c>helper install</c> to bake into the wrapper.</summary>
    public IReadOnlyList<string> ExplicitArguments(ToolContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var arguments = new List<string>();
        if (context.StoreOption is not null && context.Store.IsPostgreSql)
        {
            // The wrapper is world-readable (0755) and a connection string may hold a password.
            context.Terminal.WriteWarning(
                "a PostgreSQL connection string is not written into the wrapper: set REGCRED_STORE where Docker, Podman or skopeo run.");
        }
        else if (context.StoreOption is not null)
        {
            arguments.Add(Store.Name);
            arguments.Add(context.Store.Value);
        }

        if (context.KeyFileOption is not null)
        {
            arguments.Add(KeyFile.Name);
            arguments.Add(context.KeyFile!);
        }

        if (context.AccountOption is not null)
        {
            arguments.Add(Account.Name);
            arguments.Add(context.AccountOption);
        }

        return arguments;
    }
}
