using System.Reflection;
using System.Text.Json;
using RegistryCredentials.Cli.Cli;
using RegistryCredentials.Cli.Hosting;

namespace RegistryCredentials.Cli.Interop;

/// <summary>
/// The Docker credential-helper protocol (docker-credential-helpers' <c>credentials.Serve</c>), served from the store:
/// <c>get</c> (server URL on stdin → <c>{"ServerURL","Username","Secret"}</c>), <c>store</c> (that JSON on stdin),
/// <c>erase</c> (server URL on stdin), <c>list</c> (<c>{"serverURL":"username"}</c>) and <c>version</c>. Every answer and
/// every error goes to stdout; an error exits 1, and an unknown server is <c>credentials not found in native keychain</c>.
/// </summary>
internal sealed class CredentialHelperProtocol
{
    public const string Name = "docker-credential-regcred";
    public const string NotFoundMessage = "credentials not found in native keychain";
    public const string MissingServerUrlMessage = "no credentials server URL";
    public const string MissingUsernameMessage = "no credentials username";

    private readonly ToolContext _context;
    private readonly TextReader _input;
    private readonly TextWriter _output;

    public CredentialHelperProtocol(ToolContext context)
    {
        _context = context;
        _input = context.Terminal.In;
        _output = context.Terminal.Out;
    }

    public static string Usage => $"Usage: {Name} <store|get|erase|list|version>";

    public static string VersionLine
    {
        get
        {
            var version = typeof(CredentialHelperProtocol).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
                ?? "0.0.0";
            var plus = version.IndexOf('+', StringComparison.Ordinal);
            return $"{Name} (RegistryCredentials) {(plus < 0 ? version : version[..plus])}";
        }
    }

    /// <summary>As <c>docker-credential-regcred ARG</c>: exactly one argument, like <c>credentials.Serve</c>.</summary>
    public async Task<int> ServeAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Count != 1)
        {
            await WriteLineAsync(Usage);
            return 1;
        }

        switch (args[0])
        {
            case "--version" or "-v":
                await WriteLineAsync(VersionLine);
                return 0;
            case "--help" or "-h":
                await WriteLineAsync(Usage);
                return 0;
            default:
                return await HandleAsync(args[0], cancellationToken);
        }
    }

    /// <summary>One action (<c>credentials.HandleCommand</c>).</summary>
    public async Task<int> HandleAsync(string action, CancellationToken cancellationToken)
    {
        try
        {
            switch (action)
            {
                case "get":
                    await GetAsync(cancellationToken);
                    break;
                case "store":
                    await StoreAsync(cancellationToken);
                    break;
                case "erase":
                    await EraseAsync(cancellationToken);
                    break;
                case "list":
                    await ListAsync(cancellationToken);
                    break;
                case "version":
                    await WriteLineAsync(VersionLine);
                    break;
                default:
                    throw new RegcredException($"Unknown credential action `{action}`");
            }

            return 0;
        }
        catch (RegcredException e)
        {
            await WriteLineAsync(e.Message);
            return 1;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await WriteLineAsync(ErrorReporter.MessageFor(e));
            return 1;
        }
    }

    private async Task GetAsync(CancellationToken cancellationToken)
    {
        var serverUrl = await ReadServerUrlAsync(cancellationToken);
        if (!TryScope(serverUrl, out var scope) || scope.IsGlob)
        {
            throw new RegcredException(NotFoundMessage);
        }

        var (_, resolution) = await _context.LookupAsync(CredentialLookup.ProbeImage(scope), cancellationToken);
        if (resolution.IsDenied)
        {
            // Not "not found": Docker would then pull anonymously, and a deactivated or disallowed registry must fail.
            throw new RegcredException(resolution.Message);
        }

        if (!resolution.HasCredential || !CredentialLookup.Covers(resolution.Entry!.Scope, scope))
        {
            throw new RegcredException(NotFoundMessage);
        }

        var (username, secret) = DockerCredentialForm.ForHelper(resolution.Credential!, scope.Value);
        await WriteLineAsync(GoJson.Object(
        [
            new("ServerURL", serverUrl),
            new("Username", username),
            new("Secret", secret),
        ]));
    }

    private async Task StoreAsync(CancellationToken cancellationToken)
    {
        var text = await ReadLinesJoinedAsync(cancellationToken);
        string? serverUrl = null, username = null, secret = null;
        try
        {
            using var document = JsonDocument.Parse(text);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new RegcredException("the credentials on stdin are not a JSON object");
            }

            // Go's decoder matches field names case-insensitively.
            foreach (var property in document.RootElement.EnumerateObject())
            {
                var value = property.Value.ValueKind == JsonValueKind.String ? Text(property) : null;
                if (string.Equals(property.Name, "ServerURL", StringComparison.OrdinalIgnoreCase))
                {
                    serverUrl = value;
                }
                else if (string.Equals(property.Name, "Username", StringComparison.OrdinalIgnoreCase))
                {
                    username = value;
                }
                else if (string.Equals(property.Name, "Secret", StringComparison.OrdinalIgnoreCase))
                {
                    secret = value;
                }
            }
        }
        catch (JsonException e)
        {
            throw new RegcredException("the credentials on stdin are not JSON: " + e.Message);
        }

        if (string.IsNullOrEmpty(serverUrl))
        {
            throw new RegcredException(MissingServerUrlMessage);
        }

        if (string.IsNullOrEmpty(username))
        {
            throw new RegcredException(MissingUsernameMessage);
        }

        if (string.IsNullOrEmpty(secret))
        {
            throw new RegcredException("no credentials secret");
        }

        var scope = DockerServerAddress.ToScope(serverUrl);

        // docker login is this protocol's "registry add": it may create the store and its key (said on stderr, which
        // Docker does not read).
        var manager = (await _context.OpenOrCreateHostAsync(cancellationToken)).Manager;
        try
        {
            // docker login: validated by Docker already, so never again here.
            await manager.AddAsync(
                new RegistryAddRequest
                {
                    Scope = scope.Value,
                    Username = username,
                    Password = secret,
                    Type = RegistryType.DockerV2,
                    Validate = false,
                },
                cancellationToken);
        }
        catch (RegistryConflictException)
        {
            // Keep the entry's other settings (TLS, CA, name); replace the user name and secret.
            await manager.UpdateAsync(
                new RegistryUpdateRequest { Scope = scope.Value, Username = username, Password = secret, Validate = false },
                cancellationToken);
        }
    }

    private async Task EraseAsync(CancellationToken cancellationToken)
    {
        var serverUrl = await ReadServerUrlAsync(cancellationToken);
        if (!TryScope(serverUrl, out var scope))
        {
            throw new RegcredException(NotFoundMessage);
        }

        try
        {
            await _context.Host.Manager.DeleteAsync(scope, cancellationToken: cancellationToken);
        }
        catch (RegistryNotFoundException)
        {
            throw new RegcredException(NotFoundMessage);
        }
    }

    private async Task ListAsync(CancellationToken cancellationToken)
    {
        var entries = await _context.Host.Manager.ListAsync(null, cancellationToken);
        var accounts = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in entries.Where(e => !e.Scope.IsGlob))
        {
            accounts[DockerServerAddress.ToServerUrl(entry.Scope)] = entry.Username;
        }

        await WriteLineAsync(GoJson.Map(accounts));
    }

    private static bool TryScope(string serverUrl, out RegistryScope scope)
    {
        try
        {
            scope = DockerServerAddress.ToScope(serverUrl);
            return true;
        }
        catch (FormatException)
        {
            scope = null!;
            return false;
        }
    }

    private async Task<string> ReadServerUrlAsync(CancellationToken cancellationToken)
    {
        var serverUrl = (await ReadLinesJoinedAsync(cancellationToken)).Trim();
        return serverUrl.Length == 0 ? throw new RegcredException(MissingServerUrlMessage) : serverUrl;
    }

    /// <summary>
    /// Like Go's <c>bufio.Scanner</c> loop: every line, without its line break, concatenated; but at most 1 MiB, and valid
    /// UTF-8 only (Go's decoder would turn invalid bytes into U+FFFD and store that).
    /// </summary>
    private async Task<string> ReadLinesJoinedAsync(CancellationToken cancellationToken)
    {
        var text = await BoundedInput.ReadAllAsync(_input, BoundedInput.MaxDocumentBytes, "The input on stdin", cancellationToken);
        return string.Concat(text.Split('\n').Select(line => line.EndsWith('\r') ? line[..^1] : line));
    }

    /// <summary>A string member's value; an escaped unpaired surrogate (<c>\ud800</c>) is refused, not stored as U+FFFD.</summary>
    private static string? Text(JsonProperty property)
    {
        try
        {
            return property.Value.GetString();
        }
        catch (InvalidOperationException)
        {
            string name;
            try
            {
                name = property.Name;
            }
            catch (InvalidOperationException)
            {
                name = "a member";
            }

            throw new RegcredException($"the credentials on stdin: {name} is not valid UTF-8 text");
        }
    }

    private Task WriteLineAsync(string text) => _output.WriteAsync(text + "\n");
}
