using System.Collections.Concurrent;
using System.Diagnostics;
using System.Formats.Tar;
using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace RegistryCredentials.Tests.Support.Registry;

/// <summary>
/// A real CNCF distribution registry (Debian's <c>docker-registry</c>, 2.8) run as a child process on
/// 127.0.0.1 and a free port, configured per <see cref="RegistryMode"/> from a <c>config.yml</c> in a fresh temp
/// folder, with a small image (<see cref="Repository"/>:<see cref="Tag"/>: a config blob, one gzip layer and a
/// Docker v2 schema-2 manifest) pushed through its HTTP API. The user name and password are random per run.
/// <see cref="DisposeAsync"/> kills the process tree and deletes the folder (processes still alive when the test
/// process exits are killed too).
/// </summary>
public sealed class DistributionRegistry : IAsyncDisposable
{
    /// <summary>The Debian binary.</summary>
    public const string Executable = "docker-registry";

    /// <summary>The repository the fixture pushes to.</summary>
    public const string DefaultRepository = "test/app";

    /// <summary>The tag the fixture pushes.</summary>
    public const string DefaultTag = "v1";

    /// <summary>Docker image manifest v2, schema 2.</summary>
    public const string DockerManifestMediaType = "application/vnd.docker.distribution.manifest.v2+json";

    /// <summary>The image config media type of a Docker schema-2 manifest.</summary>
    public const string DockerConfigMediaType = "application/vnd.docker.container.image.v1+json";

    /// <summary>The layer media type of a Docker schema-2 manifest.</summary>
    public const string DockerLayerMediaType = "application/vnd.docker.image.rootfs.diff.tar.gzip";

    private static readonly ConcurrentDictionary<int, Process> LiveProcesses = new();
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(15);
    private static int _exitHookInstalled;

    private readonly ConcurrentQueue<string> _output = new();
    private readonly bool _ownsTokenServer;
    private Process? _process;
    private HttpClient? _fixtureClient;
    private int _disposed;

    private DistributionRegistry(
        RegistryMode mode,
        TestCertificates certificates,
        TokenServer? tokenServer,
        bool ownsTokenServer,
        string directory,
        Uri? blobRedirect)
    {
        Mode = mode;
        BlobRedirect = blobRedirect;
        Certificates = certificates;
        Token = tokenServer;
        _ownsTokenServer = ownsTokenServer;
        DirectoryPath = directory;
        ConfigPath = Path.Combine(directory, "config.yml");
        Username = "user-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        Password = Convert.ToBase64String(RandomNumberGenerator.GetBytes(18)).Replace('+', '-').Replace('/', '_');
        ServerCertificate = mode switch
        {
            RegistryMode.HtpasswdTls or RegistryMode.TokenTls or RegistryMode.TlsNoAuth => certificates.Server,
            RegistryMode.ExpiredTls => certificates.ExpiredServer,
            RegistryMode.WrongNameTls => certificates.WrongNameServer,
            RegistryMode.UntrustedTls => certificates.UntrustedServer,
            _ => null,
        };
    }

    /// <summary>The mode it was started in.</summary>
    public RegistryMode Mode { get; }

    /// <summary><c>127.0.0.1:port</c>: the registry host as it appears in an image reference.</summary>
    public string Registry => "127.0.0.1:" + Port.ToString(CultureInfo.InvariantCulture);

    /// <summary>The port it listens on.</summary>
    public int Port { get; private set; }

    /// <summary><c>https://127.0.0.1:port/</c>, or <c>http://</c> for the plain-HTTP modes.</summary>
    public Uri BaseUri => new((IsTls ? "https://" : "http://") + Registry + "/");

    /// <summary>Whether it serves TLS.</summary>
    public bool IsTls => ServerCertificate is not null;

    /// <summary>Whether it asks for credentials (htpasswd or token modes).</summary>
    public bool RequiresAuthentication => Mode is not (RegistryMode.PlainHttp or RegistryMode.TlsNoAuth);

    /// <summary>The user accepted by htpasswd (or by <see cref="Token"/> in token mode). Random per run.</summary>
    public string Username { get; }

    /// <summary>That user's password. Random per run.</summary>
    public string Password { get; }

    /// <summary>
    /// The test CA bundle (PEM) for TLS modes, null for plain HTTP. It trusts the server in every TLS mode except
    /// <see cref="RegistryMode.UntrustedTls"/>.
    /// </summary>
    public string? CaPem => IsTls ? Certificates.CaPem : null;

    /// <summary>The certificates of this run.</summary>
    public TestCertificates Certificates { get; }

    /// <summary>The certificate the registry serves, or null for plain HTTP.</summary>
    public TestCertificate? ServerCertificate { get; }

    /// <summary>The token server (realm) in <see cref="RegistryMode.TokenTls"/>, otherwise null.</summary>
    public TokenServer? Token { get; }

    /// <summary>The temp folder (config, htpasswd, certificates, storage).</summary>
    public string DirectoryPath { get; }

    /// <summary>The registry's <c>config.yml</c>.</summary>
    public string ConfigPath { get; }

    /// <summary>
    /// The filesystem driver's root directory: blob data lives at <c>docker/registry/v2/blobs/sha256/&lt;2
    /// hex&gt;/&lt;hex&gt;/data</c> below it.
    /// </summary>
    public string StorageDirectory => Path.Combine(DirectoryPath, "storage");

    /// <summary>
    /// The <c>baseurl</c> of distribution's <c>redirect</c> storage middleware, or null when blobs are served by the
    /// registry itself. With it, <c>GET /v2/&lt;name&gt;/blobs/&lt;digest&gt;</c> answers <c>307</c> to
    /// <c>{scheme}://{host}/docker/registry/v2/blobs/…/data</c> (registry/storage/driver/middleware/redirect and the
    /// blob server's <c>http.StatusTemporaryRedirect</c>), as a registry on S3/GCS answers with a pre-signed URL.
    /// </summary>
    public Uri? BlobRedirect { get; }

    /// <summary>From process start until <c>/v2/</c> answered.</summary>
    public TimeSpan StartupTime { get; private set; }

    /// <summary>The repository of the pushed image.</summary>
    public string Repository => DefaultRepository;

    /// <summary>The tag of the pushed image.</summary>
    public string Tag => DefaultTag;

    /// <summary>Whether the image was pushed (see <c>pushImage</c> of <see cref="StartAsync"/>).</summary>
    public bool HasImage { get; private set; }

    /// <summary>The manifest's media type (Docker v2 schema 2).</summary>
    public string ManifestMediaType => DockerManifestMediaType;

    /// <summary>The manifest digest (<c>sha256:…</c>), as the registry's <c>Docker-Content-Digest</c> reports it.</summary>
    public string ManifestDigest { get; private set; } = string.Empty;

    /// <summary>The manifest as pushed.</summary>
    public byte[] ManifestBytes { get; private set; } = [];

    /// <summary>The config blob digest.</summary>
    public string ConfigDigest { get; private set; } = string.Empty;

    /// <summary>The config blob.</summary>
    public byte[] ConfigBytes { get; private set; } = [];

    /// <summary>The layer blob digest.</summary>
    public string LayerDigest { get; private set; } = string.Empty;

    /// <summary>The layer blob (a gzip tar with one small random file).</summary>
    public byte[] LayerBytes { get; private set; } = [];

    /// <summary>The registry's recent stdout/stderr lines (access log, warnings), for diagnostics.</summary>
    public string Output => string.Join('\n', _output);

    /// <summary>
    /// Starts a registry. <paramref name="certificates"/> defaults to <see cref="TestCertificates.Shared"/>. In
    /// <see cref="RegistryMode.TokenTls"/> a <paramref name="tokenServer"/> is started (and later disposed) when none is
    /// given; the registry's user is added to it either way, and its service/issuer go into the config (other modes ignore
    /// <paramref name="tokenServer"/>). <paramref name="pushImage"/> false skips the push (a faster start).
    /// <paramref name="blobRedirect"/> turns on the <c>redirect</c> storage middleware (see <see cref="BlobRedirect"/>).
    /// </summary>
    public static async Task<DistributionRegistry> StartAsync(
        RegistryMode mode,
        TestCertificates? certificates = null,
        TokenServer? tokenServer = null,
        bool pushImage = true,
        Uri? blobRedirect = null,
        CancellationToken cancellationToken = default)
    {
        certificates ??= TestCertificates.Shared;
        var ownsTokenServer = false;
        if (mode == RegistryMode.TokenTls && tokenServer is null)
        {
            tokenServer = await TokenServer.StartAsync(certificates, cancellationToken: cancellationToken);
            ownsTokenServer = true;
        }

        var registry = new DistributionRegistry(
            mode,
            certificates,
            mode == RegistryMode.TokenTls ? tokenServer : null,
            ownsTokenServer,
            Directory.CreateTempSubdirectory("rc-registry-").FullName,
            blobRedirect);
        try
        {
            registry.Token?.AddUser(registry.Username, registry.Password);
            await registry.StartProcessAsync(cancellationToken);
            if (pushImage)
            {
                await registry.PushImageAsync(cancellationToken);
            }

            return registry;
        }
        catch
        {
            await registry.DisposeAsync();
            throw;
        }
    }

    /// <summary>An <see cref="HttpClient"/> with <see cref="BaseUri"/> whose TLS trusts only the test CA; no credentials, no redirects.</summary>
    public HttpClient CreateHttpClient() => new(Certificates.CreateTrustingHandler()) { BaseAddress = BaseUri, Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>The <c>Authorization: Basic</c> value for <see cref="Username"/>/<see cref="Password"/>.</summary>
    public AuthenticationHeaderValue BasicAuthorization() => BasicAuthorization(Username, Password);

    /// <summary>The <c>Authorization: Basic</c> value for any user and password.</summary>
    public static AuthenticationHeaderValue BasicAuthorization(string username, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(username + ":" + password)));

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _fixtureClient?.Dispose();
        await StopProcessAsync();
        if (_ownsTokenServer && Token is not null)
        {
            await Token.DisposeAsync();
        }

        DeleteDirectory(DirectoryPath);
    }

    private static void DeleteDirectory(string directory)
    {
        for (var attempt = 0; attempt < 3; attempt++)
        {
            try
            {
                Directory.Delete(directory, recursive: true);
                return;
            }
            catch (DirectoryNotFoundException)
            {
                return;
            }
            catch (IOException)
            {
                Thread.Sleep(50);
            }
            catch (UnauthorizedAccessException)
            {
                Thread.Sleep(50);
            }
        }
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static string Yaml(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    private static string Sha256Digest(byte[] bytes) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes));

    private static void InstallExitHook()
    {
        if (Interlocked.Exchange(ref _exitHookInstalled, 1) != 0)
        {
            return;
        }

        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            foreach (var process in LiveProcesses.Values)
            {
                try
                {
                    process.Kill(entireProcessTree: true);
                }
                catch (InvalidOperationException)
                {
                }
            }
        };
    }

    private static string RunHtpasswd(string username, string password)
    {
        var start = new ProcessStartInfo("htpasswd")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "-Bbn", username, password })
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("htpasswd did not start.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("htpasswd is missing: install apache2-utils (./build.sh test installs it).", e);
        }

        using (process)
        {
            var output = process.StandardOutput.ReadToEnd();
            var error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"htpasswd failed ({process.ExitCode.ToString(CultureInfo.InvariantCulture)}): {error}");
            }

            return output.Trim() + "\n";
        }
    }

    private string WriteConfig(int port)
    {
        var storage = StorageDirectory;
        Directory.CreateDirectory(storage);
        var config = new StringBuilder()
            .AppendLine("version: 0.1")
            .AppendLine("log:")
            .AppendLine("  level: warn")
            .AppendLine("  formatter: text")
            .AppendLine("storage:")
            .AppendLine("  filesystem:")
            .AppendLine("    rootdirectory: " + Yaml(storage))
            .AppendLine("  delete:")
            .AppendLine("    enabled: true")
            .AppendLine("  maintenance:")
            .AppendLine("    uploadpurging:")
            .AppendLine("      enabled: false")
            .AppendLine("http:")
            .AppendLine("  addr: " + Yaml("127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture)))
            .AppendLine("  secret: " + Yaml(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32))))
            .AppendLine("  headers:")
            .AppendLine("    X-Content-Type-Options: [nosniff]");
        if (ServerCertificate is { } certificate)
        {
            var certificatePath = Path.Combine(DirectoryPath, "server.crt");
            var keyPath = Path.Combine(DirectoryPath, "server.key");
            File.WriteAllText(certificatePath, certificate.CertificatePem);
            File.WriteAllText(keyPath, certificate.KeyPem);
            config
                .AppendLine("  tls:")
                .AppendLine("    certificate: " + Yaml(certificatePath))
                .AppendLine("    key: " + Yaml(keyPath));
        }

        switch (Mode)
        {
            case RegistryMode.TokenTls:
                var bundlePath = Path.Combine(DirectoryPath, "token-signing.crt");
                File.WriteAllText(bundlePath, Certificates.TokenSigning.CertificatePem);
                config
                    .AppendLine("auth:")
                    .AppendLine("  token:")
                    .AppendLine("    realm: " + Yaml(Token!.Realm.AbsoluteUri))
                    .AppendLine("    service: " + Yaml(Token.Service))
                    .AppendLine("    issuer: " + Yaml(Token.Issuer))
                    .AppendLine("    rootcertbundle: " + Yaml(bundlePath));
                break;
            case RegistryMode.PlainHttp or RegistryMode.TlsNoAuth:
                break;
            default:
                var htpasswdPath = Path.Combine(DirectoryPath, "htpasswd");
                if (!File.Exists(htpasswdPath))
                {
                    File.WriteAllText(htpasswdPath, RunHtpasswd(Username, Password));
                }

                config
                    .AppendLine("auth:")
                    .AppendLine("  htpasswd:")
                    .AppendLine("    realm: " + Yaml("registry-credentials-test"))
                    .AppendLine("    path: " + Yaml(htpasswdPath));
                break;
        }

        if (BlobRedirect is { } redirect)
        {
            // distribution 2.8 configuration.md, "middleware" / "redirect": blob GETs answer 307 to baseurl + driver path.
            config
                .AppendLine("middleware:")
                .AppendLine("  storage:")
                .AppendLine("    - name: redirect")
                .AppendLine("      options:")
                .AppendLine("        baseurl: " + Yaml(redirect.GetLeftPart(UriPartial.Authority)));
        }

        File.WriteAllText(ConfigPath, config.ToString());
        return ConfigPath;
    }

    private async Task StartProcessAsync(CancellationToken cancellationToken)
    {
        InstallExitHook();
        var expected = ServerCertificate?.Certificate.RawData;
        _fixtureClient = new HttpClient(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            SslOptions = new SslClientAuthenticationOptions
            {
                // The fixture talks to its own registry: pin the exact certificate it configured (valid or not).
                RemoteCertificateValidationCallback = (
                    _,
                    certificate,
                    _,
                    _) => certificate is not null && expected is not null && certificate.GetRawCertData().AsSpan().SequenceEqual(expected),
            },
        })
        {
            Timeout = TimeSpan.FromSeconds(30),
        };

        for (var attempt = 1; ; attempt++)
        {
            Port = FreeLoopbackPort();
            WriteConfig(Port);
            var stopwatch = Stopwatch.StartNew();
            StartProcess();
            var ready = await WaitUntilReadyAsync(cancellationToken);
            StartupTime = stopwatch.Elapsed;
            if (ready)
            {
                return;
            }

            var output = Output;
            await StopProcessAsync();
            if (attempt < 3 && output.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
            {
                _output.Clear();
                continue;
            }

            throw new InvalidOperationException($"{Executable} did not answer GET /v2/ on {Registry} (mode {Mode}). Output:\n{output}");
        }
    }

    private void StartProcess()
    {
        var start = new ProcessStartInfo(Executable)
        {
            WorkingDirectory = DirectoryPath,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("serve");
        start.ArgumentList.Add(ConfigPath);

        // REGISTRY_* variables override config.yml; none may leak in from the environment.
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("REGISTRY_", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(name);
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => Capture(e.Data);
        process.ErrorDataReceived += (_, e) => Capture(e.Data);
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            process.Dispose();
            throw new InvalidOperationException($"{Executable} is missing: install the Debian package docker-registry (./build.sh test installs it).", e);
        }

        _process = process;
        LiveProcesses[process.Id] = process;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    private void Capture(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        while (_output.Count > 500)
        {
            _output.TryDequeue(out _);
        }
    }

    private async Task<bool> WaitUntilReadyAsync(CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        var probe = new Uri(BaseUri, "v2/");
        while (deadline.Elapsed < StartTimeout)
        {
            if (_process is null || _process.HasExited)
            {
                // Let the output readers drain before the caller reports it.
                if (_process is not null)
                {
                    await _process.WaitForExitAsync(cancellationToken);
                }

                return false;
            }

            try
            {
                using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                attempt.CancelAfter(TimeSpan.FromSeconds(2));
                using var response = await _fixtureClient!.GetAsync(probe, attempt.Token);
                if (response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Unauthorized)
                {
                    return true;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
            }

            await Task.Delay(10, cancellationToken);
        }

        return false;
    }

    private async Task StopProcessAsync()
    {
        var process = _process;
        _process = null;
        if (process is null)
        {
            return;
        }

        LiveProcesses.TryRemove(process.Id, out _);
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (InvalidOperationException)
        {
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            process.Dispose();
        }
    }

    private AuthenticationHeaderValue? PushAuthorization() => Mode switch
    {
        RegistryMode.PlainHttp or RegistryMode.TlsNoAuth => null,
        RegistryMode.TokenTls => new AuthenticationHeaderValue(
            "Bearer",
            Token!.CreateToken(Username, [new TokenAccess("repository", Repository, ["pull", "push"])], TimeSpan.FromMinutes(10))),
        _ => BasicAuthorization(),
    };

    private async Task PushImageAsync(CancellationToken cancellationToken)
    {
        var (layer, diffId) = CreateLayer();
        var config = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["architecture"] = "amd64",
            ["os"] = "linux",
            ["created"] = "2026-01-01T00:00:00Z",
            ["config"] = new Dictionary<string, object> { ["Cmd"] = new[] { "/hello.txt" } },
            ["rootfs"] = new Dictionary<string, object> { ["type"] = "layers", ["diff_ids"] = new[] { diffId } },
            ["history"] = new[] { new Dictionary<string, string>
            {
                ["created"] = "2026-01-01T00:00:00Z",
                ["created_by"] = "RegistryCredentials test fixture",
            } },
        });
        var configDigest = Sha256Digest(config);
        var layerDigest = Sha256Digest(layer);
        var manifest = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = DockerManifestMediaType,
            ["config"] = new Dictionary<string, object> { ["mediaType"] = DockerConfigMediaType, ["size"] = config.Length, ["digest"] = configDigest },
            ["layers"] = new[] { new Dictionary<string, object> { ["mediaType"] = DockerLayerMediaType, ["size"] = layer.Length, ["digest"] = layerDigest } },
        });

        var authorization = PushAuthorization();
        await UploadBlobAsync(config, configDigest, authorization, cancellationToken);
        await UploadBlobAsync(layer, layerDigest, authorization, cancellationToken);

        using var put = new HttpRequestMessage(HttpMethod.Put, new Uri(BaseUri, $"v2/{Repository}/manifests/{Tag}"));
        put.Headers.Authorization = authorization;
        put.Content = new ByteArrayContent(manifest);
        put.Content.Headers.ContentType = new MediaTypeHeaderValue(DockerManifestMediaType);
        using var response = await _fixtureClient!.SendAsync(put, cancellationToken);
        await EnsureStatusAsync(response, HttpStatusCode.Created, "PUT manifest", cancellationToken);
        var digest = response.Headers.TryGetValues("Docker-Content-Digest", out var values) ? values.FirstOrDefault() : null;
        var expectedDigest = Sha256Digest(manifest);
        if (!string.Equals(digest, expectedDigest, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"The registry reported manifest digest {digest}, expected {expectedDigest}.");
        }

        ConfigBytes = config;
        ConfigDigest = configDigest;
        LayerBytes = layer;
        LayerDigest = layerDigest;
        ManifestBytes = manifest;
        ManifestDigest = expectedDigest;
        HasImage = true;
    }

    private static (byte[] Layer, string DiffId) CreateLayer()
    {
        using var tar = new MemoryStream();
        using (var writer = new TarWriter(tar, TarEntryFormat.Ustar, leaveOpen: true))
        {
            var content = Encoding.ASCII.GetBytes("hello from the RegistryCredentials fixture "
                + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16))
                + "\n");
            var entry = new UstarTarEntry(TarEntryType.RegularFile, "hello.txt")
            {
                DataStream = new MemoryStream(content),
                ModificationTime = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero),
                Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
            };
            writer.WriteEntry(entry);
        }

        var tarBytes = tar.ToArray();
        using var gzipped = new MemoryStream();
        using (var gzip = new GZipStream(gzipped, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(tarBytes);
        }

        return (gzipped.ToArray(), Sha256Digest(tarBytes));
    }

    private async Task UploadBlobAsync(byte[] blob, string digest, AuthenticationHeaderValue? authorization, CancellationToken cancellationToken)
    {
        using var start = new HttpRequestMessage(HttpMethod.Post, new Uri(BaseUri, $"v2/{Repository}/blobs/uploads/"));
        start.Headers.Authorization = authorization;
        using var started = await _fixtureClient!.SendAsync(start, cancellationToken);
        await EnsureStatusAsync(started, HttpStatusCode.Accepted, "POST blob upload", cancellationToken);
        var location = started.Headers.Location ?? throw new InvalidOperationException("The blob upload answer has no Location.");
        var upload = location.IsAbsoluteUri ? location : new Uri(BaseUri, location);
        var separator = string.IsNullOrEmpty(upload.Query) ? "?" : "&";

        using var put = new HttpRequestMessage(HttpMethod.Put, new Uri(upload.AbsoluteUri + separator + "digest=" + Uri.EscapeDataString(digest)));
        put.Headers.Authorization = authorization;
        put.Content = new ByteArrayContent(blob);
        put.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var finished = await _fixtureClient.SendAsync(put, cancellationToken);
        await EnsureStatusAsync(finished, HttpStatusCode.Created, "PUT blob", cancellationToken);
    }

    private async Task EnsureStatusAsync(HttpResponseMessage response, HttpStatusCode expected, string step, CancellationToken cancellationToken)
    {
        if (response.StatusCode != expected)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            throw new InvalidOperationException(
                $"{step} on {Registry} answered {(int)response.StatusCode} (expected {(int)expected}): {body}\nRegistry output:\n{Output}");
        }
    }
}
