using System.Text.Json;
using RegistryCredentials.Cli.Cli;
using RegistryCredentials.Cli.Hosting;
using RegistryCredentials.Cli.Interop;
using RegistryCredentials.Cli.Output;

namespace RegistryCredentials.Cli.Commands;

/// <summary>
/// <c>regcred resolve IMAGE</c>: which entry the resolver picks for a pull (or anonymous, or denied and why) and the user
/// name. <c>-o docker-auth</c> prints Docker Engine's <c>X-Registry-Auth</c> value (the only output with a secret in it).
/// </summary>
internal sealed class ResolveCommand
{
    /// <summary>base64url of <c>{}</c>: Docker Engine's "no credential".</summary>
    public const string AnonymousRegistryAuth = "e30=";

    private readonly ToolContext _context;

    public ResolveCommand(ToolContext context) => _context = context;

    public async Task<int> RunAsync(string image, string output, CancellationToken cancellationToken)
    {
        var reference = ImageReference.Parse(image);
        var resolver = _context.Host.Resolver;
        var resolution = await Progress.RunAsync(
            _context.Terminal,
            $"Resolving {image}",
            ct => resolver.ResolveAsync(reference, null, ct).AsTask(),
            cancellationToken);
        var terminal = _context.Terminal;
        switch (output)
        {
            case OutputFormat.DockerAuth:
                if (resolution.IsDenied)
                {
                    break;
                }

                terminal.Out.Write((resolution.Credential?.GetRegistryAuthHeaderValue(resolution.ApiHost) ?? AnonymousRegistryAuth) + "\n");
                break;
            case OutputFormat.Json:
                terminal.Out.Write(JsonOutput.Write(json => WriteJson(json, image, resolution), JsonOutput.Indented) + "\n");
                break;
            default:
                WriteText(terminal.Out, image, resolution);
                break;
        }

        if (resolution.IsDenied)
        {
            terminal.WriteError(resolution.Message);
            return ExitCodes.Denied;
        }

        return ExitCodes.Ok;
    }

    private static string Result(RegistryResolution resolution) => resolution.Kind switch
    {
        RegistryResolutionKind.Credential => "credential",
        RegistryResolutionKind.Anonymous => "anonymous",
        _ => "denied",
    };

    private static string CredentialKind(RegistryCredential credential) =>
        DockerCredentialForm.IsIdentityToken(credential) ? "identity-token"
        : credential.Kind == RegistryCredentialKind.RegistryToken ? "registry-token"
        : "username-password";

    private static void WriteText(TextWriter output, string image, RegistryResolution resolution)
    {
        var rows = new List<(string, string)>
        {
            ("IMAGE", image),
            ("REGISTRY", resolution.Registry ?? string.Empty),
            ("REPOSITORY", resolution.Repository ?? string.Empty),
            ("RESULT", Result(resolution)),
        };
        if (resolution.IsDenied)
        {
            rows.Add(("REASON", resolution.DenialReason.ToString()));
        }

        if (resolution.Entry is { } entry)
        {
            rows.Add(("ENTRY", entry.Scope.Value));
            rows.Add(("TYPE", entry.Type.Value));
            rows.Add(("USER", entry.Username));
        }

        if (resolution.Credential is { } credential)
        {
            rows.Add(("CREDENTIAL", CredentialKind(credential)));
            rows.Add(("EXPIRES", credential.ExpiresOn is { } expires ? EntryView.Timestamp(expires) : "never"));
        }

        rows.Add(("MESSAGE", resolution.Message));
        foreach (var (name, value) in rows)
        {
            output.Write(name.PadRight(12) + value + "\n");
        }
    }

    private static void WriteJson(Utf8JsonWriter json, string image, RegistryResolution resolution)
    {
        json.WriteStartObject();
        json.WriteString("image", image);
        json.WriteString("registry", resolution.Registry);
        json.WriteString("repository", resolution.Repository);
        json.WriteString("result", Result(resolution));
        if (resolution.IsDenied)
        {
            json.WriteString("reason", resolution.DenialReason.ToString());
        }

        if (resolution.Entry is { } entry)
        {
            json.WriteString("entry", entry.Scope.Value);
            json.WriteString("registry_type", entry.Type.Value);
            json.WriteString("registry_user", entry.Username);
        }

        if (resolution.Credential is { } credential)
        {
            json.WriteString("credential", CredentialKind(credential));
            if (credential.ExpiresOn is { } expires)
            {
                json.WriteString("expires_at", EntryView.Timestamp(expires));
            }
            else
            {
                json.WriteNull("expires_at");
            }
        }

        json.WriteString("message", resolution.Message);
        json.WriteEndObject();
    }
}
