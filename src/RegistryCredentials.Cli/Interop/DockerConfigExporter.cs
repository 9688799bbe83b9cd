using System.Text;
using System.Text.Json;
using RegistryCredentials.Cli.Cli;
using RegistryCredentials.Cli.Output;

namespace RegistryCredentials.Cli.Interop;

/// <summary>
/// <c>regcred export dockerconfigjson</c>: a Docker config (<c>{"auths": …}</c>) with the current credential of every
/// active entry (<c>--all</c>) or of the entries that the given images resolve to. Provider types (ECR, Google, ACR) are
/// resolved to their current tokens; a credential that expires within <see cref="ExpiryWarning"/> is warned about on stderr.
/// </summary>
internal sealed class DockerConfigExporter
{
    /// <summary>Credentials expiring sooner than this get a warning: a Kubernetes Secret is not refreshed.</summary>
    public static readonly TimeSpan ExpiryWarning = TimeSpan.FromHours(24);

    private readonly IRegistryManager _manager;
    private readonly IRegistryCredentialResolver _resolver;
    private readonly TimeProvider _time;
    private readonly Terminal _terminal;

    public DockerConfigExporter(IRegistryManager manager, IRegistryCredentialResolver resolver, TimeProvider time, Terminal terminal)
    {
        _manager = manager;
        _resolver = resolver;
        _time = time;
        _terminal = terminal;
    }

    /// <summary>The Docker config as UTF-8 JSON.</summary>
    /// <exception cref="RegcredException">An image is denied (exit 5) or nothing is left to export (exit 2).</exception>
    public async Task<byte[]> ExportAsync(bool all, IReadOnlyList<string> images, bool indented, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(images);
        var auths = new SortedDictionary<string, RegistryCredential>(StringComparer.Ordinal);
        var emails = new Dictionary<string, string>(StringComparer.Ordinal);
        if (all)
        {
            foreach (var entry in await _manager.ListAsync(null, cancellationToken))
            {
                if (!entry.IsActive)
                {
                    _terminal.WriteWarning($"{entry.Scope} is deactivated: not exported.");
                    continue;
                }

                if (entry.Scope.IsGlob)
                {
                    _terminal.WriteWarning($"{entry.Scope} has a glob host, which Docker configs cannot express: not exported.");
                    continue;
                }

                var resolution = await Progress.RunAsync(
                    _terminal,
                    $"Fetching the credential of {entry.Scope}",
                    ct => CredentialLookup.ResolveScopeAsync(_resolver, entry.Scope, ct).AsTask(),
                    cancellationToken);
                if (!resolution.HasCredential || resolution.Entry!.Scope != entry.Scope)
                {
                    _terminal.WriteWarning($"{entry.Scope}: {resolution.Message} Not exported.");
                    continue;
                }

                Add(auths, emails, resolution);
            }
        }
        else
        {
            foreach (var image in images)
            {
                var reference = ImageReference.Parse(image);
                var resolution = await Progress.RunAsync(
                    _terminal,
                    $"Resolving {image}",
                    ct => _resolver.ResolveAsync(reference, null, ct).AsTask(),
                    cancellationToken);
                if (resolution.IsDenied)
                {
                    throw new RegcredException(RegistryErrorReason.PullDenied, $"{image}: {resolution.Message}");
                }

                if (!resolution.HasCredential)
                {
                    _terminal.WriteWarning($"{image}: {resolution.Message} Nothing to export for it.");
                    continue;
                }

                Add(auths, emails, resolution);
            }
        }

        if (auths.Count == 0)
        {
            throw new RegcredException(RegistryErrorReason.NotFound, "No credential to export.");
        }

        var now = _time.GetUtcNow();
        foreach (var (key, credential) in auths)
        {
            if (credential.ExpiresOn is { } expires && expires - now < ExpiryWarning)
            {
                _terminal.WriteWarning(
                    $"the credential for {key} expires at {EntryView.Timestamp(expires)} (in {GoDuration.Format(expires - now)}); " +
                    "the exported secret stops working then (export again, or let the kubelet use regcred as its credential provider).");
            }
        }

        return JsonOutput.WriteBytes(json => WriteConfig(json, auths, emails), indented ? JsonOutput.Indented : JsonOutput.Compact);
    }

    /// <summary>The config key of a resolution: Docker Hub's server URL for all of Docker Hub, else <c>host[:port][/path]</c> of the entry.</summary>
    public static string Key(RegistryScope scope) => DockerServerAddress.ToServerUrl(scope);

    private static void Add(SortedDictionary<string, RegistryCredential> auths, Dictionary<string, string> emails, RegistryResolution resolution)
    {
        var key = Key(resolution.Entry!.Scope);
        if (!auths.TryAdd(key, resolution.Credential!))
        {
            // A repository and the subtree below it share one namespace key (containers-auth.json's host/path covers both):
            // the first entry listed, the repository, gives it.
            return;
        }

        if (resolution.Entry.Email is { Length: > 0 } email)
        {
            emails[key] = email;
        }
    }

    private static void WriteConfig(Utf8JsonWriter json, SortedDictionary<string, RegistryCredential> auths, Dictionary<string, string> emails)
    {
        json.WriteStartObject();
        json.WriteStartObject("auths");
        foreach (var (key, credential) in auths)
        {
            json.WriteStartObject(key);
            if (DockerCredentialForm.IsIdentityToken(credential))
            {
                json.WriteString("identitytoken", credential.Secret.Reveal());
            }
            else if (credential.Kind == RegistryCredentialKind.RegistryToken)
            {
                json.WriteString("registrytoken", credential.Secret.Reveal());
            }
            else
            {
                var username = credential.Username!;
                var password = credential.Secret.Reveal();
                json.WriteString("username", username);
                json.WriteString("password", password);
                if (emails.TryGetValue(key, out var email))
                {
                    json.WriteString("email", email);
                }

                json.WriteString("auth", Convert.ToBase64String(Encoding.UTF8.GetBytes(username + ":" + password)));
            }

            json.WriteEndObject();
        }

        json.WriteEndObject();
        json.WriteEndObject();
    }
}
