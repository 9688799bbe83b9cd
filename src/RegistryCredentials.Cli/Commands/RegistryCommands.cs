using RegistryCredentials.Cli.Cli;
using RegistryCredentials.Cli.Hosting;
using RegistryCredentials.Cli.Output;

namespace RegistryCredentials.Cli.Commands;

/// <summary><c>regcred registry add|list|get|update|delete|activate|deactivate</c>: anchorectl's verbs over <see cref="IRegistryManager"/>.</summary>
internal sealed class RegistryCommands
{
    private readonly ToolContext _context;

    public RegistryCommands(ToolContext context) => _context = context;

    private Terminal Terminal => _context.Terminal;

    public async Task<int> AddAsync(RegistryArguments arguments, CancellationToken cancellationToken)
    {
        // Every check that needs no store first: a refused add should not leave a new empty store behind.
        var scope = RegistryScope.Parse(arguments.Registry);
        var password = PasswordInput.ReadRequired(Terminal, arguments.PasswordStdin);
        var validate = ShouldValidate(arguments);
        var request = new RegistryAddRequest
        {
            Scope = arguments.Registry,
            Username = BoundedInput.RequireDecoded(arguments.Username ?? throw new RegcredException("--username is required."), "--username"),
            Password = password,
            Type = arguments.Type is null ? null : RegistryType.Parse(arguments.Type),
            Name = arguments.Name,
            Email = arguments.Email,
            VerifyTls = arguments.SecureConnection ?? true,
            InsecureHttp = arguments.InsecureHttp ?? false,
            CaCertificates = ReadCaFile(arguments.CaFile),
            Validate = validate,
            Replace = arguments.Replace,
        };
        // The one registry command that may create the store and its key (and says so on stderr).
        var manager = (await _context.OpenOrCreateHostAsync(cancellationToken)).Manager;
        var entry = await Progress.RunAsync(
            Terminal,
            request.Validate ? $"Validating the credential with {arguments.Registry}" : $"Adding {arguments.Registry}",
            ct => manager.AddAsync(request, ct),
            cancellationToken);
        Terminal.WriteStatus($"Added registry {entry.Scope}");
        if (scope.Note is { } note)
        {
            // docker.io/acme is the one repository docker.io/library/acme; docker.io/acme/* may have been meant.
            Terminal.WriteNotice("note: " + note + ".");
        }

        EntryView.Write(Terminal, [entry], arguments.Output, single: true);
        return ExitCodes.Ok;
    }

    public async Task<int> UpdateAsync(RegistryArguments arguments, CancellationToken cancellationToken)
    {
        var request = new RegistryUpdateRequest
        {
            Scope = arguments.Registry,
            Username = arguments.Username is null ? null : BoundedInput.RequireDecoded(arguments.Username, "--username"),
            Password = PasswordInput.Read(Terminal, arguments.PasswordStdin), // null keeps the stored one
            Type = arguments.Type is null ? null : RegistryType.Parse(arguments.Type),
            Name = arguments.Name,
            Email = arguments.Email,
            VerifyTls = arguments.SecureConnection,
            InsecureHttp = arguments.InsecureHttp,
            CaCertificates = ReadCaFile(arguments.CaFile),
            Validate = ShouldValidate(arguments),
        };
        var manager = _context.Host.Manager;
        var entry = await Progress.RunAsync(
            Terminal,
            request.Validate ? $"Validating the credential with {arguments.Registry}" : $"Updating {arguments.Registry}",
            ct => manager.UpdateAsync(request, ct),
            cancellationToken);
        Terminal.WriteStatus($"Updated registry {entry.Scope}");
        EntryView.Write(Terminal, [entry], arguments.Output, single: true);
        return ExitCodes.Ok;
    }

    public async Task<int> ListAsync(string output, CancellationToken cancellationToken)
    {
        var entries = await _context.Host.Manager.ListAsync(null, cancellationToken);
        EntryView.Write(Terminal, entries, output, single: false);
        return ExitCodes.Ok;
    }

    public async Task<int> GetAsync(string registry, string output, CancellationToken cancellationToken)
    {
        var entry = await _context.Host.Manager.GetAsync(RegistryScope.Parse(registry), null, cancellationToken);
        EntryView.Write(Terminal, [entry], output, single: true);
        return ExitCodes.Ok;
    }

    public async Task<int> DeleteAsync(string registry, CancellationToken cancellationToken)
    {
        var scope = RegistryScope.Parse(registry);
        await _context.Host.Manager.DeleteAsync(scope, cancellationToken: cancellationToken);
        Terminal.WriteStatus($"Deleted registry {scope}");
        return ExitCodes.Ok;
    }

    public async Task<int> SetActiveAsync(string registry, bool active, string output, CancellationToken cancellationToken)
    {
        var scope = RegistryScope.Parse(registry);
        var manager = _context.Host.Manager;
        var entry = active
            ? await manager.ActivateAsync(scope, null, cancellationToken)
            : await manager.DeactivateAsync(scope, null, cancellationToken);
        Terminal.WriteStatus($"{(active ? "Activated" : "Deactivated")} registry {entry.Scope}");
        EntryView.Write(Terminal, [entry], output, single: true);
        return ExitCodes.Ok;
    }

    /// <summary>
    /// <c>--validate</c>, default true; but an identity token (user name <c>&lt;token&gt;</c>, Docker's convention) is
    /// exchanged at the registry's token service rather than sent as a password, which the v2 check cannot do: unless
    /// validation was asked for explicitly, it is skipped with a warning.
    /// </summary>
    private bool ShouldValidate(RegistryArguments arguments)
    {
        if (arguments.Validate is { } explicitChoice)
        {
            return explicitChoice;
        }

        if (arguments.Username == Interop.DockerCredentialForm.IdentityTokenUsername)
        {
            Terminal.WriteWarning("identity tokens (user name <token>) are not validated; add --validate=true to check it as a password anyway.");
            return false;
        }

        return true;
    }

    private static string? ReadCaFile(string? path)
    {
        if (path is null)
        {
            return null;
        }

        if (path.Length == 0)
        {
            return string.Empty; // update: remove the CA certificates
        }

        if (!File.Exists(path))
        {
            throw new RegcredException($"The CA file {path} does not exist.");
        }

        return BoundedInput.ReadFile(path, RegistryEntryLimits.MaxCaCertificatesLength, $"The CA file {path}");
    }
}
