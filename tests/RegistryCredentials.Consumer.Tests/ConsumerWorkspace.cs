using System.IO.Compression;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace RegistryCredentials.Consumer.Tests;

/// <summary>
/// A consumer's machine, as far as a test can make one: the solution's packages packed into a temporary feed, and
/// outside the repository a folder with its own nuget.config (that feed added; the user's configured sources kept, as
/// NuGet reads the user configuration after the folder's — no source address is written anywhere) and four apps that
/// reference the packages from the feed:
/// quickstart (the root README's program, SQLite), console (a custom store, the core README's program), conformance (made
/// by `dotnet new nunit`, running the store conformance suite, the Testing README's fixture) and web (AddOpenApi and both
/// Map… calls, the AspNetCore README's program). The C# snippets the READMEs mark with <c>&lt;!-- compiled: path --&gt;</c>
/// are written to those paths as they are, so the READMEs' code is what compiles. One restore and build for the four, and
/// the regcred tool installed from the same feed alongside.
/// </summary>
internal sealed class ConsumerWorkspace
{
    /// <summary>The files the READMEs must provide (a marker removed or renamed fails the test).</summary>
    public static readonly string[] CompiledSnippets = ["quickstart/Program.cs", "console/Program.cs", "conformance/StoreConformance.cs", "web/Program.cs"];

    private static readonly TimeSpan Guard = TimeSpan.FromMinutes(10); // kills a hung child; never a timing assertion

    private ConsumerWorkspace(string repository, string root, string version, string dotnet, Dictionary<string, string> environment)
    {
        Repository = repository;
        Root = root;
        Version = version;
        Dotnet = dotnet;
        Environment = environment;
    }

    /// <summary>The repository the packages come from.</summary>
    public string Repository { get; }

    /// <summary>The consumer's folder (a temporary folder outside the repository).</summary>
    public string Root { get; }

    /// <summary>The package version packed for this run, unique so that no package cached by an earlier run is used.</summary>
    public string Version { get; }

    /// <summary>The dotnet executable.</summary>
    public string Dotnet { get; }

    /// <summary>What the consumer's processes get: a secret key generated for this run, config under <see cref="Root"/>.</summary>
    public Dictionary<string, string> Environment { get; }

    /// <summary>The feed folder.</summary>
    public string Feed => Path.Combine(Root, "feed");

    /// <summary>The folder regcred is installed into.</summary>
    public string ToolPath => Path.Combine(Root, "tools");

    /// <summary>The snippets found in the READMEs: target path → README it came from.</summary>
    public Dictionary<string, string> Snippets { get; } = [];

    /// <summary>`dotnet pack` of the solution into the feed.</summary>
    public ProcessResult? Pack { get; private set; }

    /// <summary>`dotnet new nunit` of the conformance project.</summary>
    public ProcessResult? NewNunit { get; private set; }

    /// <summary>The one restore and build of the four apps.</summary>
    public ProcessResult? Build { get; private set; }

    /// <summary>`dotnet tool install --tool-path` of regcred.</summary>
    public ProcessResult? ToolInstall { get; private set; }

    /// <summary>Packs, writes the apps, builds them and installs the tool. Failures are kept in the results for the tests to report.</summary>
    public static async Task<ConsumerWorkspace> CreateAsync()
    {
        var metadata = typeof(ConsumerWorkspace).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().ToDictionary(a => a.Key, a => a.Value!);
        var root = Directory.CreateTempSubdirectory("regcred-consumer-").FullName;
        var dotnet = System.Environment.ProcessPath is { } host && Path.GetFileNameWithoutExtension(host) == "dotnet" ? host : "dotnet";
        var environment = new Dictionary<string, string>
        {
            ["REGCRED_SECRET_KEY"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["XDG_CONFIG_HOME"] = Path.Combine(root, "config"),
        };
        if (Path.IsPathRooted(dotnet))
        {
            environment["DOTNET_ROOT"] = Path.GetDirectoryName(dotnet)!; // for the regcred tool's launcher
        }

        var workspace = new ConsumerWorkspace(metadata["RepositoryRoot"], root, $"0.0.0-consumer.{Guid.NewGuid():N}", dotnet, environment);
        await workspace.PrepareAsync(metadata["Configuration"]);
        return workspace;
    }

    /// <summary>Runs a command in the consumer folder (or a folder under it).</summary>
    public Task<ProcessResult> RunAsync(string fileName, IEnumerable<string> arguments, string folder = "", IReadOnlyDictionary<string, string>? extra = null)
    {
        var environment = new Dictionary<string, string>(Environment);
        foreach (var (name, value) in extra ?? new Dictionary<string, string>())
        {
            environment[name] = value;
        }

        return ChildProcess.RunAsync(fileName, arguments, Path.Combine(Root, folder), environment, Guard);
    }

    /// <summary>The output of a consumer app (built in Release).</summary>
    public string AppDll(string app) => Path.Combine(Root, app, "bin", "Release", "net10.0", app + ".dll");

    /// <summary>The package files in the feed.</summary>
    public IEnumerable<string> Packages(string extension) => Directory.EnumerateFiles(Feed, "*" + extension);

    /// <summary>Deletes the consumer folder and the packages this run put in the NuGet global packages folder.</summary>
    public void Delete()
    {
        var globalPackages = System.Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        if (Directory.Exists(Feed))
        {
            foreach (var package in Packages(".nupkg"))
            {
                var id = Path.GetFileName(package)[..^(Version.Length + ".nupkg".Length + 1)];
                var folder = Path.Combine(globalPackages, id.ToLowerInvariant(), Version.ToLowerInvariant());
                if (Directory.Exists(folder))
                {
                    Directory.Delete(folder, recursive: true);
                }

                var idFolder = Path.GetDirectoryName(folder)!;
                if (Directory.Exists(idFolder) && !Directory.EnumerateFileSystemEntries(idFolder).Any())
                {
                    Directory.Delete(idFolder);
                }
            }
        }

        Directory.Delete(Root, recursive: true);
    }

    private async Task PrepareAsync(string configuration)
    {
        Pack = await ChildProcess.RunAsync(
            Dotnet,
            ["pack", Path.Combine(Repository, "RegistryCredentials.sln"), "--no-build", "-c", configuration, "-o", Feed, $"-p:PackageVersion={Version}"],
            Repository,
            Environment,
            Guard);
        if (Pack.ExitCode != 0)
        {
            return;
        }

        await File.WriteAllTextAsync(Path.Combine(Root, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <!-- The consumer's own configuration: the temporary feed, added to the sources the user's NuGet configuration has. -->
            <configuration>
              <packageSources>
                <add key="registry-credentials-consumer-test" value="{Feed}" />
              </packageSources>
            </configuration>
            """);

        NewNunit = await RunAsync(Dotnet, ["new", "nunit", "-o", "conformance", "--no-restore"]);
        if (NewNunit.ExitCode != 0)
        {
            return;
        }

        File.Delete(Path.Combine(Root, "conformance", "UnitTest1.cs")); // the template's placeholder test
        WriteProjects();
        WriteSnippets();

        // One restore and build of the four apps, and the tool installed from the same feed meanwhile.
        await File.WriteAllTextAsync(Path.Combine(Root, "consumers.slnx"), """
            <Solution>
              <Project Path="quickstart/quickstart.csproj" />
              <Project Path="console/console.csproj" />
              <Project Path="conformance/conformance.csproj" />
              <Project Path="web/web.csproj" />
            </Solution>
            """);
        var build = RunAsync(Dotnet, ["build", "consumers.slnx", "-c", "Release"]);
        var tool = RunAsync(Dotnet, ["tool", "install", "regcred", "--tool-path", ToolPath, "--version", Version]);
        Build = await build;
        ToolInstall = await tool;
    }

    private void WriteProjects()
    {
        var dependencyInjection = CentralVersion("Microsoft.Extensions.DependencyInjection");
        WriteProject("quickstart", "Microsoft.NET.Sdk", $"""
                <PackageReference Include="RegistryCredentials.Sqlite" Version="{Version}" />
                <PackageReference Include="Microsoft.Extensions.DependencyInjection" Version="{dependencyInjection}" />
            """);
        WriteProject("console", "Microsoft.NET.Sdk", $"""
                <PackageReference Include="RegistryCredentials" Version="{Version}" />
                <PackageReference Include="Microsoft.Extensions.DependencyInjection" Version="{dependencyInjection}" />
            """);
        WriteProject("web", "Microsoft.NET.Sdk.Web", $"""
                <PackageReference Include="RegistryCredentials.AspNetCore" Version="{Version}" />
                <PackageReference Include="RegistryCredentials.Sqlite" Version="{Version}" />
            """);

        // The custom store: the repository's example (tests/RegistryCredentials.StoreClient), used by the console app and
        // tested by the conformance project.
        var store = Path.Combine(Repository, "tests", "RegistryCredentials.StoreClient", "FileRegistryStore.cs");
        File.Copy(store, Path.Combine(Root, "console", "FileRegistryStore.cs"));

        // The project `dotnet new nunit` made, as it is, plus the package and the store under test.
        var conformance = Path.Combine(Root, "conformance", "conformance.csproj");
        var text = File.ReadAllText(conformance);
        var closing = text.LastIndexOf("</Project>", StringComparison.Ordinal);
        File.WriteAllText(conformance, text[..closing] + $"""
              <ItemGroup>
                <PackageReference Include="RegistryCredentials.Testing" Version="{Version}" />
                <Compile Include="../console/FileRegistryStore.cs" />
              </ItemGroup>
            </Project>

            """);
    }

    private void WriteProject(string name, string sdk, string references)
    {
        Directory.CreateDirectory(Path.Combine(Root, name));
        File.WriteAllText(Path.Combine(Root, name, name + ".csproj"), $"""
            <Project Sdk="{sdk}">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
              </PropertyGroup>
              <ItemGroup>
            {references}
              </ItemGroup>
            </Project>

            """);
    }

    /// <summary>Copies every README snippet marked <c>&lt;!-- compiled: path --&gt;</c> to that path, byte for byte.</summary>
    private void WriteSnippets()
    {
        var readmes = new[] { Path.Combine(Repository, "README.md") }
            .Concat(Directory.EnumerateFiles(Path.Combine(Repository, "src"), "README.md", SearchOption.AllDirectories));
        var marker = new Regex(@"^<!-- compiled: (?<path>\S+) -->\n```csharp\n(?<code>.*?)^```$", RegexOptions.Multiline | RegexOptions.Singleline);
        foreach (var readme in readmes)
        {
            foreach (Match match in marker.Matches(File.ReadAllText(readme).ReplaceLineEndings("\n")))
            {
                var path = match.Groups["path"].Value;
                var target = Path.GetFullPath(Path.Combine(Root, path));
                if (!target.StartsWith(Root + Path.DirectorySeparatorChar, StringComparison.Ordinal) || !Directory.Exists(Path.GetDirectoryName(target)))
                {
                    throw new InvalidOperationException(
                        $"{readme}: the snippet marked for '{path}' names no consumer project (quickstart, console, conformance, web).");
                }

                if (!Snippets.TryAdd(path, Path.GetRelativePath(Repository, readme)))
                {
                    throw new InvalidOperationException($"{readme}: a second snippet is marked for '{path}' (the first is in {Snippets[path]}).");
                }

                File.WriteAllText(target, match.Groups["code"].Value, Encoding.UTF8);
            }
        }
    }

    /// <summary>A version from the repository's Directory.Packages.props, so that the consumer uses what the packages were built with.</summary>
    private string CentralVersion(string id)
    {
        var props = File.ReadAllText(Path.Combine(Repository, "Directory.Packages.props"));
        return Regex.Match(props, $"""<PackageVersion Include="{Regex.Escape(id)}" Version="(?<v>[^"]+)" />""").Groups["v"].Value;
    }

    /// <summary>The text of one entry of a package (a zip), or null when it has none.</summary>
    public static string? ReadEntry(string package, string name)
    {
        using var zip = ZipFile.OpenRead(package);
        var entry = zip.Entries.FirstOrDefault(e => e.FullName.Equals(name, StringComparison.OrdinalIgnoreCase));
        if (entry is null)
        {
            return null;
        }

        using var reader = new StreamReader(entry.Open());
        return reader.ReadToEnd();
    }
}
