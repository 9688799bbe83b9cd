using System.Text;
using System.Text.Json;
using RegistryCredentials.Cli.Cli;

namespace RegistryCredentials.Cli.Interop;

/// <summary>
/// <c>regcred import docker-config</c>: reads Docker's <c>config.json</c> (or containers-auth.json, or
/// <c>DOCKER_AUTH_CONFIG</c>) — <c>auths</c> with <c>auth</c> (base64 <c>user:password</c>), <c>username</c>/<c>password</c>
/// or <c>identitytoken</c>; <c>credHelpers</c> and <c>credsStore</c>, whose helpers are run with a timeout — and adds each
/// credential as a <c>docker_v2</c> entry (they are literal user names and passwords, whatever the host), validated unless
/// told otherwise. Keys are server addresses and are normalised here (<c>https://index.docker.io/v1/</c> is Docker Hub).
/// </summary>
internal sealed class DockerConfigImporter
{
    private const string Self = "regcred";

    private readonly Func<CancellationToken, Task<IRegistryManager>> _openManager;
    private readonly ExternalCredentialHelper _helpers;
    private readonly Terminal _terminal;

    /// <param name="openManager">Opens the store (creating it if need be) when the first credential is about to be added.</param>
    /// <param name="helpers">Runs other credential helpers.</param>
    /// <param name="terminal">For progress.</param>
    public DockerConfigImporter(Func<CancellationToken, Task<IRegistryManager>> openManager, ExternalCredentialHelper helpers, Terminal terminal)
    {
        _openManager = openManager;
        _helpers = helpers;
        _terminal = terminal;
    }

    public async Task<IReadOnlyList<ImportResult>> ImportAsync(
        string configJson,
        string origin,
        bool validate,
        bool replace,
        CancellationToken cancellationToken)
    {
        var config = Parse(configJson, origin);
        var results = new List<ImportResult>();
        var candidates = new List<Candidate>();
        var helperScopes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (key, _) in config.CredHelpers)
        {
            if (TryScope(key, out var scope, out _))
            {
                helperScopes.Add(scope.Value);
            }
        }

        // auths: inline credentials; empty entries are the credsStore's.
        var storeKeys = new List<string>();
        foreach (var (key, value) in config.Auths)
        {
            if (!TryScope(key, out var scope, out var reason))
            {
                results.Add(new ImportResult("auths", key, null, null, ImportOutcome.Skipped, reason));
                continue;
            }

            if (helperScopes.Contains(scope.Value))
            {
                results.Add(new ImportResult(
                    "auths",
                    key,
                    scope.Value,
                    null,
                    ImportOutcome.Skipped,
                    "credHelpers names a helper for this registry; read from it instead"));
                continue;
            }

            var inline = ReadInline(value, out var problem);
            if (inline is { } found)
            {
                candidates.Add(new Candidate("auths", key, scope, found.Username, found.Secret));
            }
            else if (problem is not null)
            {
                results.Add(new ImportResult("auths", key, scope.Value, null, ImportOutcome.Skipped, problem));
            }
            else if (config.CredsStore is not null)
            {
                storeKeys.Add(key);
            }
            else
            {
                results.Add(new ImportResult("auths", key, scope.Value, null, ImportOutcome.Skipped, "the entry holds no credential"));
            }
        }

        // credHelpers: one helper per registry.
        foreach (var (key, helper) in config.CredHelpers)
        {
            var source = $"credHelpers ({helper})";
            if (!TryScope(key, out var scope, out var reason))
            {
                results.Add(new ImportResult(source, key, null, null, ImportOutcome.Skipped, reason));
                continue;
            }

            await FromHelperAsync(source, helper, key, scope, candidates, results, cancellationToken);
        }

        // credsStore: the default helper, for the empty auths entries and whatever it lists.
        if (config.CredsStore is { } store)
        {
            var source = $"credsStore ({store})";
            var keys = new List<string>(storeKeys);
            if (store != Self && ExternalCredentialHelper.IsValidName(store)
                && await _helpers.ListAsync(store, cancellationToken) is { } listed)
            {
                keys.AddRange(listed);
            }

            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var key in keys)
            {
                if (!TryScope(key, out var scope, out var reason))
                {
                    results.Add(new ImportResult(source, key, null, null, ImportOutcome.Skipped, reason));
                    continue;
                }

                if (!seen.Add(scope.Value) || helperScopes.Contains(scope.Value) || candidates.Any(c => c.Scope == scope))
                {
                    continue;
                }

                await FromHelperAsync(source, store, key, scope, candidates, results, cancellationToken);
            }
        }

        // Store them, first source wins for a scope. A namespace key (quay.io/ns) is the subtree quay.io/ns/* and, as
        // containers-auth.json matches it, the repository quay.io/ns too: both are added with its credential.
        var stored = new HashSet<string>(StringComparer.Ordinal);
        var withTwins = candidates.SelectMany(c => DockerServerAddress.RepositoryTwin(c.Scope) is { } twin ? [c, c with { Scope = twin }] : new[] { c });
        foreach (var candidate in withTwins)
        {
            if (!stored.Add(candidate.Scope.Value))
            {
                results.Add(candidate.Result(ImportOutcome.Skipped, "another key of the config maps to the same registry"));
                continue;
            }

            results.Add(await AddAsync(candidate, validate, replace, cancellationToken));
        }

        return results;
    }

    /// <summary>The exit code of an import: 4 if a credential failed validation, else 3 if one existed, else 0.</summary>
    public static int ExitCode(IReadOnlyCollection<ImportResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        return results.Any(r => r.Outcome == ImportOutcome.Invalid) ? ExitCodes.ValidationFailed
            : results.Any(r => r.Outcome == ImportOutcome.Exists) ? ExitCodes.Conflict
            : ExitCodes.Ok;
    }

    private async Task FromHelperAsync(
        string source,
        string helper,
        string key,
        RegistryScope scope,
        List<Candidate> candidates,
        List<ImportResult> results,
        CancellationToken cancellationToken)
    {
        if (helper == Self)
        {
            results.Add(new ImportResult(source, key, scope.Value, null, ImportOutcome.Skipped, "regcred's own helper: already in a regcred store"));
            return;
        }

        if (!ExternalCredentialHelper.IsValidName(helper))
        {
            results.Add(new ImportResult(source, key, scope.Value, null, ImportOutcome.Skipped, $"'{helper}' is not a credential helper name"));
            return;
        }

        var answer = await _helpers.GetAsync(helper, key, cancellationToken);
        if (answer.IsFound)
        {
            candidates.Add(new Candidate(source, key, scope, answer.Username!, answer.Secret!));
        }
        else
        {
            results.Add(new ImportResult(source, key, scope.Value, null, ImportOutcome.Skipped,
                answer.IsNotFound ? $"docker-credential-{helper} has no credential for it" : answer.Failure!));
        }
    }

    private async Task<ImportResult> AddAsync(Candidate candidate, bool validate, bool replace, CancellationToken cancellationToken)
    {
        var identityToken = candidate.Username == DockerCredentialForm.IdentityTokenUsername;

        // An identity token is exchanged at the registry's token endpoint; the v2 check sends user names and passwords.
        var check = validate && !identityToken;
        try
        {
            var request = new RegistryAddRequest
            {
                Scope = candidate.Scope.Value,
                Username = candidate.Username,
                Password = candidate.Secret,
                Type = RegistryType.DockerV2,
                Validate = check,
                Replace = replace,
            };
            var manager = await _openManager(cancellationToken);
            await Progress.RunAsync(
                _terminal,
                check ? $"Validating the credential with {candidate.Scope}" : $"Adding {candidate.Scope}",
                ct => manager.AddAsync(request, ct),
                cancellationToken);
            var detail = identityToken ? "identity token (not validated)" : check ? "validated" : "not validated";
            return candidate.Result(ImportOutcome.Imported, detail);
        }
        catch (RegistryConflictException)
        {
            return candidate.Result(ImportOutcome.Exists, "an entry for this registry exists (use --replace)");
        }
        catch (RegistryValidationException e)
        {
            return candidate.Result(ImportOutcome.Invalid, Terminal.OneLine(e.Result?.Message ?? e.Message));
        }
        catch (Exception e) when (e is FormatException or ArgumentException or RegistryCredentialsException)
        {
            return candidate.Result(ImportOutcome.Skipped, ErrorReporter.MessageFor(e));
        }
    }

    private static (string Username, string Secret)? ReadInline(JsonElement value, out string? problem)
    {
        try
        {
            return ReadInlineCore(value, out problem);
        }
        catch (InvalidOperationException)
        {
            // JsonElement.GetString on an escaped unpaired surrogate: refused rather than stored as U+FFFD.
            problem = "a value is not valid UTF-8 text (an escaped unpaired surrogate such as \\ud800)";
            return null;
        }
    }

    private static (string Username, string Secret)? ReadInlineCore(JsonElement value, out string? problem)
    {
        problem = null;
        if (value.ValueKind != JsonValueKind.Object)
        {
            problem = "the entry is not a JSON object";
            return null;
        }

        var identityToken = Text(value, "identitytoken");
        if (identityToken is not null)
        {
            return (DockerCredentialForm.IdentityTokenUsername, identityToken);
        }

        var auth = Text(value, "auth");
        if (auth is not null)
        {
            var decoded = DecodeAuth(auth, out var notUtf8);
            var colon = decoded?.IndexOf(':', StringComparison.Ordinal) ?? -1;
            if (decoded is null || colon <= 0 || colon == decoded.Length - 1)
            {
                problem = notUtf8
                    ? "'auth' decodes to bytes that are not valid UTF-8 (the user name or password would be stored as U+FFFD)"
                    : "'auth' is not base64 of user:password";
                return null;
            }

            return (decoded[..colon], decoded[(colon + 1)..]);
        }

        var username = Text(value, "username");
        var password = Text(value, "password");
        if (username is not null && password is not null)
        {
            return (username, password);
        }

        if (Text(value, "registrytoken") is not null)
        {
            problem = "a registry token is short-lived and not imported";
        }

        return null;
    }

    private static string? Text(JsonElement value, string name) =>
        value.TryGetProperty(name, out var property) && property.ValueKind == JsonValueKind.String && property.GetString() is { Length: > 0 } text
            ? text
            : null;

    private static string? DecodeAuth(string auth, out bool notUtf8)
    {
        notUtf8 = false;
        var text = auth.Trim();
        if (text.Length % 4 != 0)
        {
            text = text.PadRight(text.Length + (4 - (text.Length % 4)), '=');
        }

        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(text);
        }
        catch (FormatException)
        {
            return null;
        }

        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            notUtf8 = true;
            return null;
        }
        finally
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(bytes);
        }
    }

    private static bool TryScope(string key, out RegistryScope scope, out string reason)
    {
        try
        {
            scope = DockerServerAddress.ToScope(key);
            reason = string.Empty;
            return true;
        }
        catch (FormatException e)
        {
            scope = null!;
            reason = "not a registry address: " + e.Message;
            return false;
        }
    }

    private static DockerConfig Parse(string json, string origin)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException e)
        {
            throw new RegcredException($"{origin} is not JSON: {e.Message}");
        }

        try
        {
            using (document)
            {
                var root = document.RootElement;
                if (root.ValueKind != JsonValueKind.Object)
                {
                    throw new RegcredException($"{origin} is not a Docker config (a JSON object).");
                }

                var auths = new List<(string, JsonElement)>();
                if (root.TryGetProperty("auths", out var a) && a.ValueKind == JsonValueKind.Object)
                {
                    auths.AddRange(a.EnumerateObject().Select(p => (p.Name, p.Value.Clone())));
                }

                var helpers = new List<(string, string)>();
                if (root.TryGetProperty("credHelpers", out var h) && h.ValueKind == JsonValueKind.Object)
                {
                    helpers.AddRange(h.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.String).Select(p => (p.Name, p.Value.GetString()!)));
                }

                var store = root.TryGetProperty(
                    "credsStore",
                    out var s) && s.ValueKind == JsonValueKind.String && s.GetString() is { Length: > 0 } name ? name : null;
                return new DockerConfig(auths, helpers, store);
            }
        }
        catch (InvalidOperationException)
        {
            throw new RegcredException($"{origin} holds text that is not valid UTF-8 (an escaped unpaired surrogate such as \\ud800).");
        }
    }

    private sealed record DockerConfig(List<(string Key, JsonElement Value)> Auths, List<(string Key, string Helper)> CredHelpers, string? CredsStore);

    private sealed record Candidate(string Source, string Key, RegistryScope Scope, string Username, string Secret)
    {
        public ImportResult Result(ImportOutcome outcome, string detail) => new(Source, Key, Scope.Value, Username, outcome, detail);

        public override string ToString() => $"{Source} {Key} (user {Username})";
    }
}
